import { eventShapes } from '../ledger/details-shape.js';

const incoming = {
  file_name: 'text',
  file_sha256: 'data',
  file_bytes: 'data',
  source_workspace_id: 'data',
  source_workspace_name: 'data',
  key_id: 'data',
} as const;

/** Details of the bundle and import events (see ledger/details-shape.ts). */
export const BUNDLE_EVENTS = eventShapes({
  'bundles.create': { out: 'data', file_name: 'data', complete: 'data', case: 'data', filters: 'data', 'filters.actor': 'person', tree_size: 'data' },
  'bundles.written': { out: 'data', file_name: 'data', sha256: 'data', bytes: 'data', events: 'data', tree_size: 'data', root: 'data', manifest_sha256: 'data' },
  'bundles.verify': { ...incoming, valid: 'data', problems: 'data', pin: 'data', warnings: 'text' },
  'imports.run': { ...incoming, warnings: 'text', pinned: 'data', events: 'data', tree_size: 'data', root: 'data', complete: 'data', problems: 'data' },
  'imports.pin': { workspace_name: 'data', key_id: 'data', fingerprint: 'data', confirmed_by: 'person', file_sha256: 'data', warnings: 'text' },
  'imports.pins.revoke': { workspace_name: 'data', key_id: 'data', fingerprint: 'data', pinned_at: 'data', pinned_by: 'person', reason: 'text' },
  'imports.review': { note: 'text', source_workspace_id: 'data', file_sha256: 'data' },
  'imports.report': {
    file_name: 'data',
    sha256: 'data',
    bytes: 'data',
    bundle_sha256: 'data',
    source_workspace_id: 'data',
    valid: 'data',
    status: 'data',
    findings: 'data',
  },
  // A legal hold's activation snapshot: the bundle request made for it (bundle/hold-snapshot.ts).
  'bundles.holdSnapshot': { case: 'data', request: 'data', status: 'data' },
  'imports.findings.add': { finding_id: 'data', severity: 'data', title: 'text', seq: 'data', source_workspace_id: 'data', file_sha256: 'data' },
});
