import type { Migration } from './index.js';

/**
 * TEMPORARY placeholder (branch `bundles`): version 12 belongs to another branch (retention). The
 * runner applies version N as the N-th entry, so 014 needs 012 and 013 before it; the merge replaces
 * this file with that branch's 012 and deletes this one.
 */
export const migration012: Migration = { version: 12, name: 'reserved-012', sql: '' };
