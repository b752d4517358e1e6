import type { Migration } from './index.js';

/** PLACEHOLDER (witness branch): version 18 belongs to another branch; the merger replaces this file with it. */
export const migration018: Migration = { version: 18, name: 'reserved', sql: '' };
