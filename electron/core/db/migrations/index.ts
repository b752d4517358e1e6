import { migration001 } from './001-initial.js';
import { migration002 } from './002-cases.js';
import { migration003 } from './003-ferpa.js';
import { migration004 } from './004-imports.js';
import { migration005 } from './005-exports.js';
import { migration006 } from './006-findings.js';
import { migration007 } from './007-import-pins.js';
import { migration008 } from './008-compliance.js';
import { migration013 } from './013-incidents.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order; version N is the N-th entry. Add one file per version. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008,
  // TEMPORARY (incidents branch): 013 runs as the 9th entry until 009–012 are merged; then drop the override and list migration013 as is.
  { ...migration013, version: 9 }];
