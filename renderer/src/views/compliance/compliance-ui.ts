import type { ComplianceStatus } from '../../../../shared/contract/compliance.js';
import type { CustosEvidence, Priority } from '../../../../shared/compliance-data.js';
import type { Tone } from '../../components/badge.js';

/** Compliant reads as done, partial as a warning, non-compliant as a problem; not applicable stays quiet. */
export const STATUS_TONES: Record<ComplianceStatus, Tone> = {
  compliant: 'ok',
  partially_compliant: 'warn',
  non_compliant: 'danger',
  not_assessed: 'neutral',
  not_applicable: 'neutral',
};

export const STATUS_LABELS: Record<ComplianceStatus, string> = {
  compliant: 'Compliant',
  partially_compliant: 'Partially compliant',
  non_compliant: 'Non-compliant',
  not_assessed: 'Not assessed',
  not_applicable: 'Not applicable',
};

export const PRIORITY_TONES: Record<Priority, Tone> = { critical: 'danger', high: 'warn', medium: 'neutral', low: 'neutral' };

/** What each kind of proof Custos holds means to an assessor (shared/compliance-data.ts). */
export const EVIDENCE_MEANINGS: Record<CustosEvidence, string> = {
  'ledger-verified': 'The tamper-evident ledger (hash chain, Merkle tree, signed checkpoints) verifies.',
  'access-log': 'Sign-ins, failed ones too, views of records and evidence, ledger searches and refused calls are ledgered.',
  'roles-report': 'The users, their roles and every change to them are ledgered.',
  'session-controls': 'Passphrase length, lockout after failed sign-ins and idle lock of the workspace.',
  'export-approvals': 'Exports of the evidence register or of unmasked people need a second person’s approval.',
  'signed-bundles': 'What leaves the machine is a signed bundle anyone can verify with standard tools.',
  'disclosure-accounting': 'Every disclosure is recorded, and an accounting per subject can be produced.',
  'retention-policy': 'Retention periods per record category, and a purge that honours holds.',
  'record-erasure': 'Erasable records can be erased on request, ledgered; held records refuse it.',
  'legal-holds': 'Holds with notices, acknowledgements and release; held items cannot be destroyed.',
  'evidence-custody': 'Evidence under chain of custody, hashed on intake and re-verifiable.',
  'encryption-at-rest': 'The database (SQLCipher 4) and evidence files are encrypted with a random key.',
  'key-rotation': 'The database is re-keyed on schedule and when a user is removed.',
  'amendment-handling': 'FERPA amendment requests with decision and hearing deadlines.',
  'access-requests': 'Requests to inspect records, tracked against their response deadline.',
  'subpoena-handling': 'Subpoenas with notice to the subject, scope and numbered production.',
  'directory-opt-out': 'A subject’s opt-out of directory information is recorded.',
};

/** What an assessment's evidence link points at, and what its id is. */
export const EVIDENCE_LINK_LABELS: Record<'evidence' | 'event' | 'export' | 'report', string> = {
  event: 'Ledger event (seq)',
  evidence: 'Evidence item (id)',
  export: 'Export request (id)',
  report: 'Report (file name)',
};

/** The list's id of a requirement, as `requirements.get` and the ledger name it. */
export function requirementKey(frameworkId: string, requirementId: string): string {
  return `${frameworkId} ${requirementId}`;
}

/** A percentage for people: "—" when nothing applies. */
export function pct(n: number | null): string {
  return n === null ? '—' : `${Math.round(n)}%`;
}

/** Days as people say them: "90 days", "1 year". */
export function interval(days: number): string {
  if (days % 365 === 0) return days === 365 ? '1 year' : `${days / 365} years`;
  return `${days} day${days === 1 ? '' : 's'}`;
}
