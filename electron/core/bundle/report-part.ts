import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { pdfFontFiles, pdfSafe, renderPdf } from '../pdf/fonts.js';
import { ENTRY, fingerprint } from './format.js';
import { bufferPart, type BundlePart, type BundlePartContext, type BundlePartContributor } from './parts.js';

const MUTED = '#555555';

function row(label: string, value: string): Content {
  return { columns: [{ text: label, width: 120, color: MUTED }, { text: pdfSafe(value), width: '*' }], margin: [0, 1, 0, 1] };
}

function scopeText(ctx: BundlePartContext): string {
  if (ctx.scope.complete) return 'Complete: every event of the ledger up to the signed tree head.';
  const parts: string[] = [];
  if (ctx.scope.caseId) parts.push(`case ${ctx.scope.caseId}`);
  const filters = Object.entries(ctx.scope.filters).filter(([, v]) => typeof v === 'string' && v !== '');
  if (filters.length > 0) parts.push(`filters ${filters.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  return `A selection (${parts.join('; ')}), each event with an inclusion proof against the signed tree head.`;
}

/** The pdfmake document of report.pdf (A4 portrait, numbered pages). */
export function bundleReportDefinition(ctx: BundlePartContext): TDocumentDefinitions {
  const { ws, treeHead, checkpoint } = ctx;
  const title = `Bundle report — ${ws.name}`;
  const files = [...ctx.files].sort((a, b) => a.path.localeCompare(b.path));
  return {
    pageSize: 'A4',
    pageMargins: [44, 40, 44, 48],
    info: { title: pdfSafe(title), author: 'Custos', subject: pdfSafe(`Signed bundle of workspace ${ws.name}`), creator: 'Custos', producer: 'Custos' },
    defaultStyle: { font: pdfFontFiles().family, fontSize: 9, lineHeight: 1.15 },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: pdfSafe(`${ws.name} · tree head ${treeHead.size} · root ${treeHead.root.slice(0, 16)}…`), alignment: 'left' },
        { text: `Page ${page} of ${pages}`, alignment: 'right', width: 70 },
      ],
      fontSize: 7,
      color: MUTED,
      margin: [44, 16, 44, 0],
    }),
    content: [
      { text: pdfSafe(title), fontSize: 15, bold: true, margin: [0, 0, 0, 8] },
      row('Workspace', `${ws.name} (${ws.id})`),
      row('Made', `${ctx.createdAt} by ${ctx.actor}`),
      row('Scope', scopeText(ctx)),
      row('Events', ctx.events.toLocaleString('en-US')),
      { text: 'Signed tree head', bold: true, fontSize: 11, margin: [0, 10, 0, 4] },
      row('Size', treeHead.size.toLocaleString('en-US')),
      row('Root', treeHead.root),
      row('Signed at', checkpoint.ts),
      row('Key fingerprint', fingerprint(checkpoint.key_id)),
      { text: 'Files', bold: true, fontSize: 11, margin: [0, 10, 0, 4] },
      {
        text: 'Every file of the bundle with its SHA-256 and size, as manifest.json lists them (manifest.json itself is covered by manifest.sig; this report is listed in the manifest too).',
        color: MUTED,
        margin: [0, 0, 0, 4],
      },
      {
        table: {
          headerRows: 1,
          widths: ['*', 'auto', 60],
          body: [
            [
              { text: 'File', bold: true },
              { text: 'SHA-256', bold: true },
              { text: 'Bytes', bold: true, alignment: 'right' },
            ],
            ...files.map((f) => [
              { text: pdfSafe(f.path) },
              { text: f.sha256, fontSize: 6.5, font: pdfFontFiles().family },
              { text: f.bytes.toLocaleString('en-US'), alignment: 'right' as const },
            ]),
          ],
        },
        layout: 'lightHorizontalLines',
      },
      { text: 'How to verify', bold: true, fontSize: 11, margin: [0, 10, 0, 4] },
      {
        ul: [
          `${ENTRY.verify} in this bundle gives the steps with standard tools only: check ${ENTRY.signature} over the exact bytes of ${ENTRY.manifest} with openssl and ${ENTRY.publicKey}, then the SHA-256 of every file against the manifest with sha256sum, then the event hashes, the hash chain and the Merkle root or inclusion proofs.`,
          `Compare the key fingerprint above with the one the workspace's owner gives you by another channel.`,
          '`custos verify BUNDLE` runs every check and prints the report.',
        ],
      },
    ],
  };
}

/** `report.pdf`: a short human-readable summary of the bundle. Runs last, so it lists every other file. */
export const reportPart: BundlePartContributor = {
  name: 'report',
  async contribute(ctx: BundlePartContext): Promise<BundlePart[]> {
    ctx.progress('report', 0, 1);
    const pdf = await renderPdf(bundleReportDefinition(ctx));
    ctx.progress('report', 1, 1);
    return [bufferPart('report.pdf', pdf)];
  },
};
