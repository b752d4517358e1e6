import { randomUUID } from 'node:crypto';
import type { Custodian, HoldDueItem, Notice } from '../../../shared/contract/holds.js';
import { now as clockNow } from '../clock.js';
import { opTime, type Op } from '../domain/op.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { addDays, holdPolicy } from './hold-policy.js';
import { holdRow, holdScope, type HoldRow } from './hold-rows.js';
import {
  activeHoldRows,
  addCustodianReminder,
  custodianExists,
  custodianRowOfHold,
  custodianRowsOfHold,
  insertPendingCustodian,
  setCustodianAcknowledged,
  setCustodianEscalated,
  setCustodianReleaseNotified,
  setCustodianSent,
  touchHold,
  type CustodianRow,
} from './holds-store.js';
import { describeScope, insertNotice, renderNotice } from './notices.js';

/** When a custodian's next reminder and escalation fall due, per resources/policies/holds.json. */
export function dueDates(row: CustodianRow, holdStatus: string): { reminderDueAt: string | null; escalationDueAt: string | null } {
  if (holdStatus !== 'active' || !row.sent_at || !row.last_notice_at) return { reminderDueAt: null, escalationDueAt: null };
  const p = holdPolicy();
  if (row.notice_status === 'acknowledged') {
    const since = row.acknowledged_at && row.acknowledged_at > row.last_notice_at ? row.acknowledged_at : row.last_notice_at;
    return { reminderDueAt: addDays(since, p.periodicReminderDays), escalationDueAt: null };
  }
  return {
    reminderDueAt: addDays(row.last_notice_at, p.acknowledgementReminderDays),
    escalationDueAt: row.notice_status === 'sent' ? addDays(row.sent_at, p.escalateAfterDays) : null,
  };
}

function toCustodian(r: CustodianRow, holdStatus: string): Custodian {
  return {
    id: r.id,
    holdId: r.hold_id,
    name: r.name,
    email: r.email,
    noticeStatus: r.notice_status,
    sentAt: r.sent_at,
    lastNoticeAt: r.last_notice_at,
    reminders: r.reminders,
    acknowledgedAt: r.acknowledged_at,
    ackMethod: r.ack_method,
    escalatedAt: r.escalated_at,
    escalatedTo: r.escalated_to,
    releaseNotifiedAt: r.release_notified_at,
    ...dueDates(r, holdStatus),
  };
}

function custodianRows(ws: Workspace, holdId: string): CustodianRow[] {
  return custodianRowsOfHold(ws.db, holdId);
}

/** The custodians of a hold with their notice state and due dates. */
export function listCustodians(ws: Workspace, hold: HoldRow): Custodian[] {
  return custodianRows(ws, hold.id).map((r) => toCustodian(r, hold.status));
}

function custodian(ws: Workspace, hold: HoldRow, id: string): CustodianRow {
  const row = custodianRowOfHold(ws.db, hold.id, id);
  if (!row) throw new CustosError('not_found', `Legal hold ${hold.id} has no custodian ${id}.`, { resourceType: 'hold', resourceId: hold.id });
  return row;
}

/** Inserts a custodian row, added by `op.actor` at the operation's instant; call inside `ws.tx`. */
export function insertCustodian(ws: Workspace, op: Op, holdId: string, c: { name: string; email: string }): string {
  const actor = op.actor;
  const at = opTime(op).toISOString();
  if (custodianExists(ws.db, holdId, c.name, c.email)) throw new CustosError('conflict', `${c.name} is already a custodian of legal hold ${holdId}.`, { resourceType: 'hold', resourceId: holdId });
  const id = randomUUID();
  insertPendingCustodian(ws.db, { id, holdId, name: c.name, email: c.email, addedBy: actor, addedAt: at });
  return id;
}

function assertStatus(hold: HoldRow, allowed: readonly HoldRow['status'][], what: string): void {
  if (!allowed.includes(hold.status)) {
    const hint = hold.status === 'draft' ? ' Activate it first.' : '';
    throw new CustosError('conflict', `Legal hold ${hold.id} is ${hold.status}; ${what} is not possible.${hint}`, { resourceType: 'hold', resourceId: hold.id });
  }
}

/** Adds a custodian to a draft or active hold; ledgered as holds.addCustodian. */
export function addCustodian(ws: Workspace, op: Op, holdId: string, c: { name: string; email: string }): Custodian {
  const at = opTime(op);
  return ws.tx(() => {
    const hold = holdRow(ws, holdId);
    assertStatus(hold, ['draft', 'active'], 'adding a custodian');
    const id = insertCustodian(ws, { ...op, at }, holdId, c);
    touchHold(ws.db, holdId, at.toISOString());
    ws.ledger.append({ actor: op.actor, action: 'holds.addCustodian', resource_type: 'hold', resource_id: holdId, details: { custodian_id: id, custodian: c.name } }, at);
    return toCustodian(custodian(ws, hold, id), hold.status);
  });
}

function values(ws: Workspace, hold: HoldRow, c: CustodianRow, extra: Record<string, string> = {}): Record<string, string> {
  return {
    hold: hold.id,
    case: hold.case_id,
    title: hold.title,
    custodian: c.email ? `${c.name} <${c.email}>` : c.name,
    scope: describeScope(holdScope(ws, hold), hold.case_id),
    escalateTo: holdPolicy().escalateTo,
    ...extra,
  };
}

function pick(ws: Workspace, hold: HoldRow, ids: readonly string[] | undefined, auto: (r: CustodianRow) => boolean, allowed: (r: CustodianRow) => string | null): CustodianRow[] {
  if (!ids) return custodianRows(ws, hold.id).filter(auto);
  return [...new Set(ids)].map((id) => {
    const r = custodian(ws, hold, id);
    const why = allowed(r);
    if (why) throw new CustosError('conflict', why, { resourceType: 'hold', resourceId: hold.id, custodianId: id });
    return r;
  });
}

/** Issues the hold notice to pending custodians (pending → sent); one ledger event per notice. */
export function issueNotices(ws: Workspace, op: Op, holdId: string, ids?: readonly string[]): Notice[] {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    const hold = holdRow(ws, holdId);
    assertStatus(hold, ['active'], 'issuing notices');
    const targets = pick(
      ws,
      hold,
      ids,
      (r) => r.notice_status === 'pending',
      (r) => (r.notice_status === 'pending' ? null : `${r.name} was already notified (${r.notice_status}); send a reminder instead.`),
    );
    return targets.map((c) => {
      const notice = insertNotice(ws, hold, c, 'hold', renderNotice('hold', values(ws, hold, c)), op.actor, now);
      setCustodianSent(ws.db, c.id, now);
      ws.ledger.append(
        { actor: op.actor, action: 'holds.issueNotices', resource_type: 'hold', resource_id: holdId, details: { custodian_id: c.id, custodian: c.name, notice: notice.id } },
        at,
      );
      return notice;
    });
  });
}

/** Records an acknowledgement (sent or escalated → acknowledged); ledgered as holds.acknowledge. */
export function acknowledge(ws: Workspace, op: Op, holdId: string, custodianId: string, method: string): Custodian {
  const at = opTime(op);
  return ws.tx(() => {
    const hold = holdRow(ws, holdId);
    assertStatus(hold, ['active'], 'recording an acknowledgement');
    const c = custodian(ws, hold, custodianId);
    if (c.notice_status !== 'sent' && c.notice_status !== 'escalated') {
      const why = c.notice_status === 'pending' ? 'has not been sent the notice yet' : 'has already acknowledged it';
      throw new CustosError('conflict', `${c.name} ${why}.`, { resourceType: 'hold', resourceId: holdId, custodianId });
    }
    setCustodianAcknowledged(ws.db, custodianId, at.toISOString(), method);
    ws.ledger.append(
      { actor: op.actor, action: 'holds.acknowledge', resource_type: 'hold', resource_id: holdId, details: { custodian_id: custodianId, custodian: c.name, method, was: c.notice_status } },
      at,
    );
    return toCustodian(custodian(ws, hold, custodianId), hold.status);
  });
}

/** Issues reminders to custodians whose reminder is due (or to the ones named); ledgered per notice. */
export function sendReminders(ws: Workspace, op: Op, holdId: string, ids?: readonly string[]): Notice[] {
  const at = opTime(op);
  const now = at.toISOString();
  return ws.tx(() => {
    const hold = holdRow(ws, holdId);
    assertStatus(hold, ['active'], 'sending reminders');
    const targets = pick(
      ws,
      hold,
      ids,
      (r) => {
        const due = dueDates(r, hold.status).reminderDueAt;
        return due !== null && due <= now;
      },
      (r) => (r.notice_status === 'pending' ? `${r.name} has not been sent the hold notice yet; issue it first.` : null),
    );
    return targets.map((c) => {
      const ack = c.notice_status === 'acknowledged' ? '' : '\n\nYou have not yet acknowledged this notice; please do so now.';
      const notice = insertNotice(ws, hold, c, 'reminder', renderNotice('reminder', values(ws, hold, c, { ack })), op.actor, now);
      addCustodianReminder(ws.db, c.id, now);
      ws.ledger.append(
        { actor: op.actor, action: 'holds.sendReminders', resource_type: 'hold', resource_id: holdId, details: { custodian_id: c.id, custodian: c.name, notice: notice.id } },
        at,
      );
      return notice;
    });
  });
}

/** Escalates unacknowledged custodians past the policy period (or the ones named): sent → escalated. */
export function escalate(ws: Workspace, op: Op, holdId: string, ids?: readonly string[]): Notice[] {
  const at = opTime(op);
  const now = at.toISOString();
  const to = holdPolicy().escalateTo;
  return ws.tx(() => {
    const hold = holdRow(ws, holdId);
    assertStatus(hold, ['active'], 'escalating');
    const targets = pick(
      ws,
      hold,
      ids,
      (r) => {
        const due = dueDates(r, hold.status).escalationDueAt;
        return due !== null && due <= now;
      },
      (r) => (r.notice_status === 'sent' ? null : `${r.name} cannot be escalated: the notice is ${r.notice_status}.`),
    );
    return targets.map((c) => {
      const days = String(Math.floor((at.getTime() - new Date(c.sent_at ?? now).getTime()) / 86_400_000));
      const body = renderNotice('escalation', values(ws, hold, c, { sentAt: (c.sent_at ?? now).slice(0, 10), days }));
      const notice = insertNotice(ws, hold, c, 'escalation', body, op.actor, now);
      setCustodianEscalated(ws.db, c.id, now, to);
      ws.ledger.append(
        { actor: op.actor, action: 'holds.escalate', resource_type: 'hold', resource_id: holdId, details: { custodian_id: c.id, custodian: c.name, escalated_to: to, days_unacknowledged: Number(days) } },
        at,
      );
      return notice;
    });
  });
}

/** Release notices for every custodian who was notified; call inside the releasing transaction. */
export function issueReleaseNotices(ws: Workspace, op: Op, hold: HoldRow, reason: string, at: Date): Notice[] {
  const now = at.toISOString();
  return custodianRows(ws, hold.id)
    .filter((c) => c.notice_status !== 'pending')
    .map((c) => {
      const notice = insertNotice(ws, hold, c, 'release', renderNotice('release', values(ws, hold, c, { releasedAt: now.slice(0, 10), reason })), op.actor, now);
      setCustodianReleaseNotified(ws.db, c.id, now);
      return notice;
    });
}

/** Reminders and escalations due within `withinDays` across every active hold, soonest first. */
export function dueAcrossHolds(ws: Workspace, withinDays: number, now = clockNow()): HoldDueItem[] {
  const horizon = new Date(now.getTime() + withinDays * 86_400_000).toISOString();
  const nowIso = now.toISOString();
  const holds = activeHoldRows(ws.db);
  const items: HoldDueItem[] = [];
  for (const h of holds) {
    for (const c of custodianRows(ws, h.id)) {
      const d = dueDates(c, h.status);
      const base = { holdId: h.id, holdTitle: h.title, caseId: h.case_id, custodianId: c.id, custodianName: c.name };
      if (d.escalationDueAt && d.escalationDueAt <= horizon) items.push({ kind: 'escalation', ...base, dueAt: d.escalationDueAt, overdue: d.escalationDueAt <= nowIso });
      if (d.reminderDueAt && d.reminderDueAt <= horizon) items.push({ kind: 'reminder', ...base, dueAt: d.reminderDueAt, overdue: d.reminderDueAt <= nowIso });
    }
  }
  return items.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}
