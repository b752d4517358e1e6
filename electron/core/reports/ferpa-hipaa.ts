import { cell } from '../pdf/layout.js';
import { countCell, dateCell, LISTING_LIMIT, whenCell, type ReportSection } from './report-kit.js';
import { answeredWithin, daysBetween, ferpaAccessDays, requestTiming, type KindBuilder, type ReportInput } from './report-input.js';
import { disclosuresPerBasis } from './privacy.js';
import { accessRequestsIn, amendmentsIn, checkpointsIn, directoryOptOuts, disclosuresIn, eventsOfActions } from './reports-store.js';
import { actorTotals, attemptsPerActor, outcomeCounts } from './window-stats.js';

/** Record reads the ledger records (who looked at a student's or patient's record). */
export const RECORD_READS = ['records.view'] as const;

function amendmentSection(input: ReportInput): ReportSection {
  const rows = amendmentsIn(input.db, input.period);
  const decided = rows.filter((r) => r.decided_at);
  const onTime = decided.filter((r) => r.decided_at! <= r.due_at).length;
  const spans = decided.map((r) => daysBetween(r.received_at, r.decided_at!));
  const openOverdue = rows.filter((r) => !r.decided_at && Date.parse(r.due_at) < input.now.getTime()).length;
  return {
    title: 'Amendment requests (99.20–99.22)',
    intro: 'Requests received in the period; the decision is due within the period of resources/policies/deadlines.json.',
    figures: [
      { label: 'Amendment requests received', value: rows.length },
      { label: 'Decided', value: decided.length },
      { label: 'Decided by their due date', value: onTime },
      { label: 'Decided late', value: decided.length - onTime },
      { label: 'Records amended', value: rows.filter((r) => r.decision === 'amended' || r.hearing_outcome === 'amended').length },
      { label: 'Requests denied', value: rows.filter((r) => r.decision === 'denied').length },
      { label: 'Hearings requested', value: rows.filter((r) => r.hearing_requested_at).length },
      { label: 'Average days to decision', value: spans.length === 0 ? '—' : (spans.reduce((a, b) => a + b, 0) / spans.length).toFixed(1) },
      { label: 'Undecided past due at generation', value: openOverdue },
    ],
    tables: [
      {
        title: 'Amendment requests received in the period',
        columns: [
          { header: 'Request', width: 75 },
          { header: 'Record', width: 85 },
          { header: 'Received', width: 55 },
          { header: 'Due', width: 55 },
          { header: 'Decided', width: 55 },
          { header: 'Decision', width: 50 },
          { header: 'State', width: '*' },
        ],
        rows: rows.map((r) => [cell(r.id), cell(r.record_id), dateCell(r.received_at), dateCell(r.due_at), dateCell(r.decided_at), cell(r.decision ?? '—'), cell(r.state)]),
        empty: 'No amendment request was received in the period.',
      },
    ],
  };
}

export const ferpaAnnual: KindBuilder = (input) => {
  const days = ferpaAccessDays();
  const access = accessRequestsIn(input.db, input.period);
  const t = requestTiming(access, days, input.now);
  const disclosures = disclosuresPerBasis(input);
  const optOuts = directoryOptOuts(input.db);
  const newOptOuts = optOuts.filter((s) => s.directory_opt_out_at !== null && s.directory_opt_out_at >= input.period.from && s.directory_opt_out_at < input.period.until);
  return {
    sources: [
      'Disclosures: the record of disclosures (34 CFR 99.32), disclosures dated in the period.',
      'Amendments and access requests: their registers, requests received in the period, as they stood at the tree head.',
      'Directory opt-outs: the subjects table (99.37).',
    ],
    sections: [
      { title: 'Disclosures (99.31, 99.32)', figures: [{ label: 'Disclosures in the period', value: disclosures.total }], tables: [disclosures.table] },
      amendmentSection(input),
      {
        title: `Access requests against ${days} days (99.10)`,
        figures: [
          { label: 'Access requests received', value: t.received },
          { label: 'Access granted', value: t.fulfilled },
          { label: `Granted within ${days} days`, value: t.onTime },
          { label: `Granted after ${days} days`, value: t.late },
          { label: 'Median days to access', value: t.medianDays },
          { label: 'Withdrawn', value: t.withdrawn },
          { label: `Open past ${days} days at generation`, value: t.openOverdue },
        ],
        tables: [
          {
            columns: [
              { header: 'Request', width: 80 },
              { header: 'Subject', width: 70 },
              { header: 'Received', width: 60 },
              { header: 'Due', width: 60 },
              { header: 'Granted', width: 60 },
              { header: 'In time', width: '*' },
            ],
            rows: access.map((r) => [
              cell(r.id),
              cell(r.subject_id),
              dateCell(r.requested_at),
              dateCell(r.due_at),
              dateCell(r.resolved_at),
              cell(r.state !== 'fulfilled' || !r.resolved_at ? r.state : answeredWithin(r.requested_at, r.resolved_at, days) ? 'yes' : 'late'),
            ]),
            empty: 'No access request was received in the period.',
          },
        ],
      },
      {
        title: 'Directory information opt-outs (99.37)',
        figures: [
          { label: 'Students and parents opted out at generation', value: optOuts.length },
          { label: 'Opted out during the period', value: newOptOuts.length },
        ],
      },
    ],
  };
};

export const hipaaDisclosures: KindBuilder = (input) => {
  const rows = disclosuresIn(input.db, input.period);
  const perBasis = disclosuresPerBasis(input);
  return {
    sources: ['The record of disclosures, disclosures dated in the period, as it stood at the tree head; subjects are named by id only.'],
    sections: [
      { title: 'Totals', figures: [{ label: 'Disclosures in the period', value: rows.length }, { label: 'Records released', value: rows.reduce((n, d) => n + d.records, 0) }], tables: [perBasis.table] },
      {
        title: 'Disclosures (45 CFR 164.528(b))',
        tables: [
          {
            columns: [
              { header: 'Date', width: 55 },
              { header: 'Disclosure', width: 70 },
              { header: 'Subject', width: 60 },
              { header: 'Recipient', width: '*' },
              { header: 'Basis', width: 80 },
              { header: 'Records', width: 40, align: 'right' },
              { header: 'By', width: 60 },
            ],
            rows: rows.slice(0, LISTING_LIMIT).map((d) => [dateCell(d.disclosed_at), cell(d.id), cell(d.subject_id), cell(d.recipient), cell(d.basis), countCell(d.records), cell(d.disclosed_by)]),
            empty: 'No disclosure was recorded in the period.',
            total: rows.length,
          },
        ],
      },
    ],
  };
};

/** A run of the ledger verification (a refused call is not one). */
export interface VerificationRun {
  seq: number;
  ts: string;
  actor: string;
  valid: boolean;
  size: number;
  problems: number;
}

/** The verifications run in the window, newest first (at most LISTING_LIMIT). */
export function verificationRuns(input: ReportInput): VerificationRun[] {
  return eventsOfActions(input.db, input.window, ['ledger.verify'], LISTING_LIMIT).flatMap((e) => {
    const d = JSON.parse(e.details) as { valid?: boolean; size?: number; problems?: number };
    return typeof d.valid === 'boolean' ? [{ seq: e.seq, ts: e.ts, actor: e.actor, valid: d.valid, size: d.size ?? 0, problems: d.problems ?? 0 }] : [];
  });
}

export const hipaaAuditControls: KindBuilder = (input) => {
  const outcomes = outcomeCounts(input.groups());
  const attempts = attemptsPerActor(input.groups());
  const reads = actorTotals(input.groups(), RECORD_READS);
  const verifications = verificationRuns(input);
  const checkpoints = checkpointsIn(input.db, input.window, 20);
  const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
  return {
    sources: ['The ledger: events 1 to the tree size with a time stamp in the period; the checkpoints table for signed tree heads.'],
    sections: [
      {
        title: 'Activity recorded (164.312(b))',
        figures: [
          { label: 'Events in the period', value: total },
          { label: 'Succeeded', value: outcomes.get('success') ?? 0 },
          { label: 'Refused (denied)', value: outcomes.get('denied') ?? 0 },
          { label: 'Failed', value: outcomes.get('failure') ?? 0 },
          { label: 'Record reads', value: reads.reduce((n, r) => n + r.n, 0) },
        ],
        tables: [
          {
            title: 'Record reads per user',
            columns: [
              { header: 'User', width: '*' },
              { header: 'Reads', width: 60, align: 'right' },
            ],
            rows: reads.map((r) => [cell(r.key), countCell(r.n)]),
            empty: 'No record was read in the period.',
          },
        ],
      },
      {
        title: 'Refused actions and failed sign-ins per user (164.308(a)(1)(ii)(D))',
        figures: [{ label: 'Unauthorized attempts', value: attempts.reduce((n, a) => n + a.total, 0) }],
        tables: [
          {
            columns: [
              { header: 'User', width: 80 },
              { header: 'Refused', width: 45, align: 'right' },
              { header: 'Failed sign-ins', width: 55, align: 'right' },
              { header: 'Last', width: 65 },
              { header: 'Actions tried', width: '*' },
            ],
            rows: attempts.map((a) => [cell(a.actor), countCell(a.denied), countCell(a.failedLogins), whenCell(a.lastTs), cell(a.actions.join(', '))]),
            empty: 'Nothing was refused in the period.',
          },
        ],
      },
      {
        title: 'Integrity of the audit log (164.312(c)(1))',
        figures: [
          { label: 'Ledger verifications in the period', value: verifications.length },
          { label: 'Verifications that found the ledger valid', value: verifications.filter((v) => v.valid).length },
          { label: 'Checkpoints signed in the period', value: checkpoints.total },
        ],
        tables: [
          {
            title: 'Verifications',
            columns: [
              { header: 'Seq', width: 50, align: 'right' },
              { header: 'When', width: 80 },
              { header: 'By', width: 80 },
              { header: 'Result', width: '*' },
            ],
            rows: verifications.map((v) => [countCell(v.seq), whenCell(v.ts), cell(v.actor), cell(v.valid ? `VALID at size ${v.size}` : `INVALID (${v.problems} problems)`)]),
            empty: 'The ledger was not verified in the period.',
          },
        ],
      },
    ],
  };
};
