import type { evidenceChannels } from '../../../shared/contract/evidence.js';
import type { Handlers } from '../dispatch.js';
import { exportEvidenceContent, readEvidenceContent } from '../evidence/access.js';
import { sweepEvidenceFolder } from '../evidence/blob-store.js';
import { custodyChain, custodyReport } from '../evidence/custody-chain.js';
import { sealOrRelease, transferEvidence } from '../evidence/custody.js';
import { disposeEvidence } from '../evidence/dispose.js';
import { custodyEvents, getEvidence, listEvidence } from '../evidence/evidence-store.js';
import { ingestFromBase64, ingestGranted } from '../evidence/ingest.js';
import { verifyEvidence } from '../evidence/verify.js';
import { activeHoldsFor } from '../holds/active-holds.js';

type EvidenceHandlers = Pick<Handlers, keyof typeof evidenceChannels>;

export const evidenceHandlers: EvidenceHandlers = {
  'evidence.ingestFile': async (req, { app, session, ws, signal, progress, op }) => {
    sweepEvidenceFolder(ws);
    const { grant, fileName, jobId: _job, ...meta } = req;
    const evidence = await app.fileGrants.use(grant, session.id, 'evidence', (file) =>
      ingestGranted(ws, op, file, fileName, meta, { signal, onProgress: (b) => progress('ingest', b, file.bytes) }),
    );
    return { evidence };
  },
  'evidence.ingestContent': async (req, { ws, op }) => {
    const { fileName, contentBase64, ...meta } = req;
    return { evidence: await ingestFromBase64(ws, op, fileName, contentBase64, meta) };
  },
  'evidence.list': (req, { ws }) => {
    if (req.offset === 0) sweepEvidenceFolder(ws);
    return listEvidence(ws, req);
  },
  'evidence.get': (req, { ws }) => ({
    evidence: getEvidence(ws, req.id),
    custody: custodyEvents(ws, req.id),
    chain: custodyChain(ws, req.id),
    holds: activeHoldsFor(ws, 'evidence', req.id),
  }),
  'evidence.transfer': (req, { ws, op }) => ({ evidence: transferEvidence(ws, op, req) }),
  'evidence.seal': (req, { ws, op }) => ({ evidence: sealOrRelease(ws, op, 'seal', req) }),
  'evidence.release': (req, { ws, op }) => ({ evidence: sealOrRelease(ws, op, 'release', req) }),
  'evidence.dispose': (req, { ws, op }) => ({ evidence: disposeEvidence(ws, op, req.id, req.reason) }),
  'evidence.verify': (req, { ws, signal, op }) => verifyEvidence(ws, op, req.id, signal),
  'evidence.content': (req, { ws, op }) => readEvidenceContent(ws, op, req.id, req.purpose, req.intent),
  'evidence.export': (req, { ws, op }) => exportEvidenceContent(ws, op, req.id, req.purpose),
  'evidence.custodyReport': (req, { ws, op }) => custodyReport(ws, op, req.id, req.format),
};
