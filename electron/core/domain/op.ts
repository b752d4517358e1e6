import type { Role } from '../../../shared/roles.js';
import { now as clockNow } from '../clock.js';

/**
 * Who does an operation, and when. Without `at` the core clock (clock.ts: real time, or the
 * simulated clock of `custos demo`) is read once per operation, and that same instant is used for
 * the stored timestamps and the ledger event, so a row and the event that recorded it agree.
 */
export interface Op {
  actor: string;
  /** The actor's role, when the operation comes through a session. */
  role?: Role;
  /** The session the operation comes through (absent for the CLI, the demo and scheduled work). */
  session?: string;
  at?: Date;
}

/** The instant of an operation. */
export function opTime(op: Op): Date {
  return op.at ?? clockNow();
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function utcDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
