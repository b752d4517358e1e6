import type { Outcome } from '../../shared/ledger-types.js';
import { ALERT_EVENTS } from './alerts/events.js';
import { AMENDMENT_EVENTS } from './amendments/events.js';
import { AUTH_EVENTS } from './auth/events.js';
import { BUNDLE_EVENTS } from './bundle/events.js';
import { CASE_EVENTS } from './cases/events.js';
import { COMPLIANCE_EVENTS } from './compliance/events.js';
import { CONSENT_EVENTS } from './consents/events.js';
import { FERPA_EVENTS } from './ferpa/events.js';
import { DEADLINE_EVENTS } from './deadlines/events.js';
import { DISCLOSURE_EVENTS } from './disclosures/events.js';
import { EVIDENCE_EVENTS } from './evidence/events.js';
import { EXPORT_EVENTS } from './exports/events.js';
import { FILE_EVENTS } from './files/events.js';
import { HOLD_EVENTS } from './holds/events.js';
import { INCIDENT_EVENTS } from './incidents/events.js';
import { REFUSAL_SHAPE, type DetailsShape, type EventShapes } from './ledger/details-shape.js';
import { LEDGER_EVENTS } from './ledger/events.js';
import { MFA_EVENTS } from './mfa/events.js';
import { REPORT_EVENTS } from './reports/events.js';
import { RETENTION_EVENTS } from './retention/events.js';
import { SCHEDULE_EVENTS } from './schedules/events.js';
import { PRIVACY_EVENTS } from './privacy/events.js';
import { SUBJECT_EVENTS } from './subjects/events.js';
import { SUBPOENA_EVENTS } from './subpoenas/events.js';
import { WORKFLOW_EVENTS } from './workflows/events.js';
import { WITNESS_EVENTS } from './witness/events.js';

/** Every action the core writes, with the shape of its details, gathered from each domain's events.ts. */
export const EVENT_SHAPES: EventShapes = Object.freeze({
  ...AUTH_EVENTS,
  ...LEDGER_EVENTS,
  ...CASE_EVENTS,
  ...SUBJECT_EVENTS,
  ...EVIDENCE_EVENTS,
  ...HOLD_EVENTS,
  ...AMENDMENT_EVENTS,
  ...SUBPOENA_EVENTS,
  ...DISCLOSURE_EVENTS,
  ...DEADLINE_EVENTS,
  ...EXPORT_EVENTS,
  ...BUNDLE_EVENTS,
  ...FILE_EVENTS,
  ...COMPLIANCE_EVENTS,
  ...WORKFLOW_EVENTS,
  ...MFA_EVENTS,
  ...CONSENT_EVENTS,
  ...FERPA_EVENTS,
  ...REPORT_EVENTS,
  ...INCIDENT_EVENTS,
  ...RETENTION_EVENTS,
  ...ALERT_EVENTS,
  ...PRIVACY_EVENTS,
  ...WITNESS_EVENTS,
  ...SCHEDULE_EVENTS,
});

/**
 * The declared shape of an event's details: its action's shape, plus the refusal fields when it did
 * not succeed (a refused call of any channel, including read channels, carries only those).
 * Null for a successful event of an undeclared action.
 */
export function detailsShape(action: string, outcome: Outcome): DetailsShape | null {
  const own = Object.hasOwn(EVENT_SHAPES, action) ? EVENT_SHAPES[action] : undefined;
  if (outcome === 'success') return own ?? null;
  return own ? { ...own, ...REFUSAL_SHAPE } : REFUSAL_SHAPE;
}
