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
