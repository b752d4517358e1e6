import { cell } from '../pdf/layout.js';
import { countCell, dateCell, LISTING_LIMIT, whenCell } from './report-kit.js';
import type { KindBuilder } from './report-input.js';
import { recordsExpiring } from './reports-store.js';
import { actionCounts, attemptsPerActor } from './window-stats.js';

/* Seed 002's review views: records expiring, actions per type, unauthorized attempts per user. */

export const recordsExpiringReport: KindBuilder = (input) => {
  const through = new Date(Date.parse(input.period.until) - 1).toISOString().slice(0, 10);
  const start = input.period.from.slice(0, 10);
  const rows = recordsExpiring(input.db, through);
  const past = rows.filter((r) => r.retention_until < start);
  const held = rows.filter((r) => r.held === 1);
  return {
    sources: [`The records table as it stood at the tree head: active records whose retention ends on or before ${through}; "held" when their subject is under an active legal hold.`],
    sections: [
      {
        title: 'Retention',
        figures: [
          { label: 'Records expiring by the end of the period', value: rows.length },
          { label: 'Already past retention before the period', value: past.length },
          { label: 'Expiring during the period', value: rows.length - past.length },
          { label: 'Under an active legal hold (kept)', value: held.length },
        ],
        tables: [
          {
            title: 'Records',
            columns: [
              { header: 'Record', width: 95 },
              { header: 'Subject', width: 70 },
              { header: 'Category', width: '*' },
              { header: 'Record date', width: 60 },
              { header: 'Keep until', width: 60 },
              { header: 'Hold', width: 40 },
            ],
            rows: rows.slice(0, LISTING_LIMIT).map((r) => [cell(r.id), cell(r.subject_id), cell(r.category), dateCell(r.record_date), dateCell(r.retention_until), cell(r.held ? 'held' : '—')]),
            empty: 'No active record reaches the end of its retention by the end of the period.',
            total: rows.length,
          },
        ],
      },
    ],
  };
};

export const actionsPerType: KindBuilder = (input) => {
  const rows = actionCounts(input.groups());
  const total = rows.reduce((n, r) => n + r.total, 0);
  return {
    sources: ['The ledger: events 1 to the tree size with a time stamp in the period, grouped by action and outcome.'],
    sections: [
      {
        title: 'Actions',
        figures: [
          { label: 'Events in the period', value: total },
          { label: 'Distinct actions', value: rows.length },
          { label: 'Refused (denied)', value: rows.reduce((n, r) => n + r.denied, 0) },
          { label: 'Failed', value: rows.reduce((n, r) => n + r.failure, 0) },
        ],
        tables: [
          {
            title: 'Per action',
            columns: [
              { header: 'Action', width: '*' },
              { header: 'Succeeded', width: 60, align: 'right' },
              { header: 'Denied', width: 55, align: 'right' },
              { header: 'Failed', width: 55, align: 'right' },
              { header: 'Total', width: 60, align: 'right' },
            ],
            rows: rows.map((r) => [cell(r.action), countCell(r.success), countCell(r.denied), countCell(r.failure), countCell(r.total)]),
            empty: 'Nothing was recorded in the period.',
          },
        ],
      },
    ],
  };
};

export const unauthorizedAttempts: KindBuilder = (input) => {
  const rows = attemptsPerActor(input.groups());
  return {
    sources: ['The ledger: events 1 to the tree size in the period that were refused (outcome denied) or were failed sign-ins.'],
    sections: [
      {
        title: 'Attempts',
        figures: [
          { label: 'Unauthorized attempts', value: rows.reduce((n, r) => n + r.total, 0) },
          { label: 'Refused actions', value: rows.reduce((n, r) => n + r.denied, 0) },
          { label: 'Failed sign-ins', value: rows.reduce((n, r) => n + r.failedLogins, 0) },
          { label: 'Users involved', value: rows.length },
        ],
        tables: [
          {
            title: 'Per user',
            columns: [
              { header: 'User', width: 85 },
              { header: 'Refused', width: 45, align: 'right' },
              { header: 'Failed sign-ins', width: 55, align: 'right' },
              { header: 'Total', width: 40, align: 'right' },
              { header: 'First', width: 62 },
              { header: 'Last', width: 62 },
              { header: 'Actions tried', width: '*' },
            ],
            rows: rows.map((r) => [cell(r.actor), countCell(r.denied), countCell(r.failedLogins), countCell(r.total), whenCell(r.firstTs), whenCell(r.lastTs), cell(r.actions.join(', '))]),
            empty: 'Nothing was refused and no sign-in failed in the period.',
          },
        ],
      },
    ],
  };
};
