import { migration001 } from './001-initial.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order; version N is the N-th entry. Add one file per version. */
export const MIGRATIONS: readonly Migration[] = [migration001];
