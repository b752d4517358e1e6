import type { witnessChannels } from '../../../shared/contract/witness.js';
import type { Handlers } from '../dispatch.js';
import { countersignImport, countersignsOf, importCosignature, listWitness, readWitnessKey, trustWitnessKey, witnessIdentity } from '../witness/witness.js';

type WitnessHandlers = Pick<Handlers, keyof typeof witnessChannels>;

export const witnessHandlers: WitnessHandlers = {
  'witness.identity': (_req, { ws }) => ({ identity: witnessIdentity(ws) }),
  'witness.countersign': (req, { ws, op }) => {
    const { file, countersign } = countersignImport(ws, op, req.importId);
    return { file: { fileName: file.fileName, bytes: file.bytes, sha256: file.sha256 }, countersign };
  },
  'witness.countersigns': (req, { ws }) => ({ countersigns: countersignsOf(ws, req.importId) }),
  'witness.describeKey': (req) => {
    const key = readWitnessKey(req.vkey);
    return { name: key.name, keyId: key.keyId.toString('hex'), fingerprint: key.fingerprint };
  },
  'witness.trust': (req, { ws, op }) => ({ key: trustWitnessKey(ws, op, req.vkey, req.label) }),
  'witness.import': (req, { ws, op }) => ({ cosignature: importCosignature(ws, op, req.text, req.fileName ?? null) }),
  'witness.heads': (_req, { ws }) => listWitness(ws),
};
