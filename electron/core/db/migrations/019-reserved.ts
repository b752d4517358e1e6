import type { Migration } from './index.js';

/** PLACEHOLDER (witness branch): version 19 belongs to another branch; the merger replaces this file with it. */
export const migration019: Migration = { version: 19, name: 'reserved', sql: '' };
