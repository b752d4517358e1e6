import { prepared } from '../db/statements.js';
import type { Workspace } from '../workspace.js';

/**
 * A resource that moves through a table of states (amendment requests, subpoenas, and the
 * compliance work that follows): where its rows live, how to read one, which moves its table
 * allows, and which fields of the row every one of its events carries.
 */
export interface StatefulResource<Row extends { state: S }, S extends string> {
  table: string;
  resourceType: string;
  row(ws: Workspace, id: string): Row;
  /** Throws a clear conflict when `from → to` is not in the resource's table of moves. */
  assertMove(id: string, from: S, to: S, verb: string): void;
  eventDetails(row: Row): Record<string, unknown>;
}

/** One move: who and when, the channel's action, the new state, and the columns it sets. */
export interface Move<Row, S extends string> {
  actor: string;
  at: Date;
  id: string;
  action: string;
  to: S;
  /** What the move does, for the refusal message ("start its review"). */
  verb: string;
  set: Record<string, string | null>;
  details?: Record<string, unknown>;
  /** Extra checks on the current row, inside the transaction. */
  check?: (row: Row) => void;
}

/** Column and table names come from code, never from a caller; checked anyway before they reach SQL. */
const SQL_NAME = /^[a-z_]+$/;

/**
 * Applies one state change in one transaction: re-reads the row, checks the move against the
 * table, runs the extra checks, updates `state`, `updated_at` and the given columns, and appends
 * the channel's event `{…eventDetails(row), from, to, …details}` stamped with the same instant.
 */
export function applyMove<Row extends { state: S }, S extends string>(ws: Workspace, res: StatefulResource<Row, S>, move: Move<Row, S>): void {
  ws.tx(() => {
    const r = res.row(ws, move.id);
    res.assertMove(move.id, r.state, move.to, move.verb);
    move.check?.(r);
    const cols: Record<string, string | null> = { ...move.set, state: move.to, updated_at: move.at.toISOString() };
    const names = Object.keys(cols);
    if (!SQL_NAME.test(res.table) || !names.every((n) => SQL_NAME.test(n))) throw new Error(`Invalid column in a move of ${res.table}.`);
    // Built from checked names, so each resource's few column sets are each compiled once.
    prepared<[Record<string, string | null>]>(ws.db, `UPDATE ${res.table} SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`).run({ ...cols, id: move.id });
    ws.ledger.append(
      {
        actor: move.actor,
        action: move.action,
        resource_type: res.resourceType,
        resource_id: move.id,
        details: { ...res.eventDetails(r), from: r.state, to: move.to, ...move.details },
      },
      move.at,
    );
  });
}
