import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Finding, FindingSeverity, ImportPin, ImportSummary } from '../../../shared/contract/bundles.js';
import type { LedgerEvent, ProblemKind, VerificationReport } from '../../../shared/ledger-types.js';
import { pdfSafe } from '../pdf/fonts.js';
import { cell, dayText, docDefinition, factsTable, hashCell, note, PDF_COLORS, section, subsection, table, titleBlock, utcText, type Fact } from '../pdf/layout.js';

/** Everything the verification report of one imported bundle shows, gathered by review-report.ts. */
export interface ReviewReportInput {
  import: ImportSummary;
  report: VerificationReport;
  pin: ImportPin | null;
  consistency: { fromSize: number; fromRoot: string; fromTs: string }[];
  stats: {
    total: number;
    perDay: { day: string; success: number; denied: number; failure: number }[];
    byActor: { actor: string; count: number }[];
    byAction: { action: string; count: number }[];
    byOutcome: { outcome: 'success' | 'denied' | 'failure'; count: number }[];
  };
  findings: Finding[];
  /** The events findings refer to, by seq. */
  findingEvents: ReadonlyMap<number, LedgerEvent>;
  /** The auditor's own workspace, where the report is made. */
  workspace: { id: string; name: string };
  generatedAt: string;
  generatedBy: string;
}

/**
 * The checks a bundle verification runs, in the order it runs them, each with the problem kinds
 * that fail it (the same kinds as a workspace verification, DESIGN §4).
 */
const CHECKS: { name: string; does: (i: ImportSummary) => string; kinds: ProblemKind[] }[] = [
  {
    name: 'Bundle structure',
    does: () => 'The ZIP is read through the hostile-input reader (no links, traversal, bombs or duplicates) and holds manifest.json, manifest.sig and public-key.pem in format custos-bundle/1.',
    kinds: ['malformed'],
  },
  {
    name: 'Signatures',
    does: () => 'manifest.sig is a valid Ed25519 signature over the exact bytes of manifest.json by public-key.pem, whose SHA-256 is the key id the manifest names; the signed tree head verifies with the same key.',
    kinds: ['bad-signature'],
  },
  {
    name: 'File hashes',
    does: () => 'Every file of the bundle has the SHA-256 and size the manifest lists, and the bundle holds no file the manifest does not list.',
    kinds: ['file-mismatch'],
  },
  {
    name: 'Event hashes',
    does: (i) => `Each of the ${i.events.toLocaleString('en-US')} events is in canonical form (RFC 8785) and its SHA-256 equals its recorded hash.`,
    kinds: ['hash-mismatch'],
  },
  {
    name: 'Hash chain',
    does: () => 'Each prev_hash is the hash of the event before it; seq numbers rise by one, without gaps, duplicates or reordering.',
    kinds: ['broken-link', 'gap', 'reordered', 'duplicate'],
  },
  {
    name: 'Signed tree head',
    does: (i) =>
      i.complete
        ? `The RFC 6962 Merkle root recomputed from all ${i.treeSize.toLocaleString('en-US')} events equals the signed root.`
        : `Each event's RFC 6962 inclusion proof leads to the signed root of the tree head of ${i.treeSize.toLocaleString('en-US')} events.`,
    kinds: ['root-mismatch', 'bad-proof'],
  },
  {
    name: 'History',
    does: () => 'The tree head extends, by RFC 9162 consistency proofs, what was imported before from the same workspace, and nothing was cut after a checkpoint.',
    kinds: ['truncated-after-checkpoint'],
  },
];

const SEVERITY_ORDER: FindingSeverity[] = ['high', 'medium', 'low', 'info'];
const SEVERITY_COLOR: Record<FindingSeverity, string> = { high: '#b3261e', medium: '#8a5a00', low: '#1f5fbf', info: '#555555' };
const OK = PDF_COLORS.ok;
const BAD = PDF_COLORS.bad;
const MUTED = PDF_COLORS.muted;

/** The report's summary without its leading verdict word, which the report sets apart itself. */
function summaryText(r: VerificationReport): string {
  const rest = r.summary.replace(/^(VALID|INVALID):\s*/, '');
  return pdfSafe(rest.charAt(0).toUpperCase() + rest.slice(1));
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** The pin status as one sentence, the way the import screen says it. */
export function pinSentence(pin: ImportPin | null): string {
  if (!pin) return 'No key is pinned for this source workspace.';
  if (!pin.matches) return `DIFFERS from the key pinned for this source on ${dayText(pin.pinnedAt)} by ${pin.pinnedBy}.`;
  if (pin.pinnedByThisImport) return `New source: pinned at this import, on ${dayText(pin.pinnedAt)} by ${pin.pinnedBy}. Later bundles from this workspace must carry the same key.`;
  return `Matches the key pinned for this source on ${dayText(pin.pinnedAt)} by ${pin.pinnedBy}.`;
}

function scopeText(i: ImportSummary): string {
  const filters = Object.entries(i.filters).filter(([, v]) => v !== undefined && v !== null && v !== '');
  const parts: string[] = [];
  if (i.caseId) parts.push(`case ${i.caseId}`);
  for (const [k, v] of filters) parts.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  if (i.complete) return 'The complete ledger up to the signed tree head.';
  return `A selection of the ledger (${parts.length ? parts.join('; ') : 'filtered'}), each event with an inclusion proof.`;
}

function titlePage(input: ReviewReportInput): Content[] {
  const i = input.import;
  const r = input.report;
  const verdict: Content = {
    table: {
      widths: ['*'],
      body: [
        [
          {
            stack: [
              { text: r.valid ? 'VALID' : 'INVALID', fontSize: 18, bold: true, color: r.valid ? OK : BAD },
              { text: summaryText(r), fontSize: 9, margin: [0, 2, 0, 0] },
            ],
            margin: [8, 6, 8, 6],
          },
        ],
      ],
    },
    layout: { hLineColor: () => (r.valid ? OK : BAD), vLineColor: () => (r.valid ? OK : BAD), hLineWidth: () => 1, vLineWidth: () => 1 },
    margin: [0, 0, 0, 14],
  };
  const period = i.firstTs && i.lastTs ? `${i.firstTs} to ${i.lastTs}` : 'No events.';
  return [
    ...titleBlock({ title: 'Verification report', subtitle: `Imported log bundle ${i.id} from "${i.sourceWorkspaceName}"` }),
    verdict,
    factsTable(
      [
        ['Source workspace', cell(`${i.sourceWorkspaceName}\n${i.sourceWorkspaceId}`)],
        // Grouped by four for reading aloud; it wraps between groups, never inside one.
        ['Signing key fingerprint', { text: i.fingerprint, fontSize: 9.5, bold: true }],
        ['Key pin status', cell(pinSentence(input.pin), input.pin && !input.pin.matches ? { color: BAD, bold: true } : {})],
        ['Bundle file', cell(i.fileName)],
        ['Bundle SHA-256', hashCell(i.fileSha256, { fontSize: 8 })],
        ['Bundle size', cell(`${count(i.fileBytes)} bytes`)],
        ['Created', cell(`${i.bundleCreatedAt} by ${i.bundleCreatedBy}`)],
        ['Scope', cell(scopeText(i))],
        ['Events in the bundle', cell(`${count(i.events)} (${period})`)],
        ['Signed tree head', cell(`${count(i.treeSize)} events, signed ${i.checkpointTs}`)],
        ['Root', hashCell(i.root, { fontSize: 8 })],
        ['Imported', cell(`${i.importedAt} by ${i.importedBy}`)],
        ['Review', cell(i.status === 'reviewed' ? `Reviewed ${i.reviewedAt ?? ''} by ${i.reviewedBy ?? ''}` : 'Not yet reviewed')],
        ['Report generated', cell(`${utcText(input.generatedAt)} by ${input.generatedBy}, in workspace "${input.workspace.name}" (${input.workspace.id})`)],
      ] satisfies Fact[],
      { labelWidth: 150 },
    ),
    note(
      'Integrity of this report: its SHA-256 is recorded in the Custos ledger of the workspace named above, in the imports.report event ' +
        'that records its making. Compare it with the output of `sha256sum` (or `certutil -hashfile FILE SHA256`) on this file.',
      { fontSize: 8, margin: [0, 14, 0, 0] },
    ),
    note(
      'Anyone can check the bundle itself without Custos: its VERIFY.txt explains how with unzip, OpenSSL and sha256sum. ' +
        'Compare the signing key fingerprint above with the one the source workspace gave you by another channel.',
      { fontSize: 8, margin: [0, 4, 0, 0] },
    ),
  ];
}

function verificationSection(input: ReviewReportInput): Content[] {
  const i = input.import;
  const r = input.report;
  const body: TableCell[][] = [];
  for (const c of CHECKS) {
    const failed = r.problems.filter((p) => c.kinds.includes(p.kind as ProblemKind)).length;
    body.push([
      { text: c.name, bold: true },
      cell(c.does(i)),
      failed === 0 ? { text: 'Passed', color: OK, bold: true } : { text: `FAILED (${failed})`, color: BAD, bold: true },
    ]);
  }
  const keyOk = input.pin ? input.pin.matches : true;
  body.push([{ text: 'Signing key', bold: true }, cell(pinSentence(input.pin)), keyOk ? { text: 'Passed', color: OK, bold: true } : { text: 'FAILED', color: BAD, bold: true }]);

  const problems = table({
    columns: [
      { header: 'Seq', width: 44 },
      { header: 'Kind', width: 110 },
      { header: 'Problem', width: '*' },
    ],
    rows: r.problems.map((p) => [cell(p.seq === null ? '—' : String(p.seq)), { text: p.kind, color: BAD }, cell(p.message)]),
    empty: 'No problems were found.',
    fontSize: 8.5,
  });
  const consistency = table({
    columns: [
      { header: 'From size', width: 70 },
      { header: 'Signed at', width: 110 },
      { header: 'Root of that tree head', width: '*' },
    ],
    rows: input.consistency.map((c) => [cell(count(c.fromSize)), cell(c.fromTs), hashCell(c.fromRoot, { fontSize: 8 })]),
    empty: 'The bundle carries no consistency proofs (none were needed: no earlier tree head of this workspace was imported or referenced).',
    fontSize: 8.5,
  });
  return [
    section('Verification', { newPage: true }),
    {
      text: [
        { text: r.valid ? 'VALID: ' : 'INVALID: ', bold: true, color: r.valid ? OK : BAD },
        summaryText(r),
      ],
      fontSize: 9.5,
      margin: [0, 0, 0, 4],
    },
    note(
      `${count(r.events_checked)} events and ${count(r.checkpoints_checked)} signed tree heads checked; ${count(r.problems.length)} problem${r.problems.length === 1 ? '' : 's'}.`,
      { fontSize: 9, margin: [0, 0, 0, 8] },
    ),
    table({
      columns: [
        { header: 'Check', width: 90 },
        { header: 'What was checked', width: '*' },
        { header: 'Result', width: 58 },
      ],
      rows: body,
      empty: 'No check ran.',
      keepRows: true,
      fontSize: 8.5,
    }),
    subsection('Problems'),
    problems,
    subsection('Consistency proofs in the bundle'),
    consistency,
  ];
}

/** Per-day counts rolled up by month (a year of days would fill pages and say less). */
function byMonth(perDay: ReviewReportInput['stats']['perDay']): { month: string; success: number; denied: number; failure: number }[] {
  const months = new Map<string, { month: string; success: number; denied: number; failure: number }>();
  for (const d of perDay) {
    const key = d.day.slice(0, 7);
    const m = months.get(key) ?? { month: key, success: 0, denied: 0, failure: 0 };
    m.success += d.success;
    m.denied += d.denied;
    m.failure += d.failure;
    months.set(key, m);
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}

function countTable(title: string, rows: [string, number][], total: number): Content {
  return table({
    columns: [
      { header: title, width: '*' },
      { header: 'Events', width: 60, align: 'right' },
      { header: 'Share', width: 50, align: 'right' },
    ],
    rows: rows.map(([k, n]) => [cell(k), count(n), total ? `${((n / total) * 100).toFixed(1)} %` : '—']),
    empty: 'None',
    fontSize: 8.5,
  });
}

function activitySection(input: ReviewReportInput): Content[] {
  const s = input.stats;
  const outcome = (o: 'success' | 'denied' | 'failure') => s.byOutcome.find((x) => x.outcome === o)?.count ?? 0;
  const months = byMonth(s.perDay);
  const monthRows: TableCell[][] = months.map((m) => [
      cell(m.month),
      { text: count(m.success), alignment: 'right' },
      { text: count(m.denied), alignment: 'right', color: m.denied ? BAD : undefined },
      { text: count(m.failure), alignment: 'right' },
      { text: count(m.success + m.denied + m.failure), alignment: 'right', bold: true },
    ]) as TableCell[][];
  return [
    section('Activity summary', { newPage: true }),
    {
      text: `${count(s.total)} events in the bundle: ${count(outcome('success'))} successful, ${count(outcome('denied'))} denied and ${count(outcome('failure'))} failed actions, by ${count(s.byActor.length)}${s.byActor.length >= 20 ? '+' : ''} actors.`,
      fontSize: 9.5,
      margin: [0, 0, 0, 8],
    },
    countTable('Outcome', (['success', 'denied', 'failure'] as const).map((o) => [o, outcome(o)]), s.total),
    subsection('Activity by month'),
    table({
      columns: [
        { header: 'Month', width: '*' },
        ...['Success', 'Denied', 'Failure', 'Total'].map((header) => ({ header, width: 60, align: 'right' as const })),
      ],
      rows: monthRows,
      empty: 'No events.',
      fontSize: 8.5,
    }),
    {
      columns: [
        { stack: [subsection('Most active actors'), countTable('Actor', s.byActor.map((a) => [a.actor, a.count]), s.total)] },
        { stack: [subsection('Most frequent actions'), countTable('Action', s.byAction.map((a) => [a.action, a.count]), s.total)] },
      ],
      columnGap: 16,
    },
  ];
}

function findingBlock(f: Finding, n: number, event: LedgerEvent | undefined): Content {
  const about = f.seq === null ? null : event ? `About event ${f.seq}: ${event.action} by ${event.actor} on ${event.resource_type} ${event.resource_id} at ${event.ts} (${event.outcome}).` : `About event ${f.seq}.`;
  return {
    unbreakable: true,
    margin: [0, 0, 0, 10],
    table: {
      widths: [4, '*'],
      body: [
        [
          { text: '', fillColor: SEVERITY_COLOR[f.severity] },
          {
            stack: [
              {
                text: [
                  { text: `${f.severity.toUpperCase()}  `, bold: true, color: SEVERITY_COLOR[f.severity] },
                  { text: pdfSafe(`Finding ${n}: ${f.title}`), bold: true },
                ],
                fontSize: 10,
              },
              ...(about ? [{ text: pdfSafe(about), fontSize: 8, color: MUTED, margin: [0, 2, 0, 0] as [number, number, number, number] }] : []),
              { text: pdfSafe(f.body), fontSize: 9, margin: [0, 4, 0, 0] as [number, number, number, number] },
              { text: `Recorded ${f.createdAt} by ${f.createdBy}`, fontSize: 7.5, color: MUTED, margin: [0, 4, 0, 0] as [number, number, number, number] },
            ],
            margin: [6, 2, 0, 2],
          },
        ],
      ],
    },
    layout: 'noBorders',
  };
}

function findingsSection(input: ReviewReportInput): Content[] {
  const f = input.findings;
  const bySeverity = SEVERITY_ORDER.map((s) => [s, f.filter((x) => x.severity === s).length] as const).filter(([, n]) => n > 0);
  return [
    section('Findings', { newPage: true }),
    f.length === 0
      ? { text: 'No findings were recorded on this bundle.', fontSize: 9.5 }
      : { text: `${f.length} finding${f.length === 1 ? '' : 's'}: ${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}.`, fontSize: 9.5, margin: [0, 0, 0, 8] },
    ...f.map((x, k) => findingBlock(x, k + 1, x.seq === null ? undefined : input.findingEvents.get(x.seq))),
  ];
}

function reviewSection(input: ReviewReportInput): Content[] {
  const i = input.import;
  return [
    section('Review status'),
    i.status === 'reviewed'
      ? factsTable([
          ['Status', { text: 'Reviewed', bold: true, color: OK }],
          ['Reviewed by', cell(i.reviewedBy ?? '—')],
          ['Reviewed at', cell(i.reviewedAt ?? '—')],
          ['Review note', cell(i.reviewNote ?? '—')],
        ])
      : factsTable([
          ['Status', { text: 'Not yet reviewed', bold: true }],
          ['Note', cell('The review of this bundle has not been signed off; this report shows the findings recorded so far.')],
        ]),
  ];
}

/** The pdfmake document of an imported bundle's verification report (A4 portrait, numbered pages). */
export function reviewReportDefinition(input: ReviewReportInput): TDocumentDefinitions {
  const i = input.import;
  return docDefinition({
    title: `Verification report — imported bundle ${i.id}`,
    workspace: input.workspace.name,
    generatedAt: input.generatedAt,
    reference: `bundle SHA-256 ${i.fileSha256.slice(0, 16)}…`,
    subject: `Verification report of bundle ${i.fileName} from ${i.sourceWorkspaceName}`,
    content: [...titlePage(input), ...verificationSection(input), ...activitySection(input), ...findingsSection(input), ...reviewSection(input)],
  });
}
