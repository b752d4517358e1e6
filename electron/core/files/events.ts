import { eventShapes } from '../ledger/details-shape.js';

/** Details of the file hand-over events (see ledger/details-shape.ts). */
export const FILE_EVENTS = eventShapes({
  'files.download': { bytes: 'data', sha256: 'data' },
});
