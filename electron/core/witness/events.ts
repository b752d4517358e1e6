import { eventShapes } from '../ledger/details-shape.js';

/** Details of the witness events (see ledger/details-shape.ts). */
export const WITNESS_EVENTS = eventShapes({
  'witness.countersign': {
    countersign_id: 'data',
    source_workspace_id: 'data',
    tree_size: 'data',
    root: 'data',
    cosigner: 'data',
    cosigned_at: 'data',
    file_name: 'data',
    sha256: 'data',
    bytes: 'data',
  },
  'witness.trust': { name: 'data', key_id: 'data', fingerprint: 'data', label: 'text' },
  'witness.import': { cosigner: 'data', fingerprint: 'data', tree_size: 'data', root: 'data', cosigned_at: 'data', file_name: 'text', file_sha256: 'data' },
});
