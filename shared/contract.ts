import type { z } from 'zod';
import type { ChannelDef } from './contract/define.js';
import type { ReadClasses, RestrictedClass } from './data-classes.js';
import { maySee, type Role } from './roles.js';
import { coreChannels, coreEvents, coreReadClasses } from './contract/core.js';
import { casesChannels, casesReadClasses } from './contract/cases.js';
import { evidenceChannels, evidenceReadClasses } from './contract/evidence.js';
import { holdsChannels, holdsReadClasses } from './contract/holds.js';
import { subjectsChannels, subjectsReadClasses } from './contract/subjects.js';
import { amendmentChannels, amendmentReadClasses } from './contract/amendments.js';
import { deadlineChannels, deadlineReadClasses } from './contract/deadlines.js';
import { disclosureChannels, disclosureReadClasses } from './contract/disclosures.js';
import { subpoenaChannels, subpoenaReadClasses } from './contract/subpoenas.js';
import { bundleChannels, bundleReadClasses } from './contract/bundles.js';
import { exportChannels, exportReadClasses } from './contract/exports.js';
import { fileChannels, fileReadClasses } from './contract/files.js';
import { complianceChannels, complianceReadClasses } from './contract/compliance.js';
import { workflowChannels, workflowReadClasses } from './contract/workflows.js';
import { mfaChannels, mfaReadClasses } from './contract/mfa.js';
import { consentChannels, consentReadClasses } from './contract/consents.js';
import { ferpaPolicyChannels, ferpaPolicyReadClasses } from './contract/ferpa-policy.js';
import { reportChannels, reportReadClasses } from './contract/reports.js';
import { incidentChannels, incidentReadClasses } from './contract/incidents.js';
import { retentionChannels, retentionReadClasses } from './contract/retention.js';
import { alertChannels, alertReadClasses } from './contract/alerts.js';
import { privacyChannels, privacyReadClasses } from './contract/privacy.js';
import { witnessChannels, witnessReadClasses } from './contract/witness.js';
import { scheduleChannels, scheduleReadClasses } from './contract/schedules.js';

export type { Access, ChannelDef } from './contract/define.js';

/** Every channel of Custos: name → request, response, who may call it, whether it mutates. */
export const contract = {
  ...coreChannels,
  ...casesChannels,
  ...subjectsChannels,
  ...evidenceChannels,
  ...holdsChannels,
  ...amendmentChannels,
  ...subpoenaChannels,
  ...disclosureChannels,
  ...deadlineChannels,
  ...bundleChannels,
  ...exportChannels,
  ...fileChannels,
  ...complianceChannels,
  ...workflowChannels,
  ...mfaChannels,
  ...consentChannels,
  ...ferpaPolicyChannels,
  ...reportChannels,
  ...incidentChannels,
  ...retentionChannels,
  ...alertChannels,
  ...privacyChannels,
  ...witnessChannels,
  ...scheduleChannels,
} satisfies Record<string, ChannelDef>;

/**
 * The data classes of every read channel's answer, declared beside each contract file. A read
 * channel missing here is answered only to roles that may see every class (test/unit/read-access
 * fails for it).
 */
export const readClasses: Partial<Record<keyof typeof contract, ReadClasses>> = {
  ...coreReadClasses,
  ...casesReadClasses,
  ...subjectsReadClasses,
  ...evidenceReadClasses,
  ...holdsReadClasses,
  ...amendmentReadClasses,
  ...subpoenaReadClasses,
  ...disclosureReadClasses,
  ...deadlineReadClasses,
  ...bundleReadClasses,
  ...exportReadClasses,
  ...fileReadClasses,
  ...complianceReadClasses,
  ...workflowReadClasses,
  ...mfaReadClasses,
  ...consentReadClasses,
  ...ferpaPolicyReadClasses,
  ...reportReadClasses,
  ...incidentReadClasses,
  ...retentionReadClasses,
  ...alertReadClasses,
  ...privacyReadClasses,
  ...witnessReadClasses,
  ...scheduleReadClasses,
};

/** False when request field `field` of `channel` searches data `role` may not see (the core refuses that search). */
export function maySearch(role: Role, channel: keyof typeof contract, field: string): boolean {
  const searches = readClasses[channel]?.searches ?? {};
  return (Object.keys(searches) as RestrictedClass[]).every((cls) => !searches[cls]?.includes(field) || maySee(role, cls));
}

/**
 * True when `role` may call `channel`: it is public or names the role in its access list (the
 * dispatch's role check, before input validation). The renderer uses it only to hide what would be refused.
 */
export function mayCall(role: Role, channel: keyof typeof contract): boolean {
  const access: ChannelDef['access'] = contract[channel].access;
  return access === 'public' || access.includes(role);
}

/** Every event pushed from the core to the renderer. */
export const events = {
  ...coreEvents,
} satisfies Record<string, z.ZodType>;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type EventName = keyof typeof events;
export type RequestOf<C extends ChannelName> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Contract[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** True when `name` is a channel of the contract (guards every host). */
export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
