import type { CaseSummary, LinkedItem, LinkItemType } from '../../../shared/contract/cases.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { getCase } from './cases.js';
import { opTime, type Op } from '../domain/op.js';

const ITEM_TABLE: Record<LinkItemType, { table: string; label: string; status: string; noun: string }> = {
  record: { table: 'records', label: "CASE WHEN t.status = 'active' THEN t.title ELSE '(' || t.status || ' record)' END", status: 't.status', noun: 'record' },
  evidence: { table: 'evidence', label: 't.title', status: 't.status', noun: 'evidence item' },
  subject: { table: 'subjects', label: 't.display_name', status: "'subject'", noun: 'subject' },
};

/** Throws not_found unless the item exists. */
export function assertItemExists(ws: Workspace, type: LinkItemType, id: string): void {
  const t = ITEM_TABLE[type];
  if (!ws.db.prepare(`SELECT 1 FROM ${t.table} WHERE id = ?`).get(id)) {
    throw new CustosError('not_found', `There is no ${t.noun} ${id}.`, { resourceType: type, resourceId: id });
  }
}

/** Links an item to a case (inside the caller's transaction when there is one); ledgered as cases.link. */
export function linkItem(ws: Workspace, op: Op, caseId: string, type: LinkItemType, itemId: string): CaseSummary {
  const at = opTime(op);
  return ws.tx(() => {
    assertCaseOpen(ws, caseId, 'linking an item');
    assertItemExists(ws, type, itemId);
    const now = at.toISOString();
    const inserted = ws.db
      .prepare('INSERT OR IGNORE INTO case_links (case_id, item_type, item_id, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)')
      .run(caseId, type, itemId, op.actor, now);
    if (inserted.changes === 0) return getCase(ws, caseId);
    ws.db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(now, caseId);
    ws.ledger.append({ actor: op.actor, action: 'cases.link', resource_type: 'case', resource_id: caseId, details: { item_type: type, item_id: itemId } }, at);
    return getCase(ws, caseId);
  });
}

/**
 * Removes a link. Refused with `held` while the case has an active legal hold: the link is what
 * makes the hold cover the item, so removing it would quietly release the item.
 */
export function unlinkItem(ws: Workspace, op: Op, caseId: string, type: LinkItemType, itemId: string): CaseSummary {
  const at = opTime(op);
  return ws.tx(() => {
    getCase(ws, caseId);
    const holds = ws.db.prepare("SELECT id, title, case_id AS caseId FROM legal_holds WHERE case_id = ? AND status = 'active' ORDER BY id").all(caseId) as {
      id: string;
      title: string;
      caseId: string;
    }[];
    const exists = ws.db.prepare('SELECT 1 FROM case_links WHERE case_id = ? AND item_type = ? AND item_id = ?').get(caseId, type, itemId);
    if (!exists) throw new CustosError('not_found', `${itemId} is not linked to case ${caseId}.`, { resourceType: 'case', resourceId: caseId });
    if (holds.length > 0 && type !== 'subject') {
      throw new CustosError(
        'held',
        `${itemId} is under legal hold ${holds.map((h) => h.id).join(', ')} through case ${caseId}; release the hold before unlinking it.`,
        { holds, resourceType: type, resourceId: itemId },
      );
    }
    ws.db.prepare('DELETE FROM case_links WHERE case_id = ? AND item_type = ? AND item_id = ?').run(caseId, type, itemId);
    ws.db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(at.toISOString(), caseId);
    ws.ledger.append({ actor: op.actor, action: 'cases.unlink', resource_type: 'case', resource_id: caseId, details: { item_type: type, item_id: itemId } }, at);
    return getCase(ws, caseId);
  });
}

/** Every item linked to a case, with a label and status for display. */
export function listLinks(ws: Workspace, caseId: string): LinkedItem[] {
  const out: LinkedItem[] = [];
  for (const type of Object.keys(ITEM_TABLE) as LinkItemType[]) {
    const t = ITEM_TABLE[type];
    const rows = ws.db
      .prepare(
        `SELECT l.item_id, l.linked_by, l.linked_at, ${t.label} AS label, ${t.status} AS status
         FROM case_links l JOIN ${t.table} t ON t.id = l.item_id
         WHERE l.case_id = ? AND l.item_type = ? ORDER BY l.linked_at, l.item_id`,
      )
      .all(caseId, type) as { item_id: string; linked_by: string; linked_at: string; label: string; status: string }[];
    for (const r of rows) out.push({ itemType: type, itemId: r.item_id, label: r.label, status: r.status, linkedBy: r.linked_by, linkedAt: r.linked_at });
  }
  return out;
}

/** The ids of the cases an item is linked to. */
export function casesOf(ws: Workspace, type: LinkItemType, itemId: string): string[] {
  return (ws.db.prepare('SELECT case_id FROM case_links WHERE item_type = ? AND item_id = ? ORDER BY case_id').all(type, itemId) as { case_id: string }[]).map(
    (r) => r.case_id,
  );
}
