import type { Migration } from './index.js';

/**
 * Reserved: version 17 belongs to a migration another branch adds in parallel. This empty stand-in
 * keeps versions contiguous on this branch; the merge replaces it with the real file.
 */
export const migration017: Migration = { version: 17, name: 'reserved', sql: '' };
