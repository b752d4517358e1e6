import type { exportChannels } from '../../../shared/contract/exports.js';
import type { Handlers } from '../dispatch.js';
import { decideExport, executeExport, listExportRequests, requestExport } from '../exports/requests.js';
import { MASKING_PROFILES } from '../exports/masking.js';

type ExportHandlers = Pick<Handlers, keyof typeof exportChannels>;

export const exportHandlers: ExportHandlers = {
  'exports.request': (req, { ws, op }) => ({ request: requestExport(ws, op, req) }),
  'exports.approve': (req, { ws, op }) => ({ request: decideExport(ws, op, req.id, 'approve', req.note) }),
  'exports.reject': (req, { ws, op }) => ({ request: decideExport(ws, op, req.id, 'reject', req.reason) }),
  'exports.execute': async (req, { ws, signal, progress, op }) => ({
    request: await executeExport(ws, op, req.id, { signal, onProgress: (n, total) => progress('export', n, total) }),
  }),
  'exports.list': (req, { ws }) => listExportRequests(ws, req),
  'exports.profiles': () => ({ profiles: Object.values(MASKING_PROFILES).map((p) => ({ name: p.name, description: p.description ?? '' })) }),
};
