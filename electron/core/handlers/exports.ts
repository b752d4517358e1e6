import type { exportChannels } from '../../../shared/contract/exports.js';
import type { Handlers } from '../dispatch.js';
import { decideExport, executeExport, getExportRequest, listExportRequests, requestExport } from '../exports/requests.js';
import { executeBundleRequest } from '../bundle/bundle-requests.js';
import { caseScope } from '../cases/case-scope.js';
import { MASKING_PROFILES } from '../exports/masking.js';

type ExportHandlers = Pick<Handlers, keyof typeof exportChannels>;

export const exportHandlers: ExportHandlers = {
  'exports.request': (req, { ws, op, app }) => ({ request: requestExport(ws, op, req, app.wiring.caseResources) }),
  'exports.approve': (req, { ws, op }) => ({ request: decideExport(ws, op, req.id, 'approve', req.note) }),
  'exports.reject': (req, { ws, op }) => ({ request: decideExport(ws, op, req.id, 'reject', req.reason) }),
  'exports.execute': async (req, { ws, signal, progress, op, app }) => {
    // A bundle request (format 'bundle', issue 15.4) runs as a signed bundle; the rest as data exports.
    if (getExportRequest(ws, req.id).format !== 'bundle') {
      return { request: await executeExport(ws, op, req.id, app.wiring.caseResources, { signal, onProgress: (n, total) => progress('export', n, total) }) };
    }
    const { request, bundle } = await executeBundleRequest(ws, op, req.id, {
      parts: app.wiring.bundleParts,
      caseScope: (w, caseId) => caseScope(w, caseId, app.wiring.caseResources),
      signal,
      progress,
    });
    const { path: _path, ...made } = bundle;
    return { request, bundle: made };
  },
  'exports.list': (req, { ws }) => listExportRequests(ws, req),
  'exports.profiles': () => ({ profiles: Object.values(MASKING_PROFILES).map((p) => ({ name: p.name, description: p.description ?? '' })) }),
};
