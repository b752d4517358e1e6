import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Accounting, Disclosure } from '../../../shared/contract/disclosures.js';
import { DISCLOSURE_BASIS_LABELS } from '../../../shared/contract/disclosures.js';
import { pdfFontFiles, pdfSafe, renderPdf } from '../pdf/fonts.js';

const LONG_WORD = /\S{40}/;

function cell(text: string, extra: Record<string, unknown> = {}): TableCell {
  const t = pdfSafe(text);
  return { text: t, ...(LONG_WORD.test(t) ? { wordBreak: 'break-all' } : {}), ...extra } as TableCell;
}

function recordsCell(d: Disclosure): TableCell {
  if (d.records.length === 0) return cell('Directory information only');
  return cell(d.records.map((r) => `${r.id} (${r.category}): ${r.title}`).join('\n'));
}

function statementsCell(d: Disclosure): TableCell {
  if (d.statements.length === 0) return cell('—');
  return {
    stack: d.statements.map((s) => ({
      text: [{ text: `${s.id}, filed ${s.filedAt.slice(0, 10)} on ${s.recordId}: `, bold: true }, pdfSafe(s.text)],
      margin: [0, 0, 0, 3],
    })),
  } as TableCell;
}

function entryRow(d: Disclosure, internal: boolean): TableCell[] {
  const basis = `${DISCLOSURE_BASIS_LABELS[d.basis]}\n${d.basisDetail}${d.purpose ? `\nPurpose: ${d.purpose}` : ''}`;
  const row = [
    cell(d.disclosedAt.slice(0, 10)),
    cell(d.recipient),
    cell(basis),
    recordsCell(d),
    cell(d.disclosedBy),
    cell(d.fileSha256 ?? '—', { fontSize: 6, wordBreak: 'break-all' }),
    statementsCell(d),
  ];
  if (internal) {
    row.push(cell(d.subjectVisible ? 'shown' : `withheld${d.withheldUntil ? ` until ${d.withheldUntil.slice(0, 10)}` : ''}\n${d.withholdingBasis ?? ''}`));
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
  const headers = ['Date', 'Recipient', 'Basis / legitimate interest', 'Records disclosed', 'By', 'Produced file SHA-256', 'Statements attached (99.21(c))'];
  if (internal) headers.push('Shown to subject');
  const body: TableCell[][] = [headers.map((h) => ({ text: h, bold: true }))];
  for (const d of a.entries) body.push(entryRow(d, internal));
  const widths = internal ? [44, 80, 110, 95, 45, 60, '*', 70] : [48, 85, 130, 120, 55, 80, '*'];
  const content: Content[] = [
    { text: 'Accounting of disclosures', fontSize: 18, bold: true },
    { text: `${meta.workspaceName}`, fontSize: 10, color: '#444444', margin: [0, 2, 0, 10] },
    {
      table: {
        widths: [150, '*'],
        body: [
          [{ text: 'Subject', bold: true }, pdfSafe(who)],
          [{ text: 'Period', bold: true }, `${a.from.slice(0, 10)} to ${a.asOf.slice(0, 10)} (${a.lookbackYears} years, 45 CFR 164.528)`],
          [{ text: 'Entries', bold: true }, String(a.entries.length)],
          [{ text: 'Copy for', bold: true }, internal ? 'Internal review (includes entries withheld from the subject under a court order)' : 'The subject'],
          [{ text: 'Generated', bold: true }, `${meta.generatedAt} by ${meta.generatedBy}`],
        ],
      },
      layout: 'noBorders',
      fontSize: 9,
      margin: [0, 0, 0, 12],
    },
    {
      text:
        'This record lists each disclosure of personally identifiable information from the education records of the subject ' +
        '(34 CFR 99.32) and each disclosure of protected health information subject to accounting (45 CFR 164.528): the date, ' +
        'the recipient, the legal basis or legitimate interest, the records disclosed, who disclosed them and, for produced files, ' +
        "the SHA-256 of the file. Statements of disagreement on file for a record were disclosed with it (34 CFR 99.21(c)).",
      fontSize: 8.5,
      color: '#333333',
      margin: [0, 0, 0, 12],
    },
    a.entries.length === 0
      ? { text: 'No disclosures are recorded for this period.', italics: true }
      : { table: { headerRows: 1, widths, body, dontBreakRows: true }, layout: 'lightHorizontalLines', fontSize: 7.5 },
  ];
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [36, 36, 36, 40],
    info: { title: `Accounting of disclosures: ${a.subjectId}`, author: meta.workspaceName, creator: 'Custos', producer: 'Custos' },
    defaultStyle: { font: pdfFontFiles().family, fontSize: 8 },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `Accounting of disclosures for ${a.subjectId}, as of ${a.asOf.slice(0, 10)}`, alignment: 'left' },
        { text: `Page ${page} of ${pages}`, alignment: 'right' },
      ],
      fontSize: 7,
      color: '#555555',
      margin: [36, 14, 36, 0],
    }),
    content,
  };
}

export function renderAccounting(a: Accounting, meta: { workspaceName: string; generatedAt: string; generatedBy: string }): Promise<Buffer> {
  return renderPdf(accountingDefinition(a, meta));
}
