import type { bundleChannels } from '../../../shared/contract/bundles.js';
import { caseScope } from '../cases/case-scope.js';
import type { LedgerFilter } from '../../../shared/contract/core.js';
import { withBundleFile } from '../bundle/bundle-input.js';
import { makeBundleNow, requestBundle } from '../bundle/bundle-requests.js';
import { addFinding, importPin, listFindings } from '../imports/findings.js';
import { importBundle, reviewImport, runningImportIds } from '../imports/import-bundle.js';
import {
  findSource,
  getImport,
  importStats,
  listImports,
  listSources,
  queryImportedEvents,
  recentRejections,
  storedConsistency,
  storedReport,
  toImportSummary,
} from '../imports/imports-store.js';
import { writeReviewReport } from '../imports/review-report.js';
import { bundleWarnings, listPins, revokePin, sourceSummary } from '../imports/pins.js';
import { inspectBundle } from '../bundle/verify-bundle.js';
import type { Handlers } from '../dispatch.js';

type BundleHandlers = Pick<Handlers, keyof typeof bundleChannels>;

/** Only the ledger filter fields of a request (requests carry paging and other fields too). */
function filterOf(req: LedgerFilter): LedgerFilter {
  const { from, to, actor, action, resourceType, resourceId, outcome, text, throughSeq } = req;
  return { from, to, actor, action, resourceType, resourceId, outcome, text, throughSeq };
}

export const bundleHandlers: BundleHandlers = {
  'bundles.request': (req, { ws, app, op }) => ({
    request: requestBundle(ws, op, req, (w, caseId) => caseScope(w, caseId, app.wiring.caseResources)),
  }),

  'bundles.create': (req, { ws, app, op, signal, progress }) =>
    makeBundleNow(
      ws,
      op,
      { caseId: req.caseId ?? null, filters: filterOf(req) },
      { parts: app.wiring.bundleParts, caseScope: (w, caseId) => caseScope(w, caseId, app.wiring.caseResources), signal, progress },
    ),

  'bundles.verify': (req, ctx) =>
    withBundleFile(ctx, req, async (path, fileName) => {
      const { ws, user, signal, progress } = ctx;
      const inspection = await inspectBundle(path, { signal, onProgress: (done, total) => progress('verify', done, total) });
      const { report, bundle } = inspection;
      const source = bundle ? findSource(ws.db, bundle.workspaceId) : undefined;
      const pin = !bundle ? null : bundle.workspaceId === ws.id ? 'own' : !source ? 'new-source' : source.key_id === bundle.keyId ? 'matches' : 'differs';
      const warnings = bundle ? bundleWarnings(ws.db, bundle) : [];
      ws.record({
        actor: user.username,
        action: 'bundles.verify',
        resource_type: 'bundle',
        resource_id: bundle?.fileSha256 ?? fileName,
        outcome: report.valid ? 'success' : 'failure',
        details: {
          file_name: fileName,
          file_sha256: bundle?.fileSha256 ?? null,
          valid: report.valid,
          problems: report.problems.length,
          source_workspace_id: bundle?.workspaceId ?? null,
          key_id: bundle?.keyId ?? null,
          pin,
          warnings,
        },
      });
      return { report, bundle, pin, warnings };
    }),

  'imports.run': (req, ctx) =>
    withBundleFile(ctx, req, async (path, fileName) => {
      const { ws, user, signal, progress } = ctx;
      const outcome = await importBundle(ws, path, { actor: user.username, fileName, signal, progress, trustFingerprint: req.trustFingerprint });
      const b = outcome.bundle;
      // A rejection pins nothing, so the source row read now is the one the bundle was judged against.
      const source = b ? findSource(ws.db, b.workspaceId) : undefined;
      const pin = !b ? null : b.workspaceId === ws.id ? 'own' : outcome.pinned || !source ? 'new-source' : source.key_id === b.keyId ? 'matches' : 'differs';
      return { ...outcome, pin, pinnedSource: source ? sourceSummary(source) : null };
    }),

  'imports.list': (req, { ws }) => {
    const page = listImports(ws.db, req, runningImportIds(ws.db));
    return {
      items: page.rows.map(toImportSummary),
      total: page.total,
      sources: listSources(ws.db).map(sourceSummary),
      rejected: recentRejections(ws.db),
    };
  },

  'imports.get': (req, { ws }) => {
    const row = getImport(ws.db, req.id);
    return {
      import: toImportSummary(row),
      report: storedReport(row),
      manifest: row.manifest,
      manifestSignature: row.manifest_sig,
      publicKeyPem: row.public_key_pem,
      consistency: storedConsistency(row).map((c) => ({ fromSize: c.from_size, fromRoot: c.from_root, fromTs: c.from_ts })),
      pin: importPin(ws.db, row),
      findings: listFindings(ws.db, row.id),
    };
  },

  'imports.events': (req, { ws }) =>
    queryImportedEvents(ws.db, req.importId, { ...filterOf(req), beforeSeq: req.beforeSeq, offset: req.offset, limit: req.limit, withTotal: req.withTotal }),

  'imports.stats': (req, { ws }) => importStats(ws.db, req.importId, filterOf(req), req.top),

  'imports.review': (req, { ws, op }) => ({ import: reviewImport(ws, op, req.id, req.note) }),

  'imports.findings': (req, { ws }) => {
    getImport(ws.db, req.importId);
    return { findings: listFindings(ws.db, req.importId) };
  },

  'imports.findings.add': (req, { ws, op }) => ({
    finding: addFinding(ws, op, { importId: req.importId, severity: req.severity, title: req.title, body: req.body, seq: req.seq }),
  }),

  'imports.report': (req, { ws, op }) => writeReviewReport(ws, op, req.id),

  'imports.pins': (_req, { ws }) => listPins(ws.db),

  'imports.pins.revoke': (req, { ws, op }) => ({ revoked: revokePin(ws, op, req.workspaceId, req.reason) }),
};
