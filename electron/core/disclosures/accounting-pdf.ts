import type { TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Accounting, Disclosure } from '../../../shared/contract/disclosures.js';
import { DISCLOSURE_BASIS_LABELS } from '../../../shared/contract/disclosures.js';
import { pdfSafe, renderPdf } from '../pdf/fonts.js';
import { cell, dayText, docDefinition, hashCell, note, table, titleBlock, type Column } from '../pdf/layout.js';

function recordsCell(d: Disclosure): TableCell {
  if (d.records.length === 0) return cell('Directory information only');
  return cell(d.records.map((r) => `${r.id} (${r.category}): ${r.title}`).join('\n'));
}

function statementsCell(d: Disclosure): TableCell {
  if (d.statements.length === 0) return cell('—');
  return {
    stack: d.statements.map((s) => ({
      text: [{ text: `${s.id}, filed ${dayText(s.filedAt)} on ${s.recordId}: `, bold: true }, pdfSafe(s.text)],
      margin: [0, 0, 0, 3],
    })),
  } as TableCell;
}

function entryRow(d: Disclosure, internal: boolean): TableCell[] {
  const basis = `${DISCLOSURE_BASIS_LABELS[d.basis]}\n${d.basisDetail}${d.purpose ? `\nPurpose: ${d.purpose}` : ''}`;
  const row = [
    cell(dayText(d.disclosedAt)),
    cell(d.recipient),
    cell(basis),
    recordsCell(d),
    cell(d.disclosedBy),
    d.fileSha256 ? hashCell(d.fileSha256, { fontSize: 6 }) : cell('—'),
    statementsCell(d),
  ];
  if (internal) {
    row.push(cell(d.subjectVisible ? 'shown' : `withheld${d.withheldUntil ? ` until ${dayText(d.withheldUntil)}` : ''}\n${d.withholdingBasis ?? ''}`));
  }
  return row;
}

/**
 * The accounting of disclosures as a PDF. A subject who opted out of directory information is named
 * by id only: the report may travel (to counsel, a parent, an auditor) and their name is directory
 * information they chose not to release.
 */
export function accountingDefinition(a: Accounting, meta: { workspaceName: string; generatedAt: string; generatedBy: string }): TDocumentDefinitions {
  const internal = a.audience === 'internal';
  const who = a.subjectName ? `${a.subjectName} (${a.subjectId})` : `${a.subjectId} (name withheld: directory-information opt-out)`;
  const columns: Column[] = [
    { header: 'Date', width: internal ? 44 : 48 },
    { header: 'Recipient', width: internal ? 80 : 85 },
    { header: 'Basis / legitimate interest', width: internal ? 110 : 130 },
    { header: 'Records disclosed', width: internal ? 95 : 120 },
    { header: 'By', width: internal ? 45 : 55 },
    { header: 'Produced file SHA-256', width: internal ? 60 : 80 },
    { header: 'Statements attached (99.21(c))', width: '*' },
    ...(internal ? [{ header: 'Shown to subject', width: 70 } as Column] : []),
  ];
  return docDefinition({
    title: `Accounting of disclosures: ${a.subjectId}`,
    workspace: meta.workspaceName,
    generatedAt: meta.generatedAt,
    reference: `as of ${dayText(a.asOf)}`,
    author: meta.workspaceName,
    orientation: 'landscape',
    fontSize: 8,
    content: [
      ...titleBlock({
        title: 'Accounting of disclosures',
        subtitle: meta.workspaceName,
        facts: [
          ['Subject', who],
          ['Period', `${dayText(a.from)} to ${dayText(a.asOf)} (${a.lookbackYears} years, 45 CFR 164.528)`],
          ['Entries', String(a.entries.length)],
          ['Copy for', internal ? 'Internal review (includes entries withheld from the subject under a court order)' : 'The subject'],
          ['Generated', `${meta.generatedAt} by ${meta.generatedBy}`],
        ],
      }),
      note(
        'This record lists each disclosure of personally identifiable information from the education records of the subject ' +
          '(34 CFR 99.32) and each disclosure of protected health information subject to accounting (45 CFR 164.528): the date, ' +
          'the recipient, the legal basis or legitimate interest, the records disclosed, who disclosed them and, for produced files, ' +
          'the SHA-256 of the file. Statements of disagreement on file for a record were disclosed with it (34 CFR 99.21(c)).',
        { margin: [0, 12, 0, 12] },
      ),
      table({ columns, rows: a.entries.map((d) => entryRow(d, internal)), empty: 'No disclosures are recorded for this period.', keepRows: true, fontSize: 7.5 }),
    ],
  });
}

export function renderAccounting(a: Accounting, meta: { workspaceName: string; generatedAt: string; generatedBy: string }): Promise<Buffer> {
  return renderPdf(accountingDefinition(a, meta));
}
