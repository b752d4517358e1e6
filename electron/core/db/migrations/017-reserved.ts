import type { Migration } from './index.js';

/** PLACEHOLDER (witness branch): version 17 belongs to another branch; the merger replaces this file with it. */
export const migration017: Migration = { version: 17, name: 'reserved', sql: '' };
