import { eventShapes } from '../ledger/details-shape.js';

/** Details of the workspace, session and user events (see ledger/details-shape.ts). */
export const AUTH_EVENTS = eventShapes({
  'workspace.init': { workspace_name: 'data', admin: 'person' },
  // stale_lock: the process that died holding custos.lock (pid, host, command, since).
  'workspace.unlock': { checkpoint_size: 'data', stale_lock: 'data' },
  // user: the disabled user whose keyslot left with the old key.
  'workspace.rekey': { reason: 'data', generation: 'data', previous: 'data', slots_kept: 'data', slots_removed: 'data', new_recovery_key: 'data', user: 'person' },
  'workspace.lock': { reason: 'data' },
  'workspace.dbKey': { purpose: 'data' },
  'workspace.setTimeZone': { from: 'data', to: 'data' },
  // second_factor: totp, backup-code, or enrolment-required (a session that may only enrol).
  // session: the session's public id (as sessions.list and sessions.revoke name it); host: where it was opened.
  'session.login': { role: 'data', second_factor: 'data', session: 'data', host: 'data' },
  // requested: lock (a non-administrator's lock ends only their session) or idle (the session's own idle limit).
  'session.logout': { requested: 'data', others_signed_in: 'data', idle_minutes: 'data', session: 'data', host: 'data' },
  'session.recover': { method: 'data' },
  'users.create': { role: 'data', display_name: 'person' },
  // `changes` holds {field: {from, to}}, display names among them: masked whole.
  'users.update': { changes: 'person', new_keyslot: 'data' },
  'users.changePassphrase': {},
  // A running job cut short by the idle lock, a lock, a sign-out or a caller that went away.
  'jobs.cancelled': { reason: 'data', channel: 'data', owner: 'person' },
});
