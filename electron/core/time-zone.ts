import { canonicalTimeZone, machineTimeZone } from '../../shared/day-count.js';
import type { Db } from './db/open.js';
import { prepared } from './db/statements.js';
import { opTime, type Op } from './domain/op.js';
import { CustosError } from './errors.js';
import type { Workspace } from './workspace.js';

/*
 * The workspace's time zone: the calendar that deadlines are counted on (shared/day-count.ts). A
 * workspace that has chosen none counts in the zone of the machine that opens it; an administrator
 * can fix one (workspace.setTimeZone), so every machine counts the same days.
 */

const KEY = 'time_zone';

function storedTimeZone(db: Db): string | null {
  return prepared<[string], { value: string }>(db, 'SELECT value FROM meta WHERE key = ?').get(KEY)?.value ?? null;
}

/** The zone deadlines are counted in: the workspace's setting, else the machine's. */
export function workspaceTimeZone(ws: Workspace): { timeZone: string; fromMachine: boolean } {
  return timeZoneOfDb(ws.db);
}

/** The same, from the workspace's database (for code that holds only the database, such as the reports). */
export function timeZoneOfDb(db: Db): { timeZone: string; fromMachine: boolean } {
  const stored = storedTimeZone(db);
  const zone = stored ? canonicalTimeZone(stored) : null;
  return zone ? { timeZone: zone, fromMachine: false } : { timeZone: machineTimeZone(), fromMachine: true };
}

/** Sets the workspace's time zone (an IANA name such as Europe/Berlin), ledgered with the one it replaces. */
export function setWorkspaceTimeZone(ws: Workspace, op: Op, requested: string): { timeZone: string; fromMachine: boolean } {
  const zone = canonicalTimeZone(requested);
  if (!zone) throw new CustosError('validation', `${requested} is not a time zone; use a name such as Europe/Berlin or America/New_York.`);
  return ws.tx(() => {
    const from = workspaceTimeZone(ws);
    prepared<[string, string]>(ws.db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, zone);
    ws.ledger.append(
      { actor: op.actor, action: 'workspace.setTimeZone', resource_type: 'workspace', resource_id: ws.id, details: { from: from.fromMachine ? null : from.timeZone, to: zone } },
      opTime(op),
    );
    return { timeZone: zone, fromMachine: false };
  });
}
