import type { Migration } from './index.js';

/**
 * Placeholder on the retention branch only: version 11 belongs to a branch merged in parallel
 * (009 workflows, 010 mfa, 011 ferpa/consents). The runner needs version N as the N-th entry, so this
 * empty migration keeps 012-retention in its place until the real one arrives; delete it at merge.
 */
export const migration011: Migration = { version: 11, name: 'reserved-011', sql: '' };
