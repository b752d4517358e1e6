import { randomUUID } from 'node:crypto';
import type { Notice } from '../../../shared/contract/holds.js';
import type { Workspace } from '../workspace.js';
import type { HoldRow } from './hold-rows.js';
import type { ScopeData } from './hold-scope.js';
import { holdPolicy } from './hold-policy.js';
import { insertNoticeRow, noticeRowsOfHold } from './holds-store.js';

type Kind = Notice['kind'];

/** A plain-language summary of what a custodian must preserve. */
export function describeScope(scope: ScopeData, caseId: string): string {
  const parts = [`all material relating to case ${caseId}`];
  if (scope.subjectIds.length) parts.push(`records about ${scope.subjectIds.join(', ')}`);
  if (scope.categories.length) parts.push(`records in the categories ${scope.categories.join(', ')}`);
  if (scope.keywords.length) parts.push(`anything mentioning ${scope.keywords.map((k) => `"${k}"`).join(', ')}`);
  if (scope.dateFrom || scope.dateTo) parts.push(`dated ${scope.dateFrom ? `from ${scope.dateFrom}` : ''}${scope.dateFrom && scope.dateTo ? ' ' : ''}${scope.dateTo ? `through ${scope.dateTo}` : ''}`);
  return parts.join('; ');
}

/** Fills a notice template of resources/policies/holds.json. */
export function renderNotice(kind: Kind, values: Record<string, string>): string {
  const template = holdPolicy().notice[kind];
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

/** Stores one notice (append-only) and returns it; call inside `ws.tx`. */
export function insertNotice(
  ws: Workspace,
  hold: HoldRow,
  custodian: { id: string; name: string },
  kind: Kind,
  body: string,
  actor: string,
  at: string,
): Notice {
  const id = randomUUID();
  insertNoticeRow(ws.db, { id, holdId: hold.id, custodianId: custodian.id, kind, body, issuedBy: actor, issuedAt: at });
  return { id, holdId: hold.id, custodianId: custodian.id, custodianName: custodian.name, kind, body, issuedBy: actor, issuedAt: at };
}

/** Every notice of a hold, oldest first. */
export function listNotices(ws: Workspace, holdId: string): Notice[] {
  const rows = noticeRowsOfHold(ws.db, holdId);
  return rows.map((r) => ({
    id: r.id,
    holdId: r.hold_id,
    custodianId: r.custodian_id,
    custodianName: r.custodian_name,
    kind: r.kind,
    body: r.body,
    issuedBy: r.issued_by,
    issuedAt: r.issued_at,
  }));
}
