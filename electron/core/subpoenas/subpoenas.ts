import type {
  NoticeExemptionGround,
  Subpoena,
  SubpoenaState,
  SubpoenaType,
} from '../../../shared/contract/subpoenas.js';
import { SUBPOENA_ACTIONS } from '../../../shared/contract/subpoenas.js';
import { addDays, deadlinePolicy, toUtcIso } from '../domain/deadlines.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { yearlyId } from '../domain/ids.js';
import { getSubject, recordsOfSubject } from '../domain/subject-rows.js';
import { findUser } from '../auth/users.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { SUBPOENA_TRANSITIONS, assertSubpoenaTransition } from './subpoena-states.js';
import { now as clockNow } from '../clock.js';
import { opTime, type Op } from '../domain/op.js';
import { applyMove, type StatefulResource } from '../domain/state-transition.js';
import { productionRefusal } from '../ferpa/ferpa-policy.js';
import {
  findSubpoenaRow,
  insertReceivedSubpoena,
  scopeRecordsOfSubpoena,
  setSubpoenaScope,
  type SubpoenaQuery,
  type SubpoenaRow,
  subpoenaRowsPage,
} from './subpoenas-store.js';

export type { SubpoenaRow } from './subpoenas-store.js';

/**
 * Which subpoenas may skip notice, and on what ground (34 CFR 99.31(a)(9)(ii)): (A) a federal grand
 * jury subpoena and (B) any other law enforcement subpoena whose court or agency ordered that its
 * existence or contents not be disclosed; (C) an ex parte court order (20 U.S.C. 1232g(j)).
 * A civil subpoena never does: the subject must be able to seek protective action first.
 */
export const EXEMPTION_GROUNDS_BY_TYPE: Record<SubpoenaType, readonly NoticeExemptionGround[]> = {
  grand_jury: ['nondisclosure_order'],
  law_enforcement: ['nondisclosure_order'],
  court_order: ['ex_parte_order'],
  civil: [],
};

export function subpoenaRow(ws: Workspace, id: string): SubpoenaRow {
  const r = findSubpoenaRow(ws.db, id);
  if (!r) throw new CustosError('not_found', `There is no subpoena ${id}.`, { resourceType: 'subpoena', resourceId: id });
  return r;
}

export function scopeOf(ws: Workspace, id: string): { id: string; title: string; category: string }[] {
  return scopeRecordsOfSubpoena(ws.db, id);
}

function toSubpoena(ws: Workspace, r: SubpoenaRow): Subpoena {
  return {
    id: r.id,
    caseId: r.case_id,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    issuer: r.issuer,
    court: r.court,
    docket: r.docket,
    type: r.type,
    requestedRecords: r.requested_records,
    state: r.state,
    servedAt: r.served_at,
    dueAt: r.due_at,
    noticeDueAt: r.notice_due_at,
    receivedAt: r.received_at,
    receivedBy: r.received_by,
    verifiedAt: r.verified_at,
    verifiedBy: r.verified_by,
    verifiedWith: r.verified_with,
    verificationNote: r.verification_note,
    noticeSentAt: r.notice_sent_at,
    noticeMethod: r.notice_method,
    noticeLate: r.notice_sent_at !== null && r.notice_sent_at > r.notice_due_at,
    noticeExemptGround: r.notice_exempt_ground,
    noticeExemptReason: r.notice_exempt_reason,
    nondisclosureUntil: r.nondisclosure_until,
    scopedAt: r.scoped_at,
    scope: scopeOf(ws, r.id),
    producedAt: r.produced_at,
    productionId: r.production_id,
    closedAt: r.closed_at,
    endReason: r.end_reason,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
  };
}

export function getSubpoena(ws: Workspace, id: string): Subpoena {
  return toSubpoena(ws, subpoenaRow(ws, id));
}

/** Why production is refused under the institution's policy while the subpoena could otherwise be produced, or null. */
export function subpoenaProductionRefusal(ws: Workspace, r: SubpoenaRow): string | null {
  if (['produced', 'closed', 'quashed', 'withdrawn'].includes(r.state)) return null;
  return productionRefusal(ws, r.type);
}

/** The next steps; production is left out while the institution's policy refuses it. */
export function allowedSubpoenaActions(ws: Workspace, r: SubpoenaRow): (typeof SUBPOENA_ACTIONS)[number][] {
  const next = SUBPOENA_TRANSITIONS[r.state];
  const map: Record<(typeof SUBPOENA_ACTIONS)[number], boolean> = {
    'subpoenas.verify': next.includes('verified'),
    'subpoenas.sendNotice': next.includes('notice_sent'),
    'subpoenas.exemptNotice': next.includes('notice_exempt') && EXEMPTION_GROUNDS_BY_TYPE[r.type].length > 0,
    'subpoenas.scope': next.includes('scoped'),
    'subpoenas.produce': next.includes('produced') && productionRefusal(ws, r.type) === null,
    'subpoenas.close': next.includes('closed'),
    'subpoenas.quash': next.includes('quashed'),
    'subpoenas.withdraw': next.includes('withdrawn'),
  };
  return SUBPOENA_ACTIONS.filter((a) => map[a]);
}

/** A page of subpoenas (newest first by default), filtered by state, type, subject or free text, and the total. */
export function listSubpoenas(ws: Workspace, f: SubpoenaQuery): { items: Subpoena[]; total: number } {
  const page = subpoenaRowsPage(ws.db, f);
  return { items: page.rows.map((r) => toSubpoena(ws, r)), total: page.total };
}

export interface ReceiveSubpoenaInput {
  subjectId: string;
  issuer: string;
  court: string;
  docket: string;
  type: SubpoenaType;
  requestedRecords: string;
  servedAt: string;
  dueAt: string;
  caseId?: string;
}

/**
 * `subpoenas.receive`. Notice is due `noticeDays` (policy; seed 002: 3 days) after service, and never
 * later than the response date, because 99.31(a)(9)(ii) wants notice in advance of compliance.
 */
export function receiveSubpoena(ws: Workspace, op: Op, input: ReceiveSubpoenaInput): Subpoena {
  const { actor } = op;
  const now = opTime(op);
  const subject = getSubject(ws, input.subjectId);
  if (input.caseId) assertCaseOpen(ws, input.caseId, 'filing a subpoena');
  const servedAt = toUtcIso(input.servedAt);
  const dueAt = toUtcIso(input.dueAt);
  if (servedAt > now.toISOString()) throw new CustosError('validation', 'A subpoena is logged once served; its service date cannot be in the future.');
  if (dueAt < servedAt) throw new CustosError('validation', 'The response date cannot come before the date the subpoena was served.');
  const byRule = addDays(servedAt, deadlinePolicy().subpoena.noticeDays);
  const noticeDueAt = byRule < dueAt ? byRule : dueAt;
  const ts = now.toISOString();
  const id = ws.tx(() => {
    const id = yearlyId(ws, 'SUB', now);
    insertReceivedSubpoena(ws.db, {
      id,
      caseId: input.caseId ?? null,
      subjectId: subject.id,
      issuer: input.issuer,
      court: input.court,
      docket: input.docket,
      type: input.type,
      requestedRecords: input.requestedRecords,
      servedAt,
      dueAt,
      noticeDueAt,
      actor,
      at: ts,
    });
    ws.ledger.append({
      actor,
      action: 'subpoenas.receive',
      resource_type: 'subpoena',
      resource_id: id,
      details: {
        subject_id: subject.id,
        type: input.type,
        served_at: servedAt,
        due_at: dueAt,
        notice_due_at: noticeDueAt,
        to: 'received',
        ...(input.caseId ? { case_id: input.caseId } : {}),
      },
    }, now);
    return id;
  });
  return getSubpoena(ws, id);
}

const SUBPOENAS: StatefulResource<SubpoenaRow, SubpoenaState> = {
  table: 'subpoenas',
  resourceType: 'subpoena',
  row: subpoenaRow,
  assertMove: assertSubpoenaTransition,
  eventDetails: (r) => ({ subject_id: r.subject_id }),
};

/** One state change (domain/state-transition.ts): checked against the table, ledgered in the same transaction. */
function transition(
  ws: Workspace,
  actor: string,
  id: string,
  action: string,
  to: SubpoenaState,
  verb: string,
  set: Record<string, string | null>,
  details: Record<string, unknown> = {},
  check?: (r: SubpoenaRow) => void,
  now: Date = clockNow(),
): Subpoena {
  applyMove(ws, SUBPOENAS, { actor, at: now, id, action, to, verb, set, details, ...(check ? { check } : {}) });
  return getSubpoena(ws, id);
}

/**
 * The legal counsel a verification rests on (seed 002, step 1: confirm with legal counsel): the
 * caller when they are counsel, else the counsel account they name, which must be an enabled
 * legal_counsel other than themselves. Refused (validation, at the field) when none is named.
 */
function confirmingCounsel(ws: Workspace, actor: string, named: string | undefined): string {
  const caller = findUser(ws, actor);
  if (caller?.role === 'legal_counsel' && (named === undefined || named === actor)) return actor;
  if (named === undefined) {
    throw new CustosError('validation', 'Name the legal counsel who confirmed the subpoena is legitimate (seed 002: confirm with legal counsel), or ask counsel to verify it.', {
      field: 'counsel',
    });
  }
  const counsel = findUser(ws, named);
  if (!counsel || counsel.role !== 'legal_counsel' || counsel.disabled) {
    throw new CustosError('validation', `${named} is not an enabled legal counsel account; name the counsel who confirmed the subpoena.`, { field: 'counsel' });
  }
  return counsel.username;
}

export function verifySubpoena(ws: Workspace, op: Op, id: string, note: string, counsel?: string): Subpoena {
  const { actor } = op;
  const now = opTime(op);
  const confirmedBy = confirmingCounsel(ws, actor, counsel);
  return transition(
    ws,
    actor,
    id,
    'subpoenas.verify',
    'verified',
    'be verified',
    {
      verified_at: now.toISOString(),
      verified_by: actor,
      verified_with: confirmedBy,
      verification_note: note,
    },
    { counsel: confirmedBy },
    undefined,
    now,
  );
}

export function sendNotice(
  ws: Workspace,
  op: Op,
  input: { id: string; method: string; sentAt?: string; note?: string },
): Subpoena {
  const { actor } = op;
  const now = opTime(op);
  const sentAt = input.sentAt ? toUtcIso(input.sentAt) : now.toISOString();
  if (sentAt > now.toISOString()) throw new CustosError('validation', 'Record a notice once it is sent; its date cannot be in the future.');
  return transition(
    ws,
    actor,
    input.id,
    'subpoenas.sendNotice',
    'notice_sent',
    'record a notice to the subject',
    { notice_sent_at: sentAt, notice_method: input.method, notice_note: input.note ?? null },
    { sent_at: sentAt, method: input.method },
    (r) => {
      if (sentAt < r.served_at) throw new CustosError('validation', 'A notice about a subpoena cannot predate its service.');
    },
    now,
  );
}

/** `subpoenas.exemptNotice`: only on a ground the subpoena's type allows; recorded with its reason. */
export function exemptNotice(
  ws: Workspace,
  op: Op,
  input: { id: string; ground: NoticeExemptionGround; reason: string; until?: string },
): Subpoena {
  const { actor } = op;
  const now = opTime(op);
  const until = input.until ? toUtcIso(input.until) : null;
  return transition(
    ws,
    actor,
    input.id,
    'subpoenas.exemptNotice',
    'notice_exempt',
    'be exempted from notice',
    {
      notice_exempt_ground: input.ground,
      notice_exempt_reason: input.reason,
      nondisclosure_until: until,
      notice_sent_at: null,
    },
    { ground: input.ground, until, at: now.toISOString() },
    (r) => {
      const allowed = EXEMPTION_GROUNDS_BY_TYPE[r.type];
      if (!allowed.includes(input.ground)) {
        const why =
          r.type === 'civil'
            ? 'a civil subpoena never allows skipping notice; the subject must be told in advance so they can seek protective action (34 CFR 99.31(a)(9)(ii))'
            : `a ${r.type.replace('_', ' ')} can skip notice only on the ground ${allowed.join(' or ')} (34 CFR 99.31(a)(9)(ii))`;
        throw new CustosError('conflict', `Subpoena ${r.id} cannot be exempted from notice: ${why}.`, {
          resourceType: 'subpoena',
          resourceId: r.id,
          type: r.type,
          ground: input.ground,
        });
      }
    },
    now,
  );
}

/** `subpoenas.scope`: only records of the subject that still hold content; may be revised until production. */
export function scopeSubpoena(ws: Workspace, op: Op, input: { id: string; recordIds: string[] }): Subpoena {
  const { actor } = op;
  const now = opTime(op);
  return transition(
    ws,
    actor,
    input.id,
    'subpoenas.scope',
    'scoped',
    'be scoped',
    { scoped_at: now.toISOString(), scoped_by: actor },
    { records: [...new Set(input.recordIds)] },
    (r) => {
      const records = recordsOfSubject(ws, r.subject_id, input.recordIds);
      const gone = records.find((x) => x.status !== 'active' || x.content === null);
      if (gone) {
        throw new CustosError('conflict', `Record ${gone.id} was ${gone.status} and has no content left to produce; leave it out of the scope.`, {
          resourceType: 'record',
          resourceId: gone.id,
        });
      }
      setSubpoenaScope(ws.db, r.id, records.map((x) => x.id));
    },
    now,
  );
}

export function closeSubpoena(ws: Workspace, op: Op, id: string, note: string | undefined): Subpoena {
  const { actor } = op;
  const now = opTime(op);
  return transition(
    ws,
    actor,
    id,
    'subpoenas.close',
    'closed',
    'be closed',
    {
      closed_at: now.toISOString(),
      closed_by: actor,
      end_reason: note ?? null,
    },
    {},
    undefined,
    now,
  );
}

export function endSubpoena(
  ws: Workspace,
  op: Op,
  id: string,
  how: 'quashed' | 'withdrawn',
  reason: string,
): Subpoena {
  const { actor } = op;
  const now = opTime(op);
  const action = how === 'quashed' ? 'subpoenas.quash' : 'subpoenas.withdraw';
  const set = { closed_at: now.toISOString(), closed_by: actor, end_reason: reason };
  return transition(ws, actor, id, action, how, `be ${how}`, set, {}, undefined, now);
}
