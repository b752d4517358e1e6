import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { activeHoldsFor } from '../holds/active-holds.js';
import { rowToEvent } from '../ledger/ledger.js';
import { filterSql } from '../ledger/query.js';
import type { Workspace } from '../workspace.js';
import type { ExportCustodyEntry, ExportEvidenceItem } from './formats/types.js';

/*
 * What an export request covers, as SQL, so that counting (for the PDF limit at request time and
 * the progress total) and writing select exactly the same rows.
 *
 * Events: the ledger filters, the case (events about the case, or whose details name it as
 * case_id), and nothing after the checkpoint the export is cut at.
 *
 * Evidence: the items linked to the case when there is one, otherwise every item; with a date
 * range in the filters, only items collected or transferred within it. Other filters (actor,
 * action, outcome, text …) select events, not evidence. Only what the checkpoint covers is
 * shown: items whose intake is in the ledger up to it, custody entries up to it, and status,
 * custodian and location replayed from those entries.
 */

const EVENT_COLUMNS = 'seq, ts, actor, action, resource_type, resource_id, outcome, details, prev_hash, hash';

/** The scope of an export: its filters, its case and the last ledger seq it may show. */
export interface ExportScope {
  filters: LedgerFilter;
  caseId: string | null;
  throughSeq: number;
}

interface Condition {
  sql: string;
  params: (string | number)[];
}

function eventCondition(scope: ExportScope): Condition {
  const { where, params } = filterSql(scope.filters);
  const clauses = where ? [where.replace(/^WHERE /, '')] : [];
  const all = [...params];
  if (scope.caseId) {
    clauses.push("(resource_id = ? OR json_extract(details, '$.case_id') = ?)");
    all.push(scope.caseId, scope.caseId);
  }
  clauses.push('seq <= ?');
  all.push(scope.throughSeq);
  return { sql: clauses.map((c) => `(${c})`).join(' AND '), params: all };
}

/** How many events the scope holds (one COUNT with the same conditions the export reads with). */
export function countEventsInScope(ws: Workspace, scope: ExportScope): number {
  const c = eventCondition(scope);
  return (ws.db.prepare(`SELECT count(*) AS n FROM events WHERE ${c.sql}`).get(...c.params) as { n: number }).n;
}

/**
 * The events of the scope in seq order, read in chunks by seq (never all at once, and without
 * an open statement between chunks, so other work on the database can go on while a file is written).
 */
export function* eventsInScope(ws: Workspace, scope: ExportScope, chunk = 5000): Generator<LedgerEvent> {
  const c = eventCondition(scope);
  const stmt = ws.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${c.sql} AND seq > ? ORDER BY seq LIMIT ?`);
  let after = 0;
  for (;;) {
    const rows = stmt.all(...c.params, after, chunk) as never[];
    if (rows.length === 0) return;
    for (const r of rows) yield rowToEvent(r);
    after = (rows[rows.length - 1] as unknown as { seq: number }).seq;
  }
}

/** Upper bound of a date range as filterSql reads it: a bare date means through the end of that day. */
function upperBound(to: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(to) ? `${to}T23:59:59.999Z` : to;
}

function evidenceCondition(scope: ExportScope): Condition {
  const clauses = ["EXISTS (SELECT 1 FROM custody_events i WHERE i.evidence_id = e.id AND i.kind = 'intake' AND i.ledger_seq <= ?)"];
  const params: (string | number)[] = [scope.throughSeq];
  if (scope.caseId) {
    clauses.push("EXISTS (SELECT 1 FROM case_links l WHERE l.case_id = ? AND l.item_type = 'evidence' AND l.item_id = e.id)");
    params.push(scope.caseId);
  }
  const { from, to } = scope.filters;
  if (from || to) {
    const range = (col: string): string => [from ? `${col} >= ?` : null, to ? `${col} <= ?` : null].filter((x) => x !== null).join(' AND ');
    const bounds = [...(from ? [from] : []), ...(to ? [upperBound(to)] : [])];
    clauses.push(
      `((${range('e.collected_at')}) OR EXISTS (SELECT 1 FROM custody_events t WHERE t.evidence_id = e.id AND t.kind = 'transfer' AND t.ledger_seq <= ? AND ${range('t.at')}))`,
    );
    params.push(...bounds, scope.throughSeq, ...bounds);
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * How many evidence items the scope holds, and how many table rows they cost a PDF (one per
 * item and one per custody entry up to the checkpoint).
 */
export function countEvidenceInScope(ws: Workspace, scope: ExportScope): { items: number; pdfRows: number } {
  const c = evidenceCondition(scope);
  const row = ws.db
    .prepare(
      `SELECT count(*) AS items,
              coalesce(sum((SELECT count(*) FROM custody_events x WHERE x.evidence_id = e.id AND x.ledger_seq <= ?)), 0) AS entries
       FROM evidence e WHERE ${c.sql}`,
    )
    .get(scope.throughSeq, ...c.params) as { items: number; entries: number };
  return { items: row.items, pdfRows: row.items + row.entries };
}

interface EvidenceRow {
  id: string;
  title: string;
  description: string;
  source: string;
  original_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  collected_by: string;
  collected_at: string;
  status: ExportEvidenceItem['status'];
  integrity: ExportEvidenceItem['integrity'];
  last_verified_at: string | null;
  custodian: string;
  location: string;
}

interface CustodyRow {
  kind: ExportCustodyEntry['kind'];
  from_party: string | null;
  to_party: string | null;
  purpose: string;
  location: string;
  at: string;
  recorded_by: string;
  ledger_seq: number;
}

/** Status, custodian and location after the chain's entries (DESIGN §10; see evidence/custody.ts). */
function replay(chain: readonly ExportCustodyEntry[], row: EvidenceRow): Pick<ExportEvidenceItem, 'status' | 'custodian' | 'location'> {
  if (chain.length === 0) return { status: row.status, custodian: row.custodian, location: row.location };
  let status: ExportEvidenceItem['status'] = 'collected';
  let custodian = row.custodian;
  let location = row.location;
  for (const c of chain) {
    if (c.kind === 'intake') status = 'collected';
    // A sealed item that moves (the sealed bag goes to the vault) stays sealed.
    else if (c.kind === 'transfer') status = status === 'sealed' ? 'sealed' : 'transferred';
    else if (c.kind === 'seal') status = 'sealed';
    else if (c.kind === 'release') status = 'released';
    else status = 'disposed';
    if ((c.kind === 'intake' || c.kind === 'transfer') && c.to !== null) custodian = c.to;
    location = c.location;
  }
  return { status, custodian, location };
}

/**
 * The evidence register of the scope, item by item in id order, read in pages: each item with
 * its active legal holds and its chain of custody up to the checkpoint.
 */
export function* evidenceInScope(ws: Workspace, scope: ExportScope, page = 200): Generator<ExportEvidenceItem> {
  const c = evidenceCondition(scope);
  const items = ws.db.prepare(
    `SELECT id, title, description, source, original_name, media_type, size_bytes, sha256, collected_by, collected_at, status, integrity,
            last_verified_at, custodian, location
     FROM evidence e WHERE ${c.sql} AND e.id > ? ORDER BY e.id LIMIT ?`,
  );
  const custody = ws.db.prepare(
    'SELECT kind, from_party, to_party, purpose, location, at, recorded_by, ledger_seq FROM custody_events WHERE evidence_id = ? AND ledger_seq <= ? ORDER BY id',
  );
  let after = '';
  for (;;) {
    const rows = items.all(...c.params, after, page) as EvidenceRow[];
    if (rows.length === 0) return;
    for (const row of rows) {
      const chain = (custody.all(row.id, scope.throughSeq) as CustodyRow[]).map(
        (r): ExportCustodyEntry => ({
          ledger_seq: r.ledger_seq,
          kind: r.kind,
          at: r.at,
          from: r.from_party,
          to: r.to_party,
          purpose: r.purpose,
          location: r.location,
          recorded_by: r.recorded_by,
        }),
      );
      const holds = activeHoldsFor(ws, 'evidence', row.id).map((h) => ({ id: h.id, title: h.title, case_id: h.caseId }));
      yield {
        id: row.id,
        title: row.title,
        description: row.description,
        source: row.source,
        original_name: row.original_name,
        media_type: row.media_type,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
        collected_by: row.collected_by,
        collected_at: row.collected_at,
        ...replay(chain, row),
        integrity: row.integrity,
        last_verified_at: row.last_verified_at,
        holds,
        custody: chain,
      };
    }
    after = rows[rows.length - 1]!.id;
  }
}
