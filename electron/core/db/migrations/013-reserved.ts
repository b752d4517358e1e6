import type { Migration } from './index.js';

/**
 * TEMPORARY placeholder (branch `bundles`): version 13 belongs to another branch (incidents). The
 * runner applies version N as the N-th entry, so 014 needs 012 and 013 before it; the merge replaces
 * this file with that branch's 013 and deletes this one.
 */
export const migration013: Migration = { version: 13, name: 'reserved-013', sql: '' };
