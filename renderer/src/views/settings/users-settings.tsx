import { useEffect, useState } from 'react';
import type { User } from '../../../../shared/contract/core.js';
import { ROLE_LABELS, ROLES, type Role } from '../../../../shared/roles.js';
import { Alert } from '../../components/alert.js';
import { Badge } from '../../components/badge.js';
import { Dialog } from '../../components/dialog.js';
import { useFormErrors } from '../../components/form-errors.js';
import { TextField } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { formatRelative } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { useListActions } from '../../store/use-list.js';
import { passphraseProblem } from '../auth/validation.js';
import { CreateUserDialog } from './create-user-dialog.js';
import { CardHeader } from '../../components/card-header.js';

type Pending = { kind: 'role'; user: User; role: Role } | { kind: 'disable' | 'enable'; user: User };

const ROLE_NOTES: Record<Role, string> = {
  admin: 'Everything, including users and the database key.',
  compliance_officer: 'Works cases, holds, disclosures and exports.',
  legal_counsel: 'Works cases, subpoenas and productions.',
  auditor: 'Reads, verifies and imports; never edits.',
  viewer: 'Reads cases; no ledger, no changes.',
};

/** Administrators: who may open this workspace, with which role. Changes ask first and are ledgered. */
export function UsersSettings() {
  const users = useAppStore((s) => s.userList.items);
  const usersError = useAppStore((s) => s.userList.error);
  const me = useAppStore((s) => s.user?.username);
  const { load: loadUsers } = useListActions('userList');
  const updateUser = useAppStore((s) => s.updateUser);
  const notify = useAppStore((s) => s.notify);
  const newRecoveryKey = useAppStore((s) => s.newRecoveryKey);
  const dismissRecoveryKey = useAppStore((s) => s.dismissRecoveryKey);
  const [creating, setCreating] = useState(false);
  // Enabling gives the user a new passphrase: their keyslot was deleted when they were disabled.
  const [passphrase, setPassphrase] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  useEffect(() => {
    void loadUsers();
  }, [loadUsers]);

  async function confirm() {
    if (!pending) return;
    if (pending.kind === 'enable') {
      const problem = passphraseProblem(passphrase);
      if (problem) {
        setError(form.route({ code: 'validation', message: problem, details: { field: 'passphrase' } }));
        return;
      }
    }
    setBusy(true);
    setError(null);
    const { user } = pending;
    const err =
      pending.kind === 'role'
        ? await updateUser({ username: user.username, role: pending.role })
        : pending.kind === 'enable'
          ? await updateUser({ username: user.username, disabled: false, passphrase })
          : await updateUser({ username: user.username, disabled: true });
    setBusy(false);
    if (err) {
      setError(form.route(err));
      return;
    }
    notify(
      'success',
      pending.kind === 'role'
        ? `${user.displayName} is now ${ROLE_LABELS[pending.role].toLowerCase()}.`
        : `${user.displayName} was ${pending.kind === 'disable' ? 'disabled' : 'enabled'}.`,
    );
    // Only this change is over: a change chosen while it was saving (the list already shows the new
    // role before the call returns) keeps its own confirmation open.
    const done = pending;
    setPending((p) => (p === done ? null : p));
    setPassphrase('');
  }

  const active = users?.filter((u) => !u.disabled).length ?? 0;

  return (
    <section className="card" aria-labelledby="users-title">
      <CardHeader id="users-title" title="Users" subtitle={users ? `${users.length} ${users.length === 1 ? 'person' : 'people'} · ${active} active` : 'Loading…'}>
        <button type="button" className="btn btn--primary btn--sm" onClick={() => setCreating(true)}>
          <Icon name="plus" size={14} />
          Add user
        </button>
      </CardHeader>
      {usersError && (
        <div className="card__body">
          <Alert kind="error">{usersError}</Alert>
        </div>
      )}
      {newRecoveryKey && (
        <div className="card__body">
          <Alert kind="warn">
            The database got a new key and the old recovery key could not follow it. New recovery key (shown once; store it offline):{' '}
            <span className="mono">{newRecoveryKey}</span>{' '}
            <button type="button" className="btn btn--sm" onClick={dismissRecoveryKey}>
              I stored it
            </button>
          </Alert>
        </div>
      )}
      {users && (
        <table className="table users-table">
          <caption className="visually-hidden">Users of this workspace</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const self = u.username === me;
              return (
                <tr key={u.username} className={u.disabled ? 'is-disabled' : undefined}>
                  <td>
                    <div className="user-cell">
                      <span className="user-cell__name">
                        {u.displayName}
                        {self && <span className="muted"> (you)</span>}
                      </span>
                      <span className="user-cell__username mono">{u.username}</span>
                    </div>
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={`role-${u.username}`}>
                      Role of {u.displayName}
                    </label>
                    <select
                      id={`role-${u.username}`}
                      className="select select--sm role-select"
                      value={u.role}
                      disabled={self}
                      title={self ? 'You cannot change your own role.' : ROLE_NOTES[u.role]}
                      onChange={(e) => setPending({ kind: 'role', user: u, role: e.target.value as Role })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{u.disabled ? <Badge tone="warn">Disabled</Badge> : <Badge tone="ok">Active</Badge>}</td>
                  <td className="muted">{u.lastLoginAt ? formatRelative(u.lastLoginAt) : 'Never'}</td>
                  <td className="cell-actions">
                    {!self &&
                      (u.disabled ? (
                        <button type="button" className="btn btn--sm" onClick={() => setPending({ kind: 'enable', user: u })}>
                          Enable
                        </button>
                      ) : (
                        <button type="button" className="btn btn--sm" onClick={() => setPending({ kind: 'disable', user: u })}>
                          Disable
                        </button>
                      ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <Dialog
        form={form}
        open={pending !== null}
        title={
          pending?.kind === 'role'
            ? `Change ${pending.user.displayName}’s role?`
            : pending?.kind === 'disable'
              ? `Disable ${pending.user.displayName}?`
              : `Enable ${pending?.user.displayName ?? ''}?`
        }
        onClose={() => {
          setPending(null);
          setError(null);
          setPassphrase('');
        }}
        onSubmit={() => void confirm()}
        footer={
          <>
            <button type="button" className="btn" onClick={() => setPending(null)}>
              Cancel
            </button>
            <button type="submit" className={pending?.kind === 'disable' ? 'btn btn--danger' : 'btn btn--primary'} disabled={busy}>
              {pending?.kind === 'role' ? 'Change role' : pending?.kind === 'disable' ? 'Disable user' : 'Enable user'}
            </button>
          </>
        }
      >
        {error && <Alert kind="error">{error}</Alert>}
        {pending?.kind === 'role' && (
          <p>
            {pending.user.displayName} changes from <strong>{ROLE_LABELS[pending.user.role]}</strong> to <strong>{ROLE_LABELS[pending.role]}</strong>: {ROLE_NOTES[pending.role]} The change applies to their next request and is recorded in the ledger.
          </p>
        )}
        {pending?.kind === 'disable' && (
          <p>
            {pending.user.displayName} will no longer be able to sign in: their keyslot is deleted and the database gets a new key, so their passphrase no longer opens it. Their history stays in the ledger, and an administrator can enable them again with a new passphrase.
          </p>
        )}
        {pending?.kind === 'enable' && (
          <>
            <p>
              {pending.user.displayName} will be able to sign in again with the role {ROLE_LABELS[pending.user.role]}, with the new passphrase you give them here (their old one was
              retired when they were disabled).
            </p>
            <TextField label="New passphrase" type="password" autoComplete="new-password" value={passphrase} onChange={setPassphrase} name="passphrase" />
          </>
        )}
      </Dialog>
    </section>
  );
}
