import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { PRIVACY_REGIME_LABELS, PRIVACY_RIGHT_LABELS, type PrivacyRequest } from '../../../shared/contract/privacy.js';
import type { Checkpoint, LedgerEvent } from '../../../shared/ledger-types.js';
import { anchorSection, cell, dayText, docDefinition, hashCell, note, section, table, titleBlock, utcText } from '../pdf/layout.js';

/** What was done with the subject's data, as the audit groups it. */
export const AUDIT_GROUPS = ['viewed', 'exported', 'disclosed', 'deleted', 'other'] as const;
export type AuditGroup = (typeof AUDIT_GROUPS)[number];

const GROUP_TITLES: Record<AuditGroup, string> = {
  viewed: 'Viewed',
  exported: 'Exported or reported',
  disclosed: 'Disclosed',
  deleted: 'Deleted, erased or purged',
  other: 'Created, changed and requests',
};

/** The group of an action, by what its name says it does. */
export function auditGroup(action: string): AuditGroup {
  if (/erase|purge|sweep|dispose|delete/i.test(action)) return 'deleted';
  if (/^disclosures\.|produce|redisclos/i.test(action)) return 'disclosed';
  if (/export|bundle|download|report|subjectAudit|accounting/i.test(action)) return 'exported';
  if (/view|\.get$|read|inspect|access/i.test(action) && !/^privacyRequests\./.test(action)) return 'viewed';
  return 'other';
}

export interface SubjectAuditInput {
  subject: { id: string; displayName: string; externalId: string | null };
  events: LedgerEvent[];
  requests: PrivacyRequest[];
  anchor: Checkpoint;
  workspace: { id: string; name: string };
  generatedAt: string;
  generatedBy: string;
}


/** The subject-rights audit of seed 003: who viewed, exported, disclosed or deleted one subject's data. */
export function subjectAuditDefinition(r: SubjectAuditInput): TDocumentDefinitions {
  const groups = new Map<AuditGroup, LedgerEvent[]>(AUDIT_GROUPS.map((g) => [g, []]));
  for (const e of r.events) groups.get(auditGroup(e.action))?.push(e);
  const count = (g: AuditGroup) => groups.get(g)?.length ?? 0;
  const title = `Subject-rights audit ${r.subject.id}`;
  return docDefinition({
    title,
    workspace: r.workspace.name,
    generatedAt: r.generatedAt,
    reference: `tree head ${r.anchor.size} ${r.anchor.root.slice(0, 16)}…`,
    subject: r.subject.displayName,
    content: [
      ...titleBlock({
        title,
        subtitle: r.subject.displayName,
        facts: [
          ['Subject', `${r.subject.displayName} (${r.subject.id}${r.subject.externalId ? `, ${r.subject.externalId}` : ''})`],
          ['Ledger events', String(r.events.length)],
          ...AUDIT_GROUPS.map((g): [string, string] => [GROUP_TITLES[g], String(count(g))]),
          ['Privacy requests', String(r.requests.length)],
          ['Drawn from', `tree head ${r.anchor.size}, root ${r.anchor.root}`],
          ['Generated', `${utcText(r.generatedAt)} by ${r.generatedBy}`],
        ],
      }),
      note(
        "Every ledger event about this subject or whose details name the subject, through the anchored tree head: who viewed, exported, disclosed or deleted the subject's data, and when.",
        { margin: [0, 8, 0, 4] },
      ),
      section('Privacy-rights requests'),
      table({
        columns: [
          { header: 'Request', width: 80 },
          { header: 'Right', width: '*' },
          { header: 'Received', width: 70 },
          { header: 'Due', width: 70 },
          { header: 'State', width: 60 },
        ],
        rows: r.requests.map((q) => [
          cell(q.id),
          cell(`${PRIVACY_REGIME_LABELS[q.regime]}: ${PRIVACY_RIGHT_LABELS[q.right]}`),
          cell(dayText(q.receivedAt)),
          cell(dayText(q.dueAt)),
          cell(q.state + (q.late ? ' (late)' : q.overdue ? ' (OVERDUE)' : '')),
        ]),
        empty: 'No privacy-rights requests from this subject.',
        keepRows: true,
        fontSize: 7.5,
      }),
      ...AUDIT_GROUPS.flatMap((g) => [
        section(GROUP_TITLES[g]),
        table({
          columns: [
            { header: 'Seq', width: 36 },
            { header: 'Time', width: 92 },
            { header: 'Who', width: 72 },
            { header: 'Action', width: '*' },
            { header: 'Resource', width: 90 },
            { header: 'Event hash', width: 80 },
          ],
          rows: (groups.get(g) ?? []).map((e) => [
            cell(String(e.seq)),
            cell(utcText(e.ts, { seconds: true })),
            cell(e.actor),
            cell(`${e.action} (${e.outcome})`),
            cell(`${e.resource_type} ${e.resource_id}`),
            hashCell(e.hash, { fontSize: 5.5 }),
          ]),
          empty: 'None.',
          keepRows: true,
          fontSize: 7,
        }),
      ]),
      ...anchorSection('audit', r.workspace, r.anchor),
    ],
  });
}
