import type { LedgerFilter } from '../../../shared/contract/core.js';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { caseScope, type CaseResourceProvider } from '../cases/case-scope.js';
import { activeHoldsFor } from '../holds/active-holds.js';
import { rowToEvent } from '../ledger/ledger.js';
import type { Workspace } from '../workspace.js';
import type { ExportCustodyEntry, ExportEvidenceItem } from './formats/types.js';
import {
  countEventRowsInScope,
  countEvidenceRowsInScope,
  custodyRowsThrough,
  eventRowsInScope,
  evidenceRowsInScope,
  type ExportScope,
  type ScopeEvidenceItemRow,
} from './exports-store.js';

/*
 * What an export request covers (its SQL is in exports-store.ts), so that counting (for the PDF limit at request time and
 * the progress total) and writing select exactly the same rows.
 *
 * Events: the ledger filters, the case (its events as cases/case-scope.ts defines them, the same
 * the case's timeline and bundles show), and nothing after the checkpoint the export is cut at.
 *
 * Evidence: the items linked to the case when there is one, otherwise every item; with a date
 * range in the filters, only items collected or transferred within it. Other filters (actor,
 * action, outcome, text …) select events, not evidence. Only what the checkpoint covers is
 * shown: items whose intake is in the ledger up to it, custody entries up to it, and status,
 * custodian and location replayed from those entries.
 */

export type { ExportScope } from './exports-store.js';

/** The scope of an export of these filters and case, cut at `throughSeq`; an unknown case is refused with `not_found`. */
export function exportScope(
  ws: Workspace,
  what: { filters: LedgerFilter; caseId: string | null; throughSeq: number },
  providers: readonly CaseResourceProvider[],
): ExportScope {
  return { ...what, caseEvents: what.caseId ? caseScope(ws, what.caseId, providers) : null };
}

/** How many events the scope holds (one COUNT with the same conditions the export reads with). */
export function countEventsInScope(ws: Workspace, scope: ExportScope): number {
  return countEventRowsInScope(ws.db, scope);
}

/**
 * The events of the scope in seq order, read in chunks by seq (never all at once, and without
 * an open statement between chunks, so other work on the database can go on while a file is written).
 * Chunks of 1,000 rather than 5,000 kept the peak RSS of a 1M-event CSV export near 150-170 MB
 * instead of 220 MB, at the same CPU time (`npm run bench -- --scale`).
 */
export function* eventsInScope(ws: Workspace, scope: ExportScope, chunk = 1000): Generator<LedgerEvent> {
  const read = eventRowsInScope(ws.db, scope);
  let after = 0;
  for (;;) {
    const rows = read(after, chunk);
    if (rows.length === 0) return;
    for (const r of rows) yield rowToEvent(r);
    after = rows[rows.length - 1]!.seq;
  }
}

/**
 * How many evidence items the scope holds, and how many table rows they cost a PDF (one per
 * item and one per custody entry up to the checkpoint).
 */
export function countEvidenceInScope(ws: Workspace, scope: ExportScope): { items: number; pdfRows: number } {
  const row = countEvidenceRowsInScope(ws.db, scope);
  return { items: row.items, pdfRows: row.items + row.entries };
}

/** Status, custodian and location after the chain's entries (DESIGN §10; see evidence/custody.ts). */
function replay(chain: readonly ExportCustodyEntry[], row: ScopeEvidenceItemRow): Pick<ExportEvidenceItem, 'status' | 'custodian' | 'location'> {
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
  const read = evidenceRowsInScope(ws.db, scope);
  let after = '';
  for (;;) {
    const rows = read(after, page);
    if (rows.length === 0) return;
    for (const row of rows) {
      const chain = custodyRowsThrough(ws.db, row.id, scope.throughSeq).map(
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
