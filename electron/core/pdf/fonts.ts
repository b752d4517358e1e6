import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PdfPrinter from 'pdfmake';
import type { TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';
import { CustosError } from '../errors.js';
import { resourcePath } from '../paths.js';
import { withoutLayoutTables } from './sfnt.js';

/** The TrueType files of the one family every PDF uses, bundled first (resources/fonts/README.md), then Debian's DejaVu. */
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

/** The font files' bytes without their layout tables (sfnt.ts), read once per process. */
export interface PdfFontBytes {
  family: string;
  normal: Buffer;
  bold: Buffer;
}

let bytes: PdfFontBytes | null = null;

/** The bytes every PDF embeds (pdfmake embeds the subset it uses, so a PDF renders the same anywhere). */
export function pdfFontBytes(): PdfFontBytes {
  if (bytes) return bytes;
  const f = pdfFontFiles();
  bytes = { family: f.family, normal: withoutLayoutTables(readFileSync(f.normal)), bold: withoutLayoutTables(readFileSync(f.bold)) };
  return bytes;
}

/** pdfmake's font dictionary for the one family, from the trimmed bytes. */
export function pdfFontDictionary(): TFontDictionary {
  const f = pdfFontBytes();
  return { [f.family]: { normal: f.normal, bold: f.bold, italics: f.normal, bolditalics: f.bold } };
}

/** Lays out and renders a pdfmake document into memory (reports, records and productions; large ledgers stream through exports/formats/pdf.ts). */
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
