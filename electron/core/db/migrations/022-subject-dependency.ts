import type { Migration } from './index.js';

/**
 * A student's dependent status (seed 002: "Parents of dependent students have access rights;
 * dependent status determined by IRS tax deduction rules"; 34 CFR 99.31(a)(8)). Null until someone
 * records it; each recording keeps when and on what evidence (a tax return, a parent's declaration),
 * and is ledgered (subjects.setDependency). A disclosure to a parent without the student's consent
 * needs the student recorded as a dependent at the time of the disclosure.
 */
export const migration022: Migration = {
  version: 22,
  name: 'subject-dependency',
  sql: `
    ALTER TABLE subjects ADD COLUMN dependent INTEGER CHECK (dependent IN (0, 1));
    ALTER TABLE subjects ADD COLUMN dependent_recorded_at TEXT;
    ALTER TABLE subjects ADD COLUMN dependent_evidence TEXT;
  `,
};
