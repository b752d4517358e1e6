import type { Migration } from './index.js';

/**
 * Who at legal counsel confirmed a subpoena is legitimate (seed 002, Subpoena Response Protocol,
 * step 1: "Verify legitimacy: confirm with legal counsel"). Counsel verifying records themselves; anyone
 * else verifying names the counsel account that confirmed it. Null for verifications made before.
 */
export const migration023: Migration = {
  version: 23,
  name: 'subpoena-counsel',
  sql: `
    ALTER TABLE subpoenas ADD COLUMN verified_with TEXT;
  `,
};
