import type { Amendment, AmendmentDetail, AmendmentMatter, AmendmentState, AmendmentStatement } from '../../../shared/contract/amendments.js';
import { addDays, deadlinePolicy, toUtcIso } from '../domain/deadlines.js';
import { assertCaseOpen } from '../domain/case-guard.js';
import { yearlyId } from '../domain/ids.js';
import { getRecord } from '../domain/subject-rows.js';
import { CustosError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { AMENDMENT_TRANSITIONS, assertAmendmentTransition } from './amendment-states.js';
import { now as clockNow } from '../clock.js';
import { opTime, type Op } from '../domain/op.js';
import { applyMove, type StatefulResource } from '../domain/state-transition.js';
import { notAmendableExplanation } from '../ferpa/ferpa-policy.js';
import {
  type AmendmentQuery,
  amendmentRowsPage,
  type AmendmentRow,
  disclosuresOfRecord,
  disclosuresOfRecordBy,
  findAmendmentRow,
  insertNoticeRow,
  insertReceivedAmendment,
  insertStatementRow,
  noticeRowsOfAmendment,
  statementRowsOfAmendment,
  touchAmendment,
} from './amendments-store.js';

function toAmendment(r: AmendmentRow): Amendment {
  return {
    id: r.id,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    recordId: r.record_id,
    recordTitle: r.record_title,
    recordCategory: r.record_category,
    caseId: r.case_id,
    requestedChange: r.requested_change,
    reason: r.reason,
    matter: r.matter,
    answer: r.answer,
    state: r.state,
    receivedAt: r.received_at,
    dueAt: r.due_at,
    reviewer: r.reviewer,
    reviewStartedAt: r.review_started_at,
    decision: r.decision,
    decisionReason: r.decision_reason,
    amendmentText: r.amendment_text,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    hearingRequestedAt: r.hearing_requested_at,
    hearingDueAt: r.hearing_due_at,
    hearingAt: r.hearing_at,
    hearingLocation: r.hearing_location,
    hearingOfficer: r.hearing_officer,
    hearingOutcome: r.hearing_outcome,
    hearingOutcomeReason: r.hearing_outcome_reason,
    hearingDecidedAt: r.hearing_decided_at,
    outcome: r.answer !== null ? 'not_amendable' : (r.hearing_outcome ?? r.decision),
    closedAt: r.closed_at,
    closeNote: r.close_note,
    statementCount: r.statement_count,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function row(ws: Workspace, id: string): AmendmentRow {
  const r = findAmendmentRow(ws.db, id);
  if (!r) throw new CustosError('not_found', `There is no amendment request ${id}.`, { resourceType: 'amendment', resourceId: id });
  return r;
}

export function getAmendment(ws: Workspace, id: string): Amendment {
  return toAmendment(row(ws, id));
}

/**
 * A statement of disagreement belongs to a denial that stands: after the first decision denied the
 * request (hearing pending or not), or after a hearing upheld the record (99.21(b)(2)); and to an
 * attendance entry answered as not amendable, as the student's explanation.
 */
function statementAllowed(r: AmendmentRow): boolean {
  // Seed 002: attendance is not amended, but the student may add an explanation to it.
  if (r.answer !== null) return r.matter === 'attendance';
  if (r.hearing_outcome === 'amended') return false;
  if (r.hearing_outcome === 'upheld') return true;
  return r.decision === 'denied';
}

function allowedActions(r: AmendmentRow): AmendmentDetail['allowedActions'] {
  const next = AMENDMENT_TRANSITIONS[r.state];
  const out: AmendmentDetail['allowedActions'] = [];
  if (next.includes('under_review')) out.push('amendments.startReview');
  if (next.includes('amended') || next.includes('denied')) out.push('amendments.decide');
  if (next.includes('hearing_requested')) out.push('amendments.requestHearing');
  if (next.includes('hearing_scheduled')) out.push('amendments.scheduleHearing');
  if (next.includes('decided')) out.push('amendments.recordHearingOutcome');
  if (statementAllowed(r)) out.push('amendments.fileStatement');
  if (next.includes('closed')) out.push('amendments.close');
  return out;
}

export function statementsOfAmendment(ws: Workspace, id: string): AmendmentStatement[] {
  return statementRowsOfAmendment(ws.db, id);
}

export function amendmentDetail(ws: Workspace, id: string): AmendmentDetail {
  const r = row(ws, id);
  const priorDisclosures = disclosuresOfRecord(ws.db, r.record_id);
  return {
    amendment: toAmendment(r),
    statements: statementsOfAmendment(ws, id),
    priorDisclosures,
    notices: noticeRowsOfAmendment(ws.db, id),
    allowedActions: allowedActions(r),
  };
}

/** A page of amendment requests (newest first by default), filtered by state, subject or free text, and the total. */
export function listAmendments(
  ws: Workspace,
  f: AmendmentQuery,
): { items: Amendment[]; total: number } {
  const page = amendmentRowsPage(ws.db, f);
  return { items: page.rows.map(toAmendment), total: page.total };
}

export interface ReceiveAmendmentInput {
  recordId: string;
  matter: AmendmentMatter;
  answer?: string;
  requestedChange: string;
  reason: string;
  receivedAt?: string;
  caseId?: string;
}

/**
 * `amendments.receive`: the decision is due `decisionDays` (policy) after the written request
 * arrived. A request about a subjective grade, a teacher's judgement or attendance is not one the
 * procedure can grant (seed 002, "Cannot amend"): it is answered in the same step with an
 * explanation and closed, with no decision to appeal and so no hearing.
 */
export function receiveAmendment(ws: Workspace, op: Op, input: ReceiveAmendmentInput): Amendment {
  const { actor } = op;
  const now = opTime(op);
  const record = getRecord(ws, input.recordId);
  if (record.status !== 'active') {
    throw new CustosError('conflict', `Record ${record.id} was ${record.status}; there is nothing left to amend.`, {
      resourceType: 'record',
      resourceId: record.id,
    });
  }
  if (input.caseId) assertCaseOpen(ws, input.caseId, 'filing an amendment request');
  const receivedAt = input.receivedAt ? toUtcIso(input.receivedAt) : now.toISOString();
  if (receivedAt > now.toISOString()) throw new CustosError('validation', 'The date a request was received cannot be in the future.');
  const dueAt = addDays(receivedAt, deadlinePolicy().amendment.decisionDays);
  const standard = notAmendableExplanation(input.matter);
  if (input.answer && standard === null) {
    throw new CustosError('validation', 'An answer is given only to a request the procedure cannot grant; this one goes to review and a decision.');
  }
  const answer = standard === null ? null : (input.answer ?? standard);
  const ts = now.toISOString();
  const id = ws.tx(() => {
    const id = yearlyId(ws, 'AMD', now);
    insertReceivedAmendment(ws.db, {
      id,
      subjectId: record.subjectId,
      recordId: record.id,
      caseId: input.caseId ?? null,
      requestedChange: input.requestedChange,
      reason: input.reason,
      matter: input.matter,
      answer,
      receivedAt,
      dueAt,
      createdBy: actor,
      at: ts,
    });
    ws.ledger.append({
      actor,
      action: 'amendments.receive',
      resource_type: 'amendment',
      resource_id: id,
      details: {
        subject_id: record.subjectId,
        record_id: record.id,
        received_at: receivedAt,
        due_at: dueAt,
        matter: input.matter,
        to: answer === null ? 'received' : 'closed',
        ...(answer === null ? {} : { answered: 'not_amendable' }),
        ...(input.caseId ? { case_id: input.caseId } : {}),
      },
    }, now);
    return id;
  });
  return getAmendment(ws, id);
}

const AMENDMENTS: StatefulResource<AmendmentRow, AmendmentState> = {
  table: 'amendment_requests',
  resourceType: 'amendment',
  row,
  assertMove: assertAmendmentTransition,
  eventDetails: (r) => ({ subject_id: r.subject_id, record_id: r.record_id }),
};

/** One state change (domain/state-transition.ts): checked against the table, ledgered in the same transaction. */
function transition(
  ws: Workspace,
  actor: string,
  id: string,
  action: string,
  to: AmendmentState,
  verb: string,
  set: Record<string, string | null>,
  details: Record<string, unknown> = {},
  check?: (r: AmendmentRow) => void,
  now: Date = clockNow(),
): Amendment {
  applyMove(ws, AMENDMENTS, { actor, at: now, id, action, to, verb, set, details, ...(check ? { check } : {}) });
  return getAmendment(ws, id);
}

export function startReview(ws: Workspace, op: Op, id: string, note?: string): Amendment {
  const { actor } = op;
  const now = opTime(op);
  return transition(
    ws,
    actor,
    id,
    'amendments.startReview',
    'under_review',
    'start its review',
    {
      reviewer: actor,
      review_started_at: now.toISOString(),
      review_note: note ?? null,
    },
    {},
    undefined,
    now,
  );
}

/** `amendments.decide`: amending says what changed (the record itself is kept; the amendment is recorded beside it). */
export function decideAmendment(
  ws: Workspace,
  op: Op,
  input: { id: string; decision: 'amend' | 'deny'; reason: string; amendmentText?: string },
): Amendment {
  const { actor } = op;
  const now = opTime(op);
  if (input.decision === 'amend' && !input.amendmentText) {
    throw new CustosError('validation', 'Say how the record was amended (amendmentText) when deciding to amend it.');
  }
  const to = input.decision === 'amend' ? 'amended' : 'denied';
  return ws.tx(() => {
    const amendment = transition(
      ws,
      actor,
      input.id,
      'amendments.decide',
      to,
      'be decided',
      {
        decision: to,
        decision_reason: input.reason,
        amendment_text: input.decision === 'amend' ? (input.amendmentText ?? null) : null,
        decided_at: now.toISOString(),
        decided_by: actor,
      },
      { decision: to },
      undefined,
      now,
    );
    if (input.decision === 'amend') notifyEarlierRecipients(ws, { ...op, at: now }, input.id, input.amendmentText ?? '');
    return amendment;
  });
}

/**
 * Seed 002, "Agree: amend record, notify interested parties … notify parties previously provided
 * access": one notice per disclosure of the record made before the amendment, saying what changed,
 * each with its event. Call inside the transaction that amends.
 */
function notifyEarlierRecipients(ws: Workspace, op: Op, id: string, change: string): void {
  const now = opTime(op);
  const r = row(ws, id);
  for (const d of disclosuresOfRecordBy(ws.db, r.record_id, now.toISOString())) {
    const noticeId = yearlyId(ws, 'NTC', now);
    insertNoticeRow(ws.db, { id: noticeId, amendmentId: r.id, disclosureId: d.id, recipient: d.recipient, change, notifiedAt: now.toISOString(), recordedBy: op.actor });
    ws.ledger.append(
      {
        actor: op.actor,
        action: 'amendments.notifyRecipient',
        resource_type: 'disclosure',
        resource_id: d.id,
        details: { notice_id: noticeId, amendment_id: r.id, subject_id: r.subject_id, record_id: r.record_id, disclosed_at: d.disclosedAt },
      },
      now,
    );
  }
}

/** `amendments.requestHearing`: the hearing is due `hearingDays` (policy) after the request. */
export function requestHearing(ws: Workspace, op: Op, id: string, requestedAt: string | undefined): Amendment {
  const { actor } = op;
  const now = opTime(op);
  const at = requestedAt ? toUtcIso(requestedAt) : now.toISOString();
  if (at > now.toISOString()) throw new CustosError('validation', 'The date a hearing was requested cannot be in the future.');
  const due = addDays(at, deadlinePolicy().amendment.hearingDays);
  return transition(ws, actor, id, 'amendments.requestHearing', 'hearing_requested', 'take a hearing request', {
    hearing_requested_at: at,
    hearing_due_at: due,
  }, { hearing_due_at: due }, undefined, now);
}

export function scheduleHearing(
  ws: Workspace,
  op: Op,
  input: { id: string; hearingAt: string; location: string; officer: string },
): Amendment {
  const { actor } = op;
  const now = opTime(op);
  const at = toUtcIso(input.hearingAt);
  const current = row(ws, input.id);
  // 99.22(c): the hearing officer may be an institution official, but not one with a direct interest in the outcome.
  if (current.decided_by && input.officer.trim().toLowerCase() === current.decided_by.toLowerCase()) {
    throw new CustosError(
      'validation',
      `The hearing officer must not have a direct interest in the outcome (34 CFR 99.22(c)); ${current.decided_by} made the decision under appeal.`,
    );
  }
  return transition(
    ws,
    actor,
    input.id,
    'amendments.scheduleHearing',
    'hearing_scheduled',
    'have a hearing scheduled',
    { hearing_at: at, hearing_location: input.location, hearing_officer: input.officer },
    { hearing_at: at, rescheduled: current.state === 'hearing_scheduled' },
    undefined,
    now,
  );
}

export function recordHearingOutcome(
  ws: Workspace,
  op: Op,
  input: { id: string; outcome: 'amended' | 'upheld'; reason: string; amendmentText?: string },
): Amendment {
  const { actor } = op;
  const now = opTime(op);
  if (input.outcome === 'amended' && !input.amendmentText) {
    throw new CustosError('validation', 'Say how the record was amended (amendmentText) when the hearing decides to amend it.');
  }
  return ws.tx(() => {
    const amendment = transition(
      ws,
      actor,
      input.id,
      'amendments.recordHearingOutcome',
      'decided',
      'have a hearing outcome',
      {
        hearing_outcome: input.outcome,
        hearing_outcome_reason: input.reason,
        hearing_decided_at: now.toISOString(),
        hearing_decided_by: actor,
        ...(input.outcome === 'amended' ? { amendment_text: input.amendmentText ?? null } : {}),
      },
      { outcome: input.outcome },
      (r) => {
        if (r.hearing_at && r.hearing_at > now.toISOString()) {
          throw new CustosError('conflict', `The hearing on ${input.id} is set for ${r.hearing_at.slice(0, 10)}; record its outcome after it has taken place.`, {
            resourceType: 'amendment',
            resourceId: input.id,
          });
        }
      },
      now,
    );
    if (input.outcome === 'amended') notifyEarlierRecipients(ws, { ...op, at: now }, input.id, input.amendmentText ?? '');
    return amendment;
  });
}

export function closeAmendment(ws: Workspace, op: Op, id: string, note?: string): Amendment {
  const { actor } = op;
  const now = opTime(op);
  return transition(
    ws,
    actor,
    id,
    'amendments.close',
    'closed',
    'be closed',
    {
      closed_at: now.toISOString(),
      closed_by: actor,
      close_note: note ?? null,
    },
    {},
    undefined,
    now,
  );
}

/**
 * `amendments.fileStatement`: the subject's statement of disagreement (99.21(b)(2)). It is kept with
 * the record for as long as the record is kept, and from now on `insertDisclosure` attaches it to
 * every disclosure of that record (99.21(c)).
 */
export function fileStatement(
  ws: Workspace,
  op: Op,
  input: { id: string; text: string; filedAt?: string },
): { amendment: Amendment; statement: AmendmentStatement } {
  const { actor } = op;
  const now = opTime(op);
  const filedAt = input.filedAt ? toUtcIso(input.filedAt) : now.toISOString();
  if (filedAt > now.toISOString()) throw new CustosError('validation', 'The date a statement was filed cannot be in the future.');
  const statementId = ws.tx(() => {
    const r = row(ws, input.id);
    if (!statementAllowed(r)) {
      throw new CustosError(
        'conflict',
        `Amendment request ${input.id} has not been denied, so there is no decision to disagree with; a statement can be filed once the request is denied or a hearing upholds the record.`,
        { resourceType: 'amendment', resourceId: input.id, state: r.state },
      );
    }
    if (r.decided_at && filedAt < r.decided_at) {
      throw new CustosError('validation', 'A statement of disagreement cannot predate the decision it disagrees with.');
    }
    const id = yearlyId(ws, 'STM', now);
    insertStatementRow(ws.db, {
      id,
      amendmentId: r.id,
      subjectId: r.subject_id,
      recordId: r.record_id,
      text: input.text,
      filedAt,
      recordedBy: actor,
      recordedAt: now.toISOString(),
    });
    touchAmendment(ws.db, r.id, now.toISOString());
    ws.ledger.append({
      actor,
      action: 'amendments.fileStatement',
      resource_type: 'amendment',
      resource_id: r.id,
      details: { statement_id: id, subject_id: r.subject_id, record_id: r.record_id, filed_at: filedAt, state: r.state },
    }, now);
    return id;
  });
  const statement = statementsOfAmendment(ws, input.id).find((s) => s.id === statementId);
  if (!statement) throw new CustosError('integrity', `Statement ${statementId} was not stored.`);
  return { amendment: getAmendment(ws, input.id), statement };
}
