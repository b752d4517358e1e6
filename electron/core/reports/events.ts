import { eventShapes } from '../ledger/details-shape.js';

/** Details of the report events (see ledger/details-shape.ts): what was made, over which period and tree head, and its hash. */
export const REPORT_EVENTS = eventShapes({
  'reports.generate': {
    kind: 'data',
    title: 'data',
    framework: 'data',
    from: 'data',
    to: 'data',
    checkpoint_size: 'data',
    checkpoint_root: 'data',
    key_id: 'data',
    file_name: 'data',
    sha256: 'data',
    bytes: 'data',
    pages: 'data',
  },
  // The command line's copy of a report to where --out says (the local user's own path).
  'reports.copy': { path: 'data', sha256: 'data', bytes: 'data' },
});
