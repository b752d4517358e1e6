import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Production, ProductionFile, Subpoena } from '../../../shared/contract/subpoenas.js';
import { SUBPOENA_TYPE_LABELS } from '../../../shared/contract/subpoenas.js';
import { insertDisclosure, statementsFor } from '../disclosures/disclosures.js';
import { getRecord } from '../domain/subject-rows.js';
import { writeZip, type ZipWriteEntry } from '../zip/zip-write.js';
import { CustosError } from '../errors.js';
import { exportsDir, fileStamp, freeName, namePart, type ExportedFile } from '../files/export-file.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { Workspace } from '../workspace.js';
import { PAGE_HASH_DEFINITION, formatBates, renderProduction, type ProducedRecord } from './production-pdf.js';
import { PRODUCTIONS_DIR, productionKey, seal, unseal } from './retained-store.js';
import { assertSubpoenaTransition } from './subpoena-states.js';
import { productionRefusal } from '../ferpa/ferpa-policy.js';
import { getSubpoena, scopeOf, subpoenaRow, type SubpoenaRow } from './subpoenas.js';
import {
  advanceBatesCounter,
  disclosureIdOfProduction,
  fileRowsOfProduction,
  findProductionRow,
  insertProductionFileRow,
  insertProductionRow,
  nextBatesNumber,
  type ProductionFileRow,
  type ProductionRow,
  setSubpoenaProduced,
  standingAmendmentsOfRecord,
  statementTextRow,
} from './subpoenas-store.js';
import { opTime, type Op } from '../domain/op.js';

const BATES_DIGITS = 6;
const DEFAULT_BATES_PREFIX = 'PROD';

interface FileOut {
  path: string;
  role: ProductionFile['role'];
  data: Buffer;
  page: number | null;
  bates: string | null;
  recordId: string | null;
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

// One production at a time per process: rendering is async, and two at once could race for Bates numbers.
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/** A production id follows its subpoena's (SUB-2026-0007 → PRD-2026-0007): one production per subpoena. */
function productionIdFor(subpoenaId: string): string {
  return subpoenaId.replace(/^SUB-/, 'PRD-');
}

function noticeLine(r: SubpoenaRow): string {
  if (r.notice_exempt_ground) {
    const ground = r.notice_exempt_ground === 'nondisclosure_order' ? 'non-disclosure order' : 'ex parte court order';
    return `Not notified: exempt (${ground}, 34 CFR 99.31(a)(9)(ii)). ${r.notice_exempt_reason ?? ''}`.trim();
  }
  if (r.notice_sent_at) return `Notified on ${r.notice_sent_at.slice(0, 10)} by ${r.notice_method ?? 'notice'}, before compliance (34 CFR 99.31(a)(9)(ii)).`;
  return 'Not recorded.';
}

function verifyText(productionId: string, first: string, last: string): string {
  return [
    `Custos production ${productionId}: how to verify it without Custos`,
    '',
    `Bates range: ${first} to ${last}.`,
    '',
    '1. Every file is listed in manifest.json with its SHA-256 and size. From this folder:',
    "     sha256sum production.pdf pages/*.pdf VERIFY.txt    and compare with manifest.json's \"files\".",
    '   The SHA-256 of manifest.json itself is recorded in the producing party\'s ledger and record of disclosures.',
    '',
    '2. Page hashes.',
    `   ${PAGE_HASH_DEFINITION}`,
    '   For page N:   sha256sum pages/<Bates>.pdf   must equal manifest.json "pages"[N-1].sha256.',
    '',
    '3. Bates numbers. Each page shows its number in the footer:',
    '     pdftotext -f N -l N production.pdf - | grep <Bates>',
    '   Numbers run without gaps from the first to the last page.',
    '',
  ].join('\n');
}

/**
 * `subpoenas.produce`: renders the scoped records (cover + one section per record, statements of
 * disagreement included), writes the retained copy encrypted into the workspace, then in one
 * transaction stores the production, writes the disclosure entry and appends `subpoenas.produce`.
 * Records are only read: production never alters them.
 */
/** Refuses production the institution's policy does not allow (seed 002: not without a court order). */
function assertProductionAllowed(ws: Workspace, r: SubpoenaRow): void {
  const refusal = productionRefusal(ws, r.type);
  if (refusal) {
    throw new CustosError('conflict', `Subpoena ${r.id} is a ${SUBPOENA_TYPE_LABELS[r.type].toLowerCase()}, not a court order. ${refusal}`, {
      resourceType: 'subpoena',
      resourceId: r.id,
      rule: 'court_order',
    });
  }
}

export function produceSubpoena(
  ws: Workspace,
  op: Op,
  input: { id: string; batesPrefix?: string },
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ subpoena: Subpoena; production: Production }> {
  const { actor } = op;
  const now = opTime(op);
  return serialized(async () => {
    const before = subpoenaRow(ws, input.id);
    assertSubpoenaTransition(before.id, before.state, 'produced', 'be produced');
    assertProductionAllowed(ws, before);
    const scope = scopeOf(ws, before.id);
    if (scope.length === 0) throw new CustosError('conflict', `Subpoena ${before.id} has an empty scope; define which records it asks for first.`);
    const producedAt = now.toISOString();
    const productionId = productionIdFor(before.id);
    const prefix = input.batesPrefix ?? DEFAULT_BATES_PREFIX;
    const first = nextBatesNumber(ws.db, prefix) ?? 1;

    const statements = statementsFor(ws, scope.map((s) => s.id), producedAt);
    const records: ProducedRecord[] = scope.map((s) => {
      const rec = getRecord(ws, s.id);
      if (rec.content === null || rec.status !== 'active') {
        throw new CustosError('conflict', `Record ${rec.id} was ${rec.status} after scoping; re-scope the subpoena before producing.`);
      }
      return {
        id: rec.id,
        category: rec.category,
        title: rec.title,
        recordDate: rec.recordDate,
        source: rec.source,
        content: rec.content,
        amendments: amendmentsOf(ws, rec.id),
        statements: statements.filter((x) => x.recordId === rec.id).map((x) => statementText(ws, x.id)),
      };
    });

    const rendered = await renderProduction({
      productionId,
      subpoenaId: before.id,
      issuer: before.issuer,
      court: before.court,
      docket: before.docket,
      typeLabel: SUBPOENA_TYPE_LABELS[before.type],
      servedAt: before.served_at,
      dueAt: before.due_at,
      requestedRecords: before.requested_records,
      subjectId: before.subject_id,
      subjectName: before.subject_name,
      producingParty: ws.name,
      producedAt,
      producedBy: actor,
      notice: noticeLine(before),
      records,
      bates: { prefix, first, digits: BATES_DIGITS },
    }, onProgress);
    const last = first + rendered.pages.length - 1;
    const firstBates = formatBates(prefix, first, BATES_DIGITS);
    const lastBates = formatBates(prefix, last, BATES_DIGITS);

    const files: FileOut[] = [
      { path: 'production.pdf', role: 'combined', data: rendered.combined, page: null, bates: null, recordId: null },
      ...rendered.pages.map((p) => ({ path: `pages/${p.bates}.pdf`, role: 'page' as const, data: p.pdf, page: p.page, bates: p.bates, recordId: p.recordId })),
      { path: 'VERIFY.txt', role: 'readme', data: Buffer.from(verifyText(productionId, firstBates, lastBates), 'utf8'), page: null, bates: null, recordId: null },
    ];
    const manifest = {
      format: 'custos-production/1',
      production_id: productionId,
      producing_party: { workspace_id: ws.id, name: ws.name },
      produced_at: producedAt,
      produced_by: actor,
      subpoena: {
        id: before.id,
        type: before.type,
        issuer: before.issuer,
        court: before.court,
        docket: before.docket,
        served_at: before.served_at,
        due_at: before.due_at,
      },
      subject_id: before.subject_id,
      bates: { prefix, first: firstBates, last: lastBates, pages: rendered.pages.length },
      page_hash_definition: PAGE_HASH_DEFINITION,
      records: records.map((r) => ({
        id: r.id,
        category: r.category,
        bates: rendered.recordRanges.get(r.id) ?? null,
        statements: r.statements.map((s) => s.id),
        amendments: r.amendments.map((a) => a.id),
      })),
      pages: rendered.pages.map((p) => ({ page: p.page, bates: p.bates, file: `pages/${p.bates}.pdf`, sha256: sha256(p.pdf), bytes: p.pdf.length, record_id: p.recordId })),
      files: files.map((f) => ({ path: f.path, sha256: sha256(f.data), bytes: f.data.length })),
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    files.push({ path: 'manifest.json', role: 'manifest', data: manifestBytes, page: null, bates: null, recordId: null });
    const pdfSha = sha256(rendered.combined);
    const manifestSha = sha256(manifestBytes);

    // The retained copy: every file sealed under a key only the unlocked workspace can derive.
    const folder = randomUUID();
    const salt = randomBytes(32);
    const dir = join(ws.dir, PRODUCTIONS_DIR, folder);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = productionKey(ws, salt, productionId);
    const blobs = new Map<string, string>();
    try {
      files.forEach((f, i) => {
        const blob = `${String(i + 1).padStart(4, '0')}.bin`;
        writeFileAtomic(join(dir, blob), seal(key, `${productionId}/${f.path}`, f.data));
        blobs.set(f.path, blob);
      });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    } finally {
      key.fill(0);
    }

    try {
      ws.tx(() => {
        const now2 = subpoenaRow(ws, before.id);
        assertSubpoenaTransition(now2.id, now2.state, 'produced', 'be produced');
        assertProductionAllowed(ws, now2);
        const scopeNow = scopeOf(ws, before.id).map((s) => s.id).join(',');
        if (scopeNow !== scope.map((s) => s.id).join(',')) {
          throw new CustosError('conflict', `The scope of ${before.id} changed while it was being produced; produce it again.`);
        }
        const statementsNow = statementsFor(ws, scope.map((s) => s.id), producedAt).map((s) => s.id).join(',');
        if (statementsNow !== statements.map((s) => s.id).join(',')) {
          throw new CustosError('conflict', `A statement of disagreement was filed while ${before.id} was being produced; produce it again so it is included.`);
        }
        insertProductionRow(ws.db, {
          id: productionId,
          subpoena_id: before.id,
          folder,
          key_salt: salt,
          bates_prefix: prefix,
          bates_first: first,
          bates_last: last,
          bates_digits: BATES_DIGITS,
          page_count: rendered.pages.length,
          pdf_sha256: pdfSha,
          manifest_sha256: manifestSha,
          page_hash_definition: PAGE_HASH_DEFINITION,
          produced_at: producedAt,
          produced_by: actor,
        });
        for (const f of files) {
          insertProductionFileRow(ws.db, productionId, {
            path: f.path,
            role: f.role,
            blob_name: blobs.get(f.path),
            sha256: sha256(f.data),
            bytes: f.data.length,
            page: f.page,
            bates: f.bates,
            record_id: f.recordId,
          });
        }
        if (!advanceBatesCounter(ws.db, prefix, first, last + 1)) throw new CustosError('conflict', `Bates numbers under ${prefix} moved while producing; produce again.`);

        // The disclosure entry, in this same transaction (99.32). Under a non-disclosure order it is withheld
        // from the subject: 99.32(d)(5) exempts such disclosures from the subject's record of disclosures.
        const withhold = now2.notice_exempt_ground
          ? {
              basis:
                now2.notice_exempt_ground === 'nondisclosure_order'
                  ? `34 CFR 99.32(d)(5): ${SUBPOENA_TYPE_LABELS[now2.type].toLowerCase()} ${now2.id} orders that its existence and the records furnished not be disclosed.`
                  : `34 CFR 99.32(d)(5): ex parte court order ${now2.id} (20 U.S.C. 1232g(j)).`,
              until: now2.nondisclosure_until,
            }
          : undefined;
        const disclosure = insertDisclosure(
          ws,
          { ...op, at: now },
          {
            subjectId: now2.subject_id,
            recordIds: scope.map((s) => s.id),
            recipient: [now2.issuer, now2.court].filter(Boolean).join(', '),
            basis: now2.type === 'court_order' ? 'court_order' : 'subpoena',
            basisDetail: `${SUBPOENA_TYPE_LABELS[now2.type]} ${now2.id}${now2.docket ? `, docket ${now2.docket}` : ''}; 34 CFR 99.31(a)(9). Bates ${firstBates} to ${lastBates}.`,
            purpose: 'Compliance with a subpoena or judicial order.',
            disclosedAt: producedAt,
            disclosedBy: actor,
            caseId: now2.case_id,
            subpoenaId: now2.id,
            productionId,
            fileSha256: pdfSha,
            ...(withhold ? { withhold } : {}),
          },
        );
        setSubpoenaProduced(ws.db, now2.id, productionId, producedAt);
        ws.ledger.append({
          actor,
          action: 'subpoenas.produce',
          resource_type: 'subpoena',
          resource_id: now2.id,
          details: {
            subject_id: now2.subject_id,
            from: now2.state,
            to: 'produced',
            production_id: productionId,
            disclosure_id: disclosure.id,
            records: scope.map((s) => s.id),
            statements: disclosure.statementIds,
            bates_first: firstBates,
            bates_last: lastBates,
            pages: rendered.pages.length,
            pdf_sha256: pdfSha,
            manifest_sha256: manifestSha,
            withheld_from_subject: withhold !== undefined,
          },
        }, now);
      });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return { subpoena: getSubpoena(ws, before.id), production: getProduction(ws, productionId) };
  });
}

function statementText(ws: Workspace, id: string): { id: string; filedAt: string; text: string } {
  return statementTextRow(ws.db, id);
}

function amendmentsOf(ws: Workspace, recordId: string): { id: string; decidedAt: string; text: string }[] {
  return standingAmendmentsOfRecord(ws.db, recordId);
}

function productionRow(ws: Workspace, id: string): ProductionRow {
  const r = findProductionRow(ws.db, id);
  if (!r) throw new CustosError('not_found', `There is no production ${id}.`, { resourceType: 'production', resourceId: id });
  return r;
}

function fileRows(ws: Workspace, id: string): ProductionFileRow[] {
  return fileRowsOfProduction(ws.db, id);
}

export function getProduction(ws: Workspace, id: string): Production {
  const r = productionRow(ws, id);
  const disclosureId = disclosureIdOfProduction(ws.db, id);
  return {
    id: r.id,
    subpoenaId: r.subpoena_id,
    batesPrefix: r.bates_prefix,
    batesFirst: formatBates(r.bates_prefix, r.bates_first, r.bates_digits),
    batesLast: formatBates(r.bates_prefix, r.bates_last, r.bates_digits),
    pageCount: r.page_count,
    pdfSha256: r.pdf_sha256,
    manifestSha256: r.manifest_sha256,
    pageHashDefinition: r.page_hash_definition,
    producedAt: r.produced_at,
    producedBy: r.produced_by,
    disclosureId: disclosureId ?? null,
    files: fileRows(ws, id).map((f) => ({ entry: f.path, role: f.role, sha256: f.sha256, bytes: f.bytes, page: f.page, bates: f.bates, recordId: f.record_id })),
  };
}

/**
 * `subpoenas.exportProduction`: decrypts the retained copy into one ZIP (`<production id>/…` inside) in
 * the workspace's exports folder, to be handed over with `files.download`; checks each file's SHA-256
 * against the recorded value first, so a damaged copy leaves nothing. The ZIP goes through a private
 * temporary file and is published under a new name; if its ledger event fails, the ZIP is removed.
 */
export async function exportProduction(
  ws: Workspace,
  op: Op,
  input: { productionId: string },
): Promise<ExportedFile & { files: { entry: string; sha256: string; bytes: number }[] }> {
  const { actor } = op;
  const p = productionRow(ws, input.productionId);
  const rows = fileRows(ws, p.id);
  const source = join(ws.dir, PRODUCTIONS_DIR, p.folder);
  const key = productionKey(ws, p.key_salt, p.id);
  const written: { entry: string; sha256: string; bytes: number }[] = [];
  const entries: ZipWriteEntry[] = [];
  try {
    for (const f of rows) {
      const blobPath = join(source, f.blob_name);
      if (!existsSync(blobPath)) throw new CustosError('integrity', `The retained copy of ${p.id}/${f.path} is missing from the workspace.`);
      const data = unseal(key, `${p.id}/${f.path}`, readFileSync(blobPath));
      const digest = sha256(data);
      if (digest !== f.sha256) {
        throw new CustosError('integrity', `The retained copy of ${p.id}/${f.path} does not match its recorded SHA-256; it was not exported.`);
      }
      entries.push({ path: `${p.id}/${f.path}`, source: data });
      written.push({ entry: f.path, sha256: digest, bytes: data.length });
    }
  } finally {
    key.fill(0);
  }
  const dir = exportsDir(ws);
  const fileName = freeName(dir, `production-${namePart(p.id, 40)}-${fileStamp()}`, '.zip');
  const path = join(dir, fileName);
  const zip = await writeZip(path, entries, { what: 'production' });
  try {
    ws.record({
      actor,
      action: 'subpoenas.exportProduction',
      resource_type: 'production',
      resource_id: p.id,
      details: {
        subpoena_id: p.subpoena_id,
        file_name: fileName,
        sha256: zip.sha256,
        bytes: zip.bytes,
        files: written.length,
        manifest_sha256: p.manifest_sha256,
        pdf_sha256: p.pdf_sha256,
      },
    });
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  }
  return { path, fileName, bytes: zip.bytes, sha256: zip.sha256, files: written };
}
