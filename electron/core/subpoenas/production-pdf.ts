import PdfPrinter from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { pdfFontBytes, pdfFontDictionary, pdfSafe, renderPdf } from '../pdf/fonts.js';
import { dayText, docDefinition, pageNumberText, PDF_COLORS, PDF_TYPE } from '../pdf/layout.js';

/**
 * The Bates-numbered production PDF. Custos paginates it itself (wraps every line to the page width
 * and fills pages by measured line heights), so that each page can be rendered twice from the same
 * content: once inside the combined PDF and once as its own single-page PDF. The single-page files
 * are what the page hashes are computed over (see PAGE_HASH_DEFINITION).
 */

export interface ProducedRecord {
  id: string;
  category: string;
  title: string;
  recordDate: string;
  source: string;
  content: string;
  amendments: { id: string; decidedAt: string; text: string }[];
  statements: { id: string; filedAt: string; text: string }[];
}

export interface ProductionLayoutInput {
  productionId: string;
  subpoenaId: string;
  issuer: string;
  court: string;
  docket: string;
  typeLabel: string;
  servedAt: string;
  dueAt: string;
  requestedRecords: string;
  subjectId: string;
  subjectName: string;
  producingParty: string;
  producedAt: string;
  producedBy: string;
  notice: string;
  records: ProducedRecord[];
  bates: { prefix: string; first: number; digits: number };
}

export interface RenderedPage {
  page: number;
  bates: string;
  recordId: string | null;
  pdf: Buffer;
}

export interface RenderedProduction {
  combined: Buffer;
  pages: RenderedPage[];
  /** Bates range of each record's section. */
  recordRanges: Map<string, { first: string; last: string }>;
}

export const PAGE_HASH_DEFINITION =
  'custos-page-sha256/1: every page of production.pdf is also delivered as its own single-page PDF, pages/<Bates number>.pdf, ' +
  'rendered from the same page content with the same Bates footer. The SHA-256 of a page is the SHA-256 of the bytes of its ' +
  'single-page file (sha256sum pages/<Bates number>.pdf). The text of page N, extracted with `pdftotext -f N -l N production.pdf -` ' +
  'or `pdftotext pages/<Bates number>.pdf -`, contains its Bates number.';

type Style = 'title' | 'heading' | 'label' | 'body' | 'small';

interface StyleSpec {
  size: number;
  bold: boolean;
}

// The kit's type sizes (pdf/layout.ts), so a production reads like every other Custos document.
const STYLES: Record<Style, StyleSpec> = {
  title: { size: PDF_TYPE.title, bold: true },
  heading: { size: PDF_TYPE.section, bold: true },
  label: { size: 9.5, bold: true },
  body: { size: 10, bold: false },
  small: { size: PDF_TYPE.note, bold: false },
};

interface Line {
  text: string;
  style: Style;
  /** Extra space above the line, in points. */
  gap: number;
  indent: number;
}

interface Page {
  lines: Line[];
  recordId: string | null;
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 60, right: 60, top: 56, bottom: 72 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
// A few points of slack: pdfmake adds nothing between lines, but rounding must never push a line over.
const CONTENT_HEIGHT = PAGE.height - MARGIN.top - MARGIN.bottom - 6;

/**
 * Measures text with the same font files and engine pdfmake renders with. Shaping a string is slow,
 * so widths are cached per word and per character; a line's width is the sum of its words and spaces
 * (kerning across a space is negligible, and WRAP_SLACK absorbs it).
 */
class Measurer {
  private readonly doc: PDFKit.PDFDocument;
  private readonly heights = new Map<Style, number>();
  private readonly cache = new Map<string, number>();

  constructor() {
    const printer = new PdfPrinter(pdfFontDictionary());
    this.doc = printer.createPdfKitDocument({ content: [] });
  }

  private use(style: Style): void {
    const spec = STYLES[style];
    const fonts = pdfFontBytes();
    this.doc.font(spec.bold ? fonts.bold : fonts.normal).fontSize(spec.size);
  }

  /** Width of one word (no spaces) or of one character. */
  piece(text: string, style: Style): number {
    const key = `${style}\u0000${text}`;
    let w = this.cache.get(key);
    if (w === undefined) {
      this.use(style);
      w = this.doc.widthOfString(text);
      this.cache.set(key, w);
    }
    return w;
  }

  /** pdfmake's line height for a font size: the font's ascender minus descender, scaled (no line gap). */
  lineHeight(style: Style): number {
    let h = this.heights.get(style);
    if (h === undefined) {
      this.use(style);
      h = this.doc.currentLineHeight(false);
      this.heights.set(style, h);
    }
    return h;
  }

  close(): void {
    this.doc.end();
  }
}

const WRAP_SLACK = 2;

/** Greedy word wrap to `width`; words wider than a line are cut by characters. */
function wrap(m: Measurer, text: string, style: Style, width: number): string[] {
  const limit = width - WRAP_SLACK;
  const space = m.piece(' ', style);
  const out: string[] = [];
  for (const paragraph of pdfSafe(text).split('\n')) {
    const words = paragraph.split(/ +/).filter((w) => w.length > 0);
    if (words.length === 0) {
      out.push('');
      continue;
    }
    let line = '';
    let used = 0;
    for (const word of words) {
      const w = m.piece(word, style);
      if (line && used + space + w <= limit) {
        line = `${line} ${word}`;
        used += space + w;
        continue;
      }
      if (line) out.push(line);
      if (w <= limit) {
        line = word;
        used = w;
        continue;
      }
      // A word wider than the line: cut it by characters.
      line = '';
      used = 0;
      for (const ch of word) {
        const cw = m.piece(ch, style);
        if (line && used + cw > limit) {
          out.push(line);
          line = '';
          used = 0;
        }
        line += ch;
        used += cw;
      }
    }
    if (line) out.push(line);
  }
  return out;
}

/** Collects lines of one section and breaks them into pages. */
class Section {
  readonly lines: Line[] = [];
  constructor(private readonly m: Measurer) {}

  add(text: string, style: Style, opts: { gap?: number; indent?: number } = {}): void {
    const indent = opts.indent ?? 0;
    const parts = wrap(this.m, text, style, CONTENT_WIDTH - indent);
    parts.forEach((t, i) => this.lines.push({ text: t, style, gap: i === 0 ? (opts.gap ?? 0) : 0, indent }));
  }

  fact(label: string, value: string): void {
    this.add(label, 'label', { gap: 3 });
    this.add(value || '—', 'body', { indent: 12 });
  }

  paginate(recordId: string | null, continued: string | null): Page[] {
    const pages: Page[] = [];
    let current: Line[] = [];
    let used = 0;
    const height = (l: Line, first: boolean): number => this.m.lineHeight(l.style) + (first ? 0 : l.gap);
    for (const l of this.lines) {
      const h = height(l, current.length === 0);
      if (current.length > 0 && used + h > CONTENT_HEIGHT) {
        pages.push({ lines: current, recordId });
        current = [];
        used = 0;
        if (continued) {
          const c: Line = { text: continued, style: 'small', gap: 0, indent: 0 };
          current.push(c);
          used += height(c, true);
        }
      }
      const placed = current.length === 0 ? { ...l, gap: 0 } : l;
      current.push(placed);
      used += height(placed, current.length === 1);
    }
    if (current.length > 0) pages.push({ lines: current, recordId });
    return pages;
  }
}

function dateOnly(iso: string): string {
  return dayText(iso);
}

function bates(prefix: string, n: number, digits: number): string {
  return `${prefix}-${String(n).padStart(digits, '0')}`;
}

function coverSection(m: Measurer, input: ProductionLayoutInput, ranges: Map<string, { first: string; last: string }>, range: string, pageCount: number): Section {
  const s = new Section(m);
  s.add('Production of records', 'title');
  s.add(`${input.producingParty} · production ${input.productionId}`, 'small', { gap: 2 });
  s.fact('In response to', `${input.typeLabel} ${input.subpoenaId}${input.docket ? `, docket ${input.docket}` : ''}`);
  s.fact('Issued by', input.issuer);
  s.fact('Court', input.court);
  s.fact('Served / response due', `${dateOnly(input.servedAt)} / ${dateOnly(input.dueAt)}`);
  s.fact('Records requested', input.requestedRecords);
  s.fact('Student (data subject)', `${input.subjectName} (${input.subjectId})`);
  s.fact('Notice to the student', input.notice);
  s.fact('Produced', `${input.producedAt} by ${input.producedBy}`);
  s.fact('Bates range', `${range} (${pageCount} pages including this cover)`);
  s.add('Records produced', 'heading', { gap: 12 });
  for (const r of input.records) {
    const rr = ranges.get(r.id);
    const extra = r.statements.length > 0 ? `; with ${r.statements.length} statement(s) of disagreement` : '';
    s.add(`${r.id} · ${r.category} · ${r.title} — ${rr ? `${rr.first} to ${rr.last}` : ''}${extra}`, 'body', { gap: 2, indent: 6 });
  }
  s.add('Integrity', 'heading', { gap: 12 });
  s.add(
    'Only the records listed above, which the subpoena requests, are produced. Where the student filed a statement of ' +
      'disagreement with a record (34 CFR 99.21(c)), the statement follows that record and is part of this production. ' +
      'Every page is also delivered as a single-page PDF named after its Bates number; the SHA-256 of every page file and of ' +
      'every other file is listed in manifest.json, and VERIFY.txt explains how to check them with pdftotext and sha256sum.',
    'small',
    { gap: 2 },
  );
  return s;
}

function recordSection(m: Measurer, r: ProducedRecord): Section {
  const s = new Section(m);
  s.add(`Record ${r.id}: ${r.title}`, 'heading');
  s.fact('Category', r.category);
  s.fact('Record date', dateOnly(r.recordDate));
  if (r.source) s.fact('Source', r.source);
  s.add('Content', 'label', { gap: 8 });
  s.add(r.content, 'body', { gap: 2 });
  for (const a of r.amendments) {
    s.add(`Amendment ${a.id}, decided ${dateOnly(a.decidedAt)} (34 CFR 99.20)`, 'label', { gap: 10 });
    s.add(a.text, 'body', { gap: 2 });
  }
  for (const st of r.statements) {
    s.add(`Statement of disagreement ${st.id} filed by the student on ${dateOnly(st.filedAt)} (34 CFR 99.21(c))`, 'label', { gap: 10 });
    s.add(st.text, 'body', { gap: 2 });
  }
  return s;
}

function lineNode(l: Line, breakBefore: boolean): Content {
  const spec = STYLES[l.style];
  return {
    ...(breakBefore ? { pageBreak: 'before' as const } : {}),
    text: l.text === '' ? ' ' : l.text,
    fontSize: spec.size,
    bold: spec.bold,
    noWrap: true,
    margin: [l.indent, l.gap, 0, 0],
    ...(l.style === 'small' ? { color: PDF_COLORS.muted } : {}),
  };
}

interface FooterInfo {
  productionId: string;
  subpoenaId: string;
  producingParty: string;
  total: number;
}

/** The kit's document with the production's own frame: its measured margins, and a footer that stamps the Bates number. */
function documentFor(pages: Page[], batesOf: (index: number) => string, pageNoOf: (index: number) => number, info: FooterInfo, title: string, producedAt: string, seen: { pages: number }): TDocumentDefinitions {
  const content: Content[] = [];
  pages.forEach((p, i) => {
    p.lines.forEach((l, j) => content.push(lineNode(l, i > 0 && j === 0)));
  });
  return docDefinition({
    title,
    workspace: info.producingParty,
    generatedAt: producedAt,
    author: info.producingParty,
    stamped: {
      margins: [MARGIN.left, MARGIN.top, MARGIN.right, MARGIN.bottom],
      lineHeight: 1,
      footer: (currentPage: number) => {
        seen.pages = Math.max(seen.pages, currentPage);
        const index = currentPage - 1;
        return {
          margin: [MARGIN.left, 28, MARGIN.right, 0],
          columns: [
            {
              width: '*',
              fontSize: PDF_TYPE.footer,
              color: PDF_COLORS.muted,
              // The same on a page of production.pdf and on its single-page file (PAGE_HASH_DEFINITION).
              stack: [
                pdfSafe(`Produced by ${info.producingParty} in response to ${info.subpoenaId}. Confidential: education records protected by FERPA.`),
                pdfSafe(`Production ${info.productionId} · ${pageNumberText(pageNoOf(index), info.total)}`),
              ],
            },
            { width: 'auto', text: batesOf(index), bold: true, fontSize: 11, margin: [12, 0, 0, 0] },
          ],
        };
      },
    },
    fontSize: 10,
    content,
  });
}

/** Lays out the cover and one section per record, then renders the combined PDF and every page on its own. */
export async function renderProduction(
  input: ProductionLayoutInput,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<RenderedProduction> {
  const m = new Measurer();
  try {
    const recordPages = input.records.map((r) => recordSection(m, r).paginate(r.id, `Record ${r.id} (continued)`));
    // The cover lists every record's Bates range, which depends on how many pages the cover takes: iterate to a fixed point.
    let coverPages = 1;
    let cover: Page[] = [];
    let ranges = new Map<string, { first: string; last: string }>();
    for (let attempt = 0; attempt < 5; attempt++) {
      ranges = new Map();
      let n = input.bates.first + coverPages;
      input.records.forEach((r, i) => {
        const count = recordPages[i]?.length ?? 0;
        ranges.set(r.id, { first: bates(input.bates.prefix, n, input.bates.digits), last: bates(input.bates.prefix, n + count - 1, input.bates.digits) });
        n += count;
      });
      const total = n - input.bates.first;
      const range = `${bates(input.bates.prefix, input.bates.first, input.bates.digits)} to ${bates(input.bates.prefix, n - 1, input.bates.digits)}`;
      cover = coverSection(m, input, ranges, range, total).paginate(null, 'Production cover (continued)');
      if (cover.length === coverPages) break;
      coverPages = cover.length;
    }
    const pages = [...cover, ...recordPages.flat()];
    const info: FooterInfo = { productionId: input.productionId, subpoenaId: input.subpoenaId, producingParty: input.producingParty, total: pages.length };
    const batesAt = (i: number) => bates(input.bates.prefix, input.bates.first + i, input.bates.digits);
    const title = `Production ${input.productionId} (${input.subpoenaId})`;

    const seenCombined = { pages: 0 };
    const combined = await renderPdf(documentFor(pages, batesAt, (i) => i + 1, info, title, input.producedAt, seenCombined));
    if (seenCombined.pages !== pages.length) {
      throw new Error(`Production layout drifted: ${pages.length} pages planned, ${seenCombined.pages} rendered.`);
    }
    const single: RenderedPage[] = [];
    onProgress(1, pages.length + 1);
    for (let i = 0; i < pages.length; i++) {
      const seen = { pages: 0 };
      const page = pages[i] as Page;
      const pdf = await renderPdf(documentFor([page], () => batesAt(i), () => i + 1, info, `${title}, ${batesAt(i)}`, input.producedAt, seen));
      if (seen.pages !== 1) throw new Error(`Production page ${batesAt(i)} did not fit on one page.`);
      single.push({ page: i + 1, bates: batesAt(i), recordId: page.recordId, pdf });
      onProgress(i + 2, pages.length + 1);
    }
    return { combined, pages: single, recordRanges: ranges };
  } finally {
    m.close();
  }
}

export function formatBates(prefix: string, n: number, digits: number): string {
  return bates(prefix, n, digits);
}
