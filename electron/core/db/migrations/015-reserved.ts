import type { Migration } from './index.js';

/** PLACEHOLDER (privacy branch): version 15 belongs to another branch; the merger replaces this file with it. */
export const migration015: Migration = { version: 15, name: 'reserved', sql: '' };
