import type { DataClass } from './data-classes.js';

/** The roles of the seeds. The auditor reads, verifies and imports but never edits. */
export const ROLES = ['admin', 'compliance_officer', 'legal_counsel', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  compliance_officer: 'Compliance officer',
  legal_counsel: 'Legal counsel',
  auditor: 'Auditor',
  viewer: 'Viewer',
};

/** Everyone with an account. */
export const ANY_ROLE: readonly Role[] = ROLES;
/** People who work cases: they may change case data. */
export const CASE_WORKERS: readonly Role[] = ['admin', 'compliance_officer', 'legal_counsel'];
/** People who may read the ledger and verify it. */
export const LEDGER_READERS: readonly Role[] = ['admin', 'compliance_officer', 'legal_counsel', 'auditor'];

/**
 * What each role may see of the read channels' answers (shared/data-classes.ts). Seed 002: a guest
 * has no access to student records, public information only: the viewer sees operational data.
 * Those who work cases need all of it. The auditor audits: seed 002's audits review the access
 * logs for unauthorized access and the records, disclosures and amendment requests themselves
 * (FERPA 99.31(a)(3)), and the auditor already reads record contents (records.get, ledgered), so
 * it sees every class too; what keeps it read-only is the access list of each channel.
 */
export const ROLE_DATA_CLASSES: Record<Role, readonly DataClass[]> = {
  admin: ['operational', 'personal', 'student_record', 'security'],
  compliance_officer: ['operational', 'personal', 'student_record', 'security'],
  legal_counsel: ['operational', 'personal', 'student_record', 'security'],
  auditor: ['operational', 'personal', 'student_record', 'security'],
  viewer: ['operational'],
};

/** True when `role` may see data of class `cls`. */
export function maySee(role: Role, cls: DataClass): boolean {
  return ROLE_DATA_CLASSES[role].includes(cls);
}
