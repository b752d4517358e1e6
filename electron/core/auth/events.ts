import { eventShapes } from '../ledger/details-shape.js';

/** Details of the workspace, session and user events (see ledger/details-shape.ts). */
export const AUTH_EVENTS = eventShapes({
  'workspace.init': { workspace_name: 'data', admin: 'person' },
  'workspace.unlock': { checkpoint_size: 'data' },
  'workspace.lock': { reason: 'data' },
  'workspace.dbKey': { purpose: 'data' },
  'session.login': { role: 'data' },
  'session.logout': {},
  'session.recover': { method: 'data' },
  'users.create': { role: 'data', display_name: 'person' },
  // `changes` holds {field: {from, to}}, display names among them: masked whole.
  'users.update': { changes: 'person' },
  'users.changePassphrase': {},
});
