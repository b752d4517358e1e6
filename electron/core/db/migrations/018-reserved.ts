import type { Migration } from './index.js';

/**
 * Reserved: version 18 belongs to a migration another branch adds in parallel. This empty stand-in
 * keeps versions contiguous on this branch; the merge replaces it with the real file.
 */
export const migration018: Migration = { version: 18, name: 'reserved', sql: '' };
