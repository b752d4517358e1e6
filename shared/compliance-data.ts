/*
 * Compliance frameworks and control mappings as data (issue 11): the shape of
 * resources/frameworks/<id>.json (one regulation or standard and its requirements) and of
 * resources/frameworks/controls.json (the workspace's controls, each mapped to requirements of
 * several frameworks).
 *
 * These files hold only what the regulation says and how Custos reads it: identifiers, titles,
 * descriptions in our own words, type, priority, the default assessment interval and what the
 * workspace itself can prove. How a workspace stands against a requirement (compliance status,
 * implemented or not, assigned to, last and next assessment) is workspace state: it lives in the
 * workspace database, keyed by (framework id, requirementId), and every change to it is ledgered.
 * Ids are therefore stable: renaming one orphans that state, so add a new id instead.
 *
 * Every object is strict: a key the schema does not name is refused, except `$comment` and
 * `$source`, which explain where a rule comes from (as in resources/policies/).
 */
import { z } from 'zod';

/**
 * What the Custos workspace itself can show an assessor, each true of Custos as built:
 * - ledger-verified: the tamper-evident ledger (hash chain, RFC 6962 Merkle tree, signed checkpoints) verifies.
 * - access-log: sign-ins (failed ones too), views of records and evidence, ledger searches and every refused call are ledgered.
 * - roles-report: the users, their roles and every change to them (ledgered).
 * - session-controls: passphrase length, lockout after failed sign-ins, idle lock of the workspace.
 * - export-approvals: an export of the evidence register or of unmasked people needs a second person's approval.
 * - signed-bundles: what leaves the machine is a signed bundle anyone can verify with standard tools.
 * - disclosure-accounting: every disclosure is recorded, and an accounting per subject can be produced.
 * - retention-policy: retention periods per record category (resources/policies/retention.json) and a purge that honours holds.
 * - record-erasure: erasable records can be erased on request, ledgered; held records refuse it.
 * - legal-holds: holds with notices, acknowledgements and release; held items cannot be destroyed.
 * - evidence-custody: evidence under chain of custody, hashed on intake and re-verifiable.
 * - encryption-at-rest: the database (SQLCipher 4) and evidence files are encrypted with a random key.
 * - key-rotation: the database is re-keyed on schedule and when a user is removed.
 * - amendment-handling: FERPA amendment requests with decision and hearing deadlines.
 * - access-requests: requests to inspect records, tracked against their response deadline.
 * - subpoena-handling: subpoenas with notice to the subject before compliance, scope and numbered production.
 * - directory-opt-out: a subject's opt-out of directory information is recorded.
 */
export const CUSTOS_EVIDENCE = [
  'ledger-verified',
  'access-log',
  'roles-report',
  'session-controls',
  'export-approvals',
  'signed-bundles',
  'disclosure-accounting',
  'retention-policy',
  'record-erasure',
  'legal-holds',
  'evidence-custody',
  'encryption-at-rest',
  'key-rotation',
  'amendment-handling',
  'access-requests',
  'subpoena-handling',
  'directory-opt-out',
] as const;
export type CustosEvidence = (typeof CUSTOS_EVIDENCE)[number];

/** Seed 001: technical or administrative; physical for the safeguards HIPAA and ISO 27001 call physical. */
export const REQUIREMENT_TYPES = ['technical', 'administrative', 'physical'] as const;
export type RequirementType = (typeof REQUIREMENT_TYPES)[number];

export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

const notes = {
  $comment: z.string().min(1).optional(),
  $source: z.string().min(1).optional(),
};

/** True when `s` is YYYY-MM-DD and names a day that exists (no 2023-02-30). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const calendarDate = z.string().refine(isCalendarDate, { message: 'Expected a real calendar date written YYYY-MM-DD.' });
/** Stable lower-case ids: gdpr, sox-itgc, iso27001-2022. */
export const frameworkIdSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Expected a lower-case id of letters, digits and single hyphens.');
const text = z.string().trim().min(1);
const days = z.number().int().positive().max(3660);

/** Repeated items in a list, each reported at its own index. */
function refuseRepeats<T>(items: readonly T[], key: (item: T) => string, path: (string | number)[], what: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `${what} ${k} appears twice.` });
    seen.add(k);
  });
}

const evidenceList = z
  .array(z.enum(CUSTOS_EVIDENCE))
  .min(1)
  .superRefine((list, ctx) => refuseRepeats(list, (e) => e, [], 'Evidence', ctx));

export const requirementSchema = z.strictObject({
  ...notes,
  /** The regulation's own identifier, exactly as it is cited: Art. 30, §164.312(b), A.8.15, 10.2.1. */
  requirementId: text.max(60),
  title: text.max(120),
  /** One or two sentences in our own words, never the regulation's text. */
  description: text.max(600),
  type: z.enum(REQUIREMENT_TYPES),
  priority: z.enum(PRIORITIES),
  /** Overrides the framework's assessmentIntervalDays. */
  assessmentIntervalDays: days.optional(),
  custosEvidence: evidenceList.optional(),
});
export type Requirement = z.infer<typeof requirementSchema>;

export const frameworkSchema = z
  .strictObject({
    ...notes,
    id: frameworkIdSchema,
    name: text,
    shortName: text.max(30),
    version: text,
    /** Who issues it: a legislature, a regulator or a standards body. */
    authority: text,
    regions: z.array(text).min(1),
    sectors: z.array(text).min(1),
    effectiveDate: calendarDate,
    /** When a workspace should check the framework's text again for changes. */
    reviewDate: calendarDate,
    description: text.max(1000),
    /** The official source. */
    url: z.url({ protocol: /^https$/ }),
    /** Default interval between assessments of its requirements. */
    assessmentIntervalDays: days,
    requirements: z.array(requirementSchema).min(1),
  })
  .superRefine((f, ctx) => {
    refuseRepeats(f.requirements, (r) => r.requirementId, ['requirements'], 'The requirement', ctx);
    if (isCalendarDate(f.effectiveDate) && isCalendarDate(f.reviewDate) && f.reviewDate <= f.effectiveDate) {
      ctx.addIssue({ code: 'custom', path: ['reviewDate'], message: `The review date must come after the effective date ${f.effectiveDate}.` });
    }
  });
export type Framework = z.infer<typeof frameworkSchema>;

export const controlMappingSchema = z.strictObject({
  ...notes,
  framework: frameworkIdSchema,
  requirementId: text,
});
export type ControlMapping = z.infer<typeof controlMappingSchema>;

export const controlSchema = z
  .strictObject({
    ...notes,
    /** CTL-<AREA>-<NN>: CTL-LOG-01. */
    id: z.string().regex(/^CTL-[A-Z]{2,6}-\d{2}$/, 'Expected a control id like CTL-LOG-01.'),
    title: text.max(120),
    description: text.max(600),
    custosEvidence: evidenceList.optional(),
    mappings: z.array(controlMappingSchema).min(1),
  })
  .superRefine((c, ctx) => refuseRepeats(c.mappings, (m) => `${m.framework} ${m.requirementId}`, ['mappings'], 'The mapping', ctx));
export type Control = z.infer<typeof controlSchema>;

export const controlsFileSchema = z
  .strictObject({
    ...notes,
    controls: z.array(controlSchema).min(1),
  })
  .superRefine((f, ctx) => refuseRepeats(f.controls, (c) => c.id, ['controls'], 'The control', ctx));
export type ControlsFile = z.infer<typeof controlsFileSchema>;
