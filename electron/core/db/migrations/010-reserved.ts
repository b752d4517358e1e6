import type { Migration } from './index.js';

/**
 * Placeholder on the retention branch only: version 10 belongs to a branch merged in parallel
 * (009 workflows, 010 mfa, 011 ferpa/consents). The runner needs version N as the N-th entry, so this
 * empty migration keeps 012-retention in its place until the real one arrives; delete it at merge.
 */
export const migration010: Migration = { version: 10, name: 'reserved-010', sql: '' };
