import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderPdf } from '../pdf/fonts.js';
import { cell, docDefinition, factsTable, hashCell, note, section, table, titleBlock, utcText } from '../pdf/layout.js';
import { ENTRY, fingerprint } from './format.js';
import { bufferPart, type BundlePart, type BundlePartContext, type BundlePartContributor } from './parts.js';

function scopeText(ctx: BundlePartContext): string {
  if (ctx.scope.complete) return 'Complete: every event of the ledger up to the signed tree head.';
  const parts: string[] = [];
  if (ctx.scope.caseId) parts.push(`case ${ctx.scope.caseId}`);
  const filters = Object.entries(ctx.scope.filters).filter(([, v]) => typeof v === 'string' && v !== '');
  if (filters.length > 0) parts.push(`filters ${filters.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  if (ctx.scope.filters.throughSeq !== undefined) parts.push(`events up to ${ctx.scope.filters.throughSeq.toLocaleString('en-US')} only`);
  return `A selection (${parts.join('; ')}), each event with an inclusion proof against the signed tree head.`;
}

/** The pdfmake document of report.pdf (A4 portrait, numbered pages). */
export function bundleReportDefinition(ctx: BundlePartContext): TDocumentDefinitions {
  const { ws, treeHead, checkpoint } = ctx;
  const files = [...ctx.files].sort((a, b) => a.path.localeCompare(b.path));
  return docDefinition({
    title: 'Bundle report',
    workspace: ws.name,
    generatedAt: ctx.createdAt,
    reference: `tree head ${treeHead.size} · root ${treeHead.root.slice(0, 16)}…`,
    subject: `Signed bundle of workspace ${ws.name}`,
    content: [
      ...titleBlock({
        title: 'Bundle report',
        subtitle: `Signed log bundle of workspace "${ws.name}"`,
        facts: [
          ['Workspace', `${ws.name} (${ws.id})`],
          ['Made', `${utcText(ctx.createdAt, { seconds: true })} by ${ctx.actor}`],
          ['Scope', scopeText(ctx)],
          ['Events', ctx.events.toLocaleString('en-US')],
        ],
      }),
      section('Signed tree head'),
      factsTable([
        ['Size', treeHead.size.toLocaleString('en-US')],
        ['Root', hashCell(treeHead.root)],
        ['Signed at', checkpoint.ts],
        ['Key fingerprint', fingerprint(checkpoint.key_id)],
      ]),
      section('Files'),
      note(
        'Every file of the bundle with its SHA-256 and size, as manifest.json lists them (manifest.json itself is covered by manifest.sig; this report is listed in the manifest too).',
      ),
      table({
        columns: [
          { header: 'File', width: '*' },
          { header: 'SHA-256', width: 'auto' },
          { header: 'Bytes', width: 60, align: 'right' },
        ],
        rows: files.map((f) => [cell(f.path), hashCell(f.sha256), f.bytes.toLocaleString('en-US')]),
        empty: 'The bundle lists no other file.',
      }),
      section('How to verify'),
      {
        ul: [
          `${ENTRY.verify} in this bundle gives the steps with standard tools only: check ${ENTRY.signature} over the exact bytes of ${ENTRY.manifest} with openssl and ${ENTRY.publicKey}, then the SHA-256 of every file against the manifest with sha256sum, then the event hashes, the hash chain and the Merkle root or inclusion proofs.`,
          `Compare the key fingerprint above with the one the workspace's owner gives you by another channel.`,
          '`custos verify BUNDLE` runs every check and prints the report.',
        ],
      },
    ],
  });
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
