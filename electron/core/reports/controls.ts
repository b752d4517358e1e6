import { contract } from '../../../shared/contract.js';
import { ROLE_LABELS, type Role } from '../../../shared/roles.js';
import { cell, utcText } from '../pdf/layout.js';
import { RECORD_READS, verificationRuns } from './ferpa-hipaa.js';
import { countCell, dateCell, figureText, LISTING_LIMIT, whenCell, type ReportTable } from './report-kit.js';
import type { KindBuilder } from './report-input.js';
import { checkpointsIn, countsOfActions, eventsOfActions, exportRequestsIn, ledgerSpan, usersAndRoles, type Count } from './reports-store.js';
import { actionCounts, actionTotals, attemptsPerActor } from './window-stats.js';

/*
 * The controls reviews: SOX IT general controls and PCI DSS requirement 10. Both read the ledger up
 * to the tree head within the period, and SOX the user accounts and export requests as of generation.
 */

/** Actions that change who may do what, or reach the keys and the ledger itself: reviewed one by one. */
export const PRIVILEGED_ACTIONS = [
  'users.create',
  'users.update',
  'session.recover',
  'workspace.rekey',
  'workspace.dbKey',
  'frameworks.setEnabled',
  'exports.approve',
  'exports.reject',
  'imports.pins.revoke',
  'ledger.checkpoint',
] as const;

/** Hand-over and check channels (and every session.* one): they change no data, so they are not changes in the SOX sense. */
const NOT_CHANGES = new Set(['files.download', 'ledger.verify', 'ledger.checkpoint', 'reports.generate']);

/** The actions that count as changes: every mutating channel of the contract but sign-ins, hand-overs and checks. */
export function changeActions(): string[] {
  return Object.entries(contract)
    .filter(([name, def]) => def.mutates && !name.startsWith('session.') && !NOT_CHANGES.has(name))
    .map(([name]) => name)
    .sort();
}

/** Actions that read the audit log or take it out of the workspace. */
export const LOG_ACCESS_ACTIONS = ['ledger.query', 'ledger.verify', 'exports.execute', 'bundles.create', 'files.download'] as const;

function countTable(title: string, header: string, rows: Count[], empty: string): ReportTable {
  return {
    title,
    columns: [
      { header, width: '*' },
      { header: 'Events', width: 60, align: 'right' },
    ],
    rows: rows.map((r) => [cell(r.key), countCell(r.n)]),
    empty,
  };
}

function sum(rows: readonly Count[]): number {
  return rows.reduce((n, r) => n + r.n, 0);
}

export const soxItgc: KindBuilder = (input) => {
  const users = usersAndRoles(input.db);
  const privileged = countsOfActions(input.db, input.window, PRIVILEGED_ACTIONS, true);
  const privilegedEvents = eventsOfActions(input.db, input.window, PRIVILEGED_ACTIONS, LISTING_LIMIT).filter((e) => e.outcome === 'success');
  const exportsIn = exportRequestsIn(input.db, input.period);
  const changes = countsOfActions(input.db, input.window, changeActions(), true);
  const selfApproved = exportsIn.filter((e) => e.decided_by !== null && e.decided_by === e.requested_by).length;
  const roles = new Map<string, number>();
  for (const u of users.filter((x) => !x.disabled)) roles.set(u.role, (roles.get(u.role) ?? 0) + 1);
  return {
    sources: [
      'Users and roles: the users table as it stood at the tree head.',
      'Privileged actions and changes: successful ledger events in the period, up to the tree size; changes are calls of mutating channels other than sign-in, hand-over and verification.',
      'Export approvals: export requests made in the period (export_requests table); "policy" decided those its rules let through without a second person.',
    ],
    sections: [
      {
        title: 'Users and roles (logical access)',
        figures: [
          { label: 'User accounts', value: users.length },
          { label: 'Enabled accounts', value: users.filter((u) => !u.disabled).length },
          { label: 'Disabled accounts', value: users.filter((u) => u.disabled).length },
          ...[...roles.entries()].map(([role, n]) => ({ label: `Enabled ${ROLE_LABELS[role as Role] ?? role} accounts`, value: n })),
        ],
        tables: [
          {
            columns: [
              { header: 'User', width: 90 },
              { header: 'Name', width: '*' },
              { header: 'Role', width: 90 },
              { header: 'State', width: 50 },
              { header: 'Created', width: 55 },
              { header: 'Last sign-in', width: 60 },
            ],
            rows: users.map((u) => [cell(u.username), cell(u.display_name), cell(ROLE_LABELS[u.role as Role] ?? u.role), cell(u.disabled ? 'disabled' : 'enabled'), dateCell(u.created_at), dateCell(u.last_login_at)]),
            empty: 'No user account exists.',
          },
        ],
      },
      {
        title: 'Privileged actions',
        figures: [{ label: 'Privileged actions in the period', value: sum(privileged) }],
        tables: [
          countTable('Per action', 'Action', privileged, 'No privileged action was taken in the period.'),
          {
            title: 'Each privileged action',
            columns: [
              { header: 'Seq', width: 45, align: 'right' },
              { header: 'When', width: 70 },
              { header: 'By', width: 80 },
              { header: 'Action', width: 100 },
              { header: 'On', width: '*' },
            ],
            rows: privilegedEvents.map((e) => [countCell(e.seq), whenCell(e.ts), cell(e.actor), cell(e.action), cell(`${e.resource_type} ${e.resource_id}`)]),
            empty: 'No privileged action was taken in the period.',
            total: sum(privileged),
          },
        ],
      },
      {
        title: 'Export approvals (separation of duties)',
        figures: [
          { label: 'Export requests in the period', value: exportsIn.length },
          { label: 'Approved or executed', value: exportsIn.filter((e) => e.status === 'approved' || e.status === 'executed').length },
          { label: 'Rejected', value: exportsIn.filter((e) => e.status === 'rejected').length },
          { label: 'Decided by the requester', value: selfApproved, note: 'Custos refuses this; any number but 0 is a finding.' },
        ],
        tables: [
          {
            columns: [
              { header: 'Request', width: 75 },
              { header: 'Type', width: 60 },
              { header: 'Requested', width: 55 },
              { header: 'By', width: 70 },
              { header: 'Decided by', width: 70 },
              { header: 'State', width: '*' },
            ],
            rows: exportsIn.map((e) => [cell(e.id), cell(`${e.type} ${e.format}`), dateCell(e.requested_at), cell(e.requested_by), cell(e.decided_by ?? '—'), cell(e.status)]),
            empty: 'No export was requested in the period.',
          },
        ],
      },
      {
        title: 'Changes (change management)',
        figures: [{ label: 'Changes in the period', value: sum(changes) }],
        tables: [countTable('Changes per action', 'Action', changes, 'Nothing was changed in the period.')],
      },
    ],
  };
};

export const pciReq10: KindBuilder = (input) => {
  const groups = input.groups();
  const all = actionCounts(groups);
  const access = actionTotals(groups, LOG_ACCESS_ACTIONS);
  const attempts = attemptsPerActor(groups);
  const admin = actionTotals(groups, PRIVILEGED_ACTIONS);
  const reads = actionTotals(groups, RECORD_READS);
  const verifications = verificationRuns(input);
  const checkpoints = checkpointsIn(input.db, input.window, 0).total;
  const span = ledgerSpan(input.db, input.window.size);
  const total = all.reduce((n, a) => n + a.total, 0);
  return {
    sources: ['The ledger: events 1 to the tree size with a time stamp in the period (10.2), its verifications and checkpoints (10.3, 10.4), and its whole span up to the tree size (10.5).'],
    sections: [
      {
        title: 'Audit logs capture the required events (10.2)',
        figures: [
          { label: 'Events in the period', value: total },
          { label: 'Access to cardholder and student records (10.2.1.1)', value: sum(reads) },
          { label: 'Administrative actions (10.2.1.2)', value: sum(admin) },
          { label: 'Access to the audit logs (10.2.1.3)', value: sum(access) },
          { label: 'Invalid access attempts (10.2.1.4)', value: attempts.reduce((n, a) => n + a.total, 0) },
          { label: 'Distinct event types', value: all.length },
        ],
        tables: [countTable('Access to the audit logs', 'Action', access, 'Nobody read or exported the audit log in the period.')],
      },
      {
        title: 'Audit logs are protected and reviewed (10.3, 10.4)',
        figures: [
          { label: 'Ledger verifications in the period', value: verifications.length },
          { label: 'Verifications that found the ledger valid', value: verifications.filter((v) => v.valid).length },
          { label: 'Checkpoints signed in the period', value: checkpoints },
        ],
        tables: [
          {
            title: 'Invalid access attempts per user (10.4.1)',
            columns: [
              { header: 'User', width: 90 },
              { header: 'Attempts', width: 50, align: 'right' },
              { header: 'First', width: 65 },
              { header: 'Last', width: 65 },
              { header: 'Actions tried', width: '*' },
            ],
            rows: attempts.map((a) => [cell(a.actor), countCell(a.total), whenCell(a.firstTs), whenCell(a.lastTs), cell(a.actions.join(', '))]),
            empty: 'Nothing was refused in the period.',
          },
        ],
      },
      {
        title: 'Audit log history is retained (10.5)',
        figures: [
          { label: 'Events retained up to the tree head', value: span.events },
          { label: 'Oldest event', value: utcText(span.first_ts, { seconds: true }) },
          { label: 'Newest event', value: utcText(span.last_ts, { seconds: true }) },
          { label: 'Days of history', value: span.first_ts && span.last_ts ? figureText(Math.floor((Date.parse(span.last_ts) - Date.parse(span.first_ts)) / 86_400_000)) : '—' },
        ],
      },
    ],
  };
};
