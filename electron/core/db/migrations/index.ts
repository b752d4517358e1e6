import { migration001 } from './001-initial.js';
import { migration002 } from './002-cases.js';
import { migration003 } from './003-ferpa.js';
import { migration004 } from './004-imports.js';
import { migration005 } from './005-exports.js';
import { migration006 } from './006-findings.js';
import { migration007 } from './007-import-pins.js';
import { migration008 } from './008-compliance.js';
import { migration009 } from './009-workflows.js';
import { migration010 } from './010-mfa.js';
import { migration011 } from './011-consent.js';
import { migration012 } from './012-incidents.js';
import { migration013 } from './013-retention.js';
import { migration014 } from './014-bundle-requests.js';
import { migration015 } from './015-alerts.js';
import { migration016 } from './016-privacy-requests.js';
import { migration017 } from './017-ledger-prune.js';
import { migration018 } from './018-export-schedules.js';
import { migration019 } from './019-ledger-text.js';
import { migration020 } from './020-witness.js';
import { migration021 } from './021-audit-log-approval.js';
import { migration022 } from './022-subject-dependency.js';
import { migration023 } from './023-subpoena-counsel.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order; version N is the N-th entry. Add one file per version. */
export const MIGRATIONS: readonly Migration[] = [
  migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015,
  migration016,
  migration017, migration018, migration019, migration020, migration021, migration022, migration023,
];
