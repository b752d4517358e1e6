import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import {
  INCIDENT_CLASSIFICATION_LABELS,
  NOTIFICATION_RECIPIENT_LABELS,
  type IncidentDetail,
  type IncidentTask,
} from '../../../shared/contract/incidents.js';
import type { Checkpoint, LedgerEvent } from '../../../shared/ledger-types.js';
import { anchorSection, cell, type Column, docDefinition, hashCell, note, section, table, titleBlock, utcText } from '../pdf/layout.js';

/** Everything the incident report shows, read at one instant and anchored to one signed tree head. */
export interface IncidentReportInput {
  detail: IncidentDetail;
  /** The incident's ledger events up to the anchor, oldest first. */
  events: LedgerEvent[];
  anchor: Checkpoint;
  workspace: { id: string; name: string };
  generatedAt: string;
  generatedBy: string;
}


function taskState(t: IncidentTask): string {
  if (t.state === 'not_applicable') return 'not applicable';
  if (t.state === 'done') return t.late ? 'done (late)' : 'done';
  return t.overdue ? 'OVERDUE' : 'open';
}

/** One chronological timeline: discovery, response actions, tasks done, notifications, counsel review. */
function timeline(d: IncidentDetail): { at: string; what: string; by: string }[] {
  const rows: { at: string; what: string; by: string }[] = [{ at: d.incident.discoveredAt, what: 'Incident discovered', by: '' }];
  rows.push({ at: d.incident.createdAt, what: 'Incident recorded in Custos', by: d.incident.createdBy });
  for (const a of d.actions) rows.push({ at: a.at, what: `Response action: ${a.text}`, by: a.by });
  for (const t of d.tasks) if (t.state === 'done' && t.doneAt) rows.push({ at: t.doneAt, what: `Clock task done: ${t.title}${t.note ? ` (${t.note})` : ''}`, by: t.doneBy ?? '' });
  for (const n of d.notifications) {
    rows.push({ at: n.notifiedAt, what: `Notified ${NOTIFICATION_RECIPIENT_LABELS[n.recipientType]}: ${n.recipient} by ${n.method.replace('_', ' ')}`, by: n.recordedBy });
  }
  if (d.incident.counselReviewedAt) rows.push({ at: d.incident.counselReviewedAt, what: 'Reviewed by legal counsel', by: d.incident.counselReviewedBy ?? '' });
  if (d.incident.closedAt) rows.push({ at: d.incident.closedAt, what: 'Incident closed', by: '' });
  return rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The incident report of seed 002 (date, time, systems affected, response actions, timeline, counsel review) as a pdfmake document. */
export function incidentReportDefinition(r: IncidentReportInput): TDocumentDefinitions {
  const { incident: i, tasks, notifications, links } = r.detail;
  const reference = `tree head ${r.anchor.size} ${r.anchor.root.slice(0, 16)}…`;
  const taskColumns: Column[] = [
    { header: 'Clock', width: 44 },
    { header: 'Task', width: '*' },
    { header: 'Due', width: 82 },
    { header: 'State', width: 50 },
    { header: 'Done (by, note)', width: 140 },
  ];
  const applying = tasks.filter((t) => t.state !== 'not_applicable');
  return docDefinition({
    title: `Incident report ${i.id}`,
    workspace: r.workspace.name,
    generatedAt: r.generatedAt,
    reference,
    subject: i.title,
    content: [
      ...titleBlock({
        title: `Incident report ${i.id}`,
        subtitle: i.title,
        facts: [
          ['Classification', INCIDENT_CLASSIFICATION_LABELS[i.classification]],
          ['Severity', i.severity],
          ['Status', i.status],
          ['Discovered', utcText(i.discoveredAt)],
          ['Systems affected', i.systemsAffected.length ? i.systemsAffected.join(', ') : 'none recorded'],
          ['SSNs exposed', i.ssnExposed ? 'yes' : 'no'],
          ['Breach clock', i.clock.tasks === 0 ? 'not running (not a data breach)' : `${i.clock.done} of ${i.clock.tasks} tasks done, ${i.clock.overdue} overdue`],
          ['Linked', links.length ? links.map((l) => `${l.itemType} ${l.itemId}`).join(', ') : 'none'],
          ['Generated', `${utcText(r.generatedAt)} by ${r.generatedBy}`],
        ],
      }),
      note(i.description || 'No description recorded.', { margin: [0, 8, 0, 4] }),
      section('Legal counsel review'),
      note(
        i.counselReviewedAt
          ? `Reviewed ${utcText(i.counselReviewedAt)} by ${i.counselReviewedBy ?? ''}: ${r.detail.counselReviewNote ?? ''}`
          : 'NOT YET REVIEWED. Seed 002 requires the incident response to be reviewed with legal counsel.',
        { margin: [0, 4, 0, 8] },
      ),
      section('Breach response clock (1, 24 and 72 hours from discovery)'),
      table({
        columns: taskColumns,
        rows: applying.map((t) => [
          cell(`${t.hours} h`),
          cell(t.title),
          cell(utcText(t.dueAt)),
          cell(taskState(t), t.overdue ? { bold: true } : {}),
          cell(t.doneAt ? `${utcText(t.doneAt)}\n${[t.doneBy, t.note].filter(Boolean).join(': ')}` : '—'),
        ]),
        empty: 'This incident does not run the data-breach clock.',
        keepRows: true,
        fontSize: 7.5,
      }),
      section('Notifications'),
      table({
        columns: [
          { header: 'When', width: 92 },
          { header: 'Who was told', width: '*' },
          { header: 'How', width: 60 },
          { header: 'Recorded by', width: 80 },
        ],
        rows: notifications.map((n) => [
          cell(utcText(n.notifiedAt)),
          cell(`${NOTIFICATION_RECIPIENT_LABELS[n.recipientType]}: ${n.recipient}${n.note ? `\n${n.note}` : ''}`),
          cell(n.method.replace('_', ' ')),
          cell(n.recordedBy),
        ]),
        empty: 'No notifications are recorded.',
        keepRows: true,
        fontSize: 7.5,
      }),
      section('Timeline and response actions'),
      table({
        columns: [
          { header: 'When', width: 92 },
          { header: 'What', width: '*' },
          { header: 'By', width: 80 },
        ],
        rows: timeline(r.detail).map((t) => [cell(utcText(t.at)), cell(t.what), cell(t.by || '—')]),
        empty: 'Nothing recorded.',
        keepRows: true,
        fontSize: 7.5,
      }),
      section('Ledger events of this incident'),
      table({
        columns: [
          { header: 'Seq', width: 40 },
          { header: 'Time', width: 92 },
          { header: 'Actor', width: 80 },
          { header: 'Action', width: '*' },
          { header: 'Event hash', width: 110 },
        ],
        rows: r.events.map((e) => [cell(String(e.seq)), cell(utcText(e.ts, { seconds: true })), cell(e.actor), cell(`${e.action} (${e.outcome})`), hashCell(e.hash, { fontSize: 6 })]),
        empty: 'No ledger events.',
        keepRows: true,
        fontSize: 7.5,
      }),
      ...anchorSection('report', r.workspace, r.anchor),
    ],
  });
}
