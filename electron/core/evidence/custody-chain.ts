import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import type { custodyChainEntrySchema } from '../../../shared/contract/evidence.js';
import type { Workspace } from '../workspace.js';
import { custodyEvents, evidenceRow } from './evidence-store.js';
import { type Op } from '../domain/op.js';

export type ChainEntry = z.infer<typeof custodyChainEntrySchema>;

/** How content left the core, by the `via` of an evidence.access event. */
const ACCESS_KINDS: Record<string, string> = {
  'evidence.content': 'view',
  'evidence.download': 'download',
  'evidence.export': 'export',
};

function kindOf(action: string, details: Record<string, unknown>): string {
  const via = typeof details.via === 'string' ? ACCESS_KINDS[details.via] : undefined;
  if (action === 'evidence.access' && via) return via;
  return action.replace(/^evidence\./, '');
}

/**
 * The chain of custody of an item: every ledger event about it (intake, transfers, seals, views,
 * downloads and exports of its content, verifications, custody reports, refused disposals …), in
 * ledger order, with the from/to/location of the custody table where the event has one. The ledger
 * is the source of truth; the custody table adds detail.
 */
export function custodyChain(ws: Workspace, id: string): ChainEntry[] {
  evidenceRow(ws, id);
  const custody = new Map(custodyEvents(ws, id).map((c) => [c.ledgerSeq, c]));
  const events = ws.db
    .prepare("SELECT seq, ts, actor, action, outcome, details FROM events WHERE resource_type = 'evidence' AND resource_id = ? ORDER BY seq")
    .all(id) as { seq: number; ts: string; actor: string; action: string; outcome: string; details: string }[];
  return events.map((e) => {
    const c = custody.get(e.seq);
    const d = JSON.parse(e.details) as Record<string, unknown>;
    const purpose = c?.purpose ?? (typeof d.purpose === 'string' ? d.purpose : typeof d.reason === 'string' ? d.reason : typeof d.message === 'string' ? d.message : '');
    return {
      at: c?.at ?? e.ts,
      kind: c?.kind ?? kindOf(e.action, d),
      actor: e.actor,
      fromParty: c?.fromParty ?? null,
      toParty: c?.toParty ?? null,
      purpose,
      location: c?.location ?? '',
      outcome: e.outcome,
      ledgerSeq: e.seq,
    };
  });
}

/** The chain as a downloadable file; the export itself is ledgered (evidence.custodyReport). */
export function custodyReport(ws: Workspace, op: Op, id: string, format: 'csv' | 'json'): { fileName: string; mediaType: string; content: string } {
  const { actor } = op;
  const row = evidenceRow(ws, id);
  const chain = custodyChain(ws, id);
  ws.record({ actor, action: 'evidence.custodyReport', resource_type: 'evidence', resource_id: id, details: { format, entries: chain.length } });
  if (format === 'json') {
    const content = JSON.stringify(
      { evidence: { id: row.id, title: row.title, sha256: row.sha256, size_bytes: row.size_bytes, collected_at: row.collected_at, collected_by: row.collected_by, source: row.source, status: row.status }, chain },
      null,
      2,
    );
    return { fileName: `${id}-custody.json`, mediaType: 'application/json', content };
  }
  const content = stringify(
    chain.map((c) => [c.ledgerSeq, c.at, c.kind, c.actor, c.fromParty ?? '', c.toParty ?? '', c.purpose, c.location, c.outcome]),
    { header: true, columns: ['ledger_seq', 'at', 'kind', 'actor', 'from', 'to', 'purpose', 'location', 'outcome'] },
  );
  return { fileName: `${id}-custody.csv`, mediaType: 'text/csv', content };
}
