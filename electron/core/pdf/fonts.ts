import { existsSync } from 'node:fs';
import { join } from 'node:path';
import PdfPrinter from 'pdfmake';
import type { TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';
import { CustosError } from '../errors.js';
import { resourcePath } from '../paths.js';

/** The TrueType files of the one family FERPA PDFs use, bundled first, then Debian's DejaVu. */
export interface PdfFontFiles {
  family: string;
  normal: string;
  bold: string;
}

const CANDIDATES: PdfFontFiles[] = [
  { family: 'Roboto', normal: resourcePath('fonts', 'Roboto-Regular.ttf'), bold: resourcePath('fonts', 'Roboto-Medium.ttf') },
  {
    family: 'DejaVuSans',
    normal: join('/usr/share/fonts/truetype/dejavu', 'DejaVuSans.ttf'),
    bold: join('/usr/share/fonts/truetype/dejavu', 'DejaVuSans-Bold.ttf'),
  },
];

let chosen: PdfFontFiles | null = null;

/** The font files to embed; throws a clear error when none is installed. */
export function pdfFontFiles(): PdfFontFiles {
  if (chosen) return chosen;
  const found = CANDIDATES.find((c) => existsSync(c.normal) && existsSync(c.bold));
  if (!found) {
    throw new CustosError('failure', `No PDF font is installed (looked for ${CANDIDATES.map((c) => c.normal).join(' and ')}); reinstall Custos.`);
  }
  chosen = found;
  return found;
}

export function pdfFontDictionary(): TFontDictionary {
  const f = pdfFontFiles();
  return { [f.family]: { normal: f.normal, bold: f.bold, italics: f.normal, bolditalics: f.bold } };
}

/** Lays out and renders a pdfmake document into memory (FERPA PDFs are small: records, not ledgers). */
export function renderPdf(def: TDocumentDefinitions): Promise<Buffer> {
  const printer = new PdfPrinter(pdfFontDictionary());
  const doc = printer.createPdfKitDocument(def);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Text safe for a PDF line: tabs as spaces, other control characters dropped. */
export function pdfSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\t/g, '    ').replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');
}
