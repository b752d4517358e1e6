import { useCallback, useEffect, useState } from 'react';
import type { MfaStatus, RolePolicy, SessionInfo } from '../../../../shared/contract/mfa.js';
import { ROLE_LABELS } from '../../../../shared/roles.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Badge } from '../../components/badge.js';
import { ActionDialog } from '../../components/dialog.js';
import { Select, TextField } from '../../components/field.js';
import { formatDateTime, formatRelative, plural } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListActions } from '../../store/use-list.js';
import { MfaEnrolment } from './mfa-enrolment.js';
import './security.css';
import { CardHeader } from '../../components/card-header.js';

const STATE_BADGE: Record<MfaStatus['state'], { tone: 'ok' | 'warn' | 'neutral'; label: string }> = {
  on: { tone: 'ok', label: 'On' },
  pending: { tone: 'warn', label: 'Not confirmed' },
  off: { tone: 'neutral', label: 'Off' },
};

/** Security: your own second factor; for administrators, who must have one and who is signed in. */
export function SecuritySettings() {
  const admin = useCan('mfa.policy');
  return (
    <div className="settings__stack">
      <SecondFactorCard />
      {admin && <PolicyCard />}
      {admin && <ResetCard />}
      {admin && <SessionsCard />}
    </div>
  );
}

function SecondFactorCard() {
  const user = useAppStore((s) => s.user);
  const notify = useAppStore((s) => s.notify);
  const [status, setStatus] = useState<MfaStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const [disabling, setDisabling] = useState(false);
  const [otp, setOtp] = useState('');

  const load = useCallback(async () => {
    const r = await client.call('mfa.status', {});
    if (r.ok) setStatus(r.value);
    else setError(r.error.message);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const badge = status ? STATE_BADGE[status.state] : null;
  return (
    <section className="card" aria-labelledby="mfa-title">
      <CardHeader id="mfa-title" title="Second factor" subtitle="A code from an authenticator app at every sign-in, on top of your passphrase.">
        {badge && <Badge tone={badge.tone}>{badge.label}</Badge>}
      </CardHeader>
      <div className="card__body mfa-body">
        {error && <Alert kind="error">{error}</Alert>}
        {status && (
          <>
            {status.required && status.state !== 'on' && (
              <Alert kind="warn">
                Your role ({ROLE_LABELS[user?.role ?? 'viewer'].toLowerCase()}) requires a second factor
                {status.graceEndsAt ? `; set it up before ${formatDateTime(status.graceEndsAt)}, after which you can only set it up.` : '.'}
              </Alert>
            )}
            {status.state === 'on' && !enrolling && (
              <>
                <dl className="kv">
                  <dt>Turned on</dt>
                  <dd>{status.confirmedAt ? formatDateTime(status.confirmedAt) : '—'}</dd>
                  <dt>Backup codes left</dt>
                  <dd>
                    {status.backupCodesLeft} of 10
                    {status.backupCodesLeft <= 2 && (
                      <span className="muted">
                        {status.required
                          ? ' · running low: ask an administrator to reset your second factor, then set it up again for new ones'
                          : ' · running low: turn the second factor off and on again for new ones'}
                      </span>
                    )}
                  </dd>
                </dl>
                {status.required ? (
                  <p className="muted" data-testid="mfa-required-note">
                    Your role requires a second factor, so it stays on. For a new phone, ask an administrator to reset it; you set it up again at your next sign-in.
                  </p>
                ) : (
                  <div className="mfa-actions">
                    <button type="button" className="btn" onClick={() => setDisabling(true)}>
                      Turn off…
                    </button>
                  </div>
                )}
              </>
            )}
            {status.state !== 'on' &&
              (enrolling ? (
                <MfaEnrolment
                  account={user?.username ?? ''}
                  onCancel={() => setEnrolling(false)}
                  onDone={(s) => {
                    setStatus(s);
                    setEnrolling(false);
                    notify('success', 'Your second factor is on. Every sign-in now asks for a code.');
                  }}
                />
              ) : (
                <div className="mfa-actions">
                  <button type="button" className="btn btn--primary" onClick={() => setEnrolling(true)}>
                    {status.state === 'pending' ? 'Finish setting up' : 'Set up second factor'}
                  </button>
                </div>
              ))}
          </>
        )}
      </div>
      <ActionDialog
        open={disabling}
        title="Turn off the second factor"
        submitLabel="Turn off"
        danger
        onClose={() => {
          setDisabling(false);
          setOtp('');
        }}
        run={async () => {
          const r = await client.call('mfa.disable', { otp: otp.trim() });
          setOtp('');
          if (!r.ok) return r.error;
          setStatus(r.value);
          notify('success', 'Your second factor is off. Sign-in asks only for your passphrase now.');
          return null;
        }}
      >
        <p>
          Signing in will ask only for your passphrase. Your backup codes stop working.
          {status?.required && ' Your role requires a second factor: set it up again soon.'} Wrong codes count towards the sign-in lockout.
        </p>
        <TextField label="Current code or a backup code" value={otp} onChange={setOtp} autoComplete="one-time-code" maxLength={32} autoFocus />
      </ActionDialog>
    </section>
  );
}

function PolicyCard() {
  const notify = useAppStore((s) => s.notify);
  const [policy, setPolicy] = useState<{ roles: RolePolicy[]; graceDays: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    void client.call('mfa.policy', {}).then((r) => (r.ok ? setPolicy(r.value) : setError(r.error.message)));
  }, []);

  async function toggle(p: RolePolicy) {
    setBusy(p.role);
    setError(null);
    const r = await client.call('mfa.setPolicy', { role: p.role, required: !p.required });
    setBusy(null);
    if (!r.ok) return setError(r.error.message);
    setPolicy(r.value);
    notify('success', `${ROLE_LABELS[p.role]}s ${p.required ? 'no longer need' : 'now need'} a second factor.`);
  }

  return (
    <section className="card" aria-labelledby="mfa-policy-title">
      <CardHeader id="mfa-policy-title" title="Who must use a second factor" subtitle={policy ? `A user of a required role without one may work for ${plural(policy.graceDays, 'day')} from their first sign-in, then only set it up.` : 'Loading…'} />
      {error && (
        <div className="card__body">
          <Alert kind="error">{error}</Alert>
        </div>
      )}
      {policy && (
        <table className="table">
          <caption className="visually-hidden">Second-factor requirement per role</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Required</th>
              <th scope="col">Enrolled</th>
              <th scope="col">Last changed</th>
            </tr>
          </thead>
          <tbody>
            {policy.roles.map((p) => (
              <tr key={p.role}>
                <td className="mfa-role">{ROLE_LABELS[p.role]}</td>
                <td>
                  <label className="switch">
                    <input type="checkbox" checked={p.required} disabled={busy === p.role} onChange={() => void toggle(p)} />
                    <span>{p.required ? 'Required' : 'Optional'}</span>
                    <span className="visually-hidden"> for {ROLE_LABELS[p.role]}</span>
                  </label>
                </td>
                <td>
                  {p.users === 0 ? (
                    <span className="muted">No users</span>
                  ) : (
                    <>
                      {p.enrolled} of {p.users}
                      {p.required && p.enrolled < p.users && (
                        <>
                          {' '}
                          <Badge tone="warn">{p.users - p.enrolled} without</Badge>
                        </>
                      )}
                    </>
                  )}
                </td>
                <td className="muted">{p.changedAt ? `${formatRelative(p.changedAt)} by ${p.changedBy}` : 'Default'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** An administrator removes someone's second factor (a lost phone); they set it up again at their next sign-in. */
function ResetCard() {
  const users = useAppStore((s) => s.userList.items);
  const me = useAppStore((s) => s.user?.username);
  const notify = useAppStore((s) => s.notify);
  const { load } = useListActions('userList');
  const [username, setUsername] = useState('');
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);
  const others = (users ?? []).filter((u) => !u.disabled && u.username !== me);
  const chosen = others.find((u) => u.username === username) ?? others[0];

  return (
    <section className="card" aria-labelledby="mfa-reset-title">
      <CardHeader id="mfa-reset-title" title="Reset someone’s second factor" subtitle="For a lost or replaced phone. Their codes and backup codes stop working; the ledger records the reset." />
      <div className="card__body">
        {others.length === 0 ? (
          <p className="muted">There are no other active users.</p>
        ) : (
          <div className="mfa-reset">
            <Select label="User" value={chosen?.username ?? ''} onChange={setUsername} options={others.map((u) => [u.username, `${u.displayName} (${u.username})`])} />
            <button type="button" className="btn" onClick={() => setConfirming(true)}>
              Reset…
            </button>
          </div>
        )}
      </div>
      <ActionDialog
        open={confirming}
        title="Reset second factor"
        submitLabel="Reset"
        danger
        onClose={() => setConfirming(false)}
        run={async () => {
          if (!chosen) return null;
          const r = await client.call('mfa.reset', { username: chosen.username });
          if (!r.ok) return r.error;
          notify('success', `${chosen.displayName}’s second factor was removed.`);
          return null;
        }}
      >
        {chosen && (
          <p>
            {chosen.displayName} signs in with their passphrase alone until they set up a second factor again. If their role requires one and their time to
            set it up has passed, their next sign-in lets them do only that.
          </p>
        )}
      </ActionDialog>
    </section>
  );
}

function SessionsCard() {
  const notify = useAppStore((s) => s.notify);
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<SessionInfo | null>(null);

  const load = useCallback(async () => {
    const r = await client.call('sessions.list', { sort: 'last_seen_at', dir: 'desc', limit: 500 });
    if (r.ok) setSessions(r.value.items);
    else setError(r.error.message);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="card" aria-labelledby="sessions-title">
      <CardHeader id="sessions-title" title="Active sessions" subtitle={sessions ? `${sessions.length} signed in. Ending a session signs that person out at their next action.` : 'Loading…'}>
        <button type="button" className="btn btn--sm" onClick={() => void load()}>
          Refresh
        </button>
      </CardHeader>
      {error && (
        <div className="card__body">
          <Alert kind="error">{error}</Alert>
        </div>
      )}
      {sessions && (
        <table className="table">
          <caption className="visually-hidden">Active sessions</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Where</th>
              <th scope="col">Started</th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  <div className="user-cell">
                    <span className="user-cell__name">{s.displayName}</span>
                    <span className="user-cell__username mono">
                      {s.username} · {ROLE_LABELS[s.role]}
                    </span>
                  </div>
                </td>
                <td>{s.host}</td>
                <td title={formatDateTime(s.startedAt)}>{formatRelative(s.startedAt)}</td>
                <td title={formatDateTime(s.lastSeenAt)}>{formatRelative(s.lastSeenAt)}</td>
                <td className="table__actions">
                  {s.current ? (
                    <Badge tone="accent">This session</Badge>
                  ) : (
                    <button type="button" className="btn btn--sm" onClick={() => setRevoking(s)} aria-label={`End the session of ${s.displayName} (${s.host})`}>
                      End session
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActionDialog
        open={revoking !== null}
        title="End this session"
        submitLabel="End session"
        danger
        onClose={() => setRevoking(null)}
        run={async () => {
          if (!revoking) return null;
          const r = await client.call('sessions.revoke', { id: revoking.id });
          if (!r.ok) return r.error;
          notify('success', `The session of ${revoking.displayName} was ended.`);
          await load();
          return null;
        }}
      >
        {revoking && (
          <p>
            {revoking.displayName} ({revoking.host}, signed in {formatDateTime(revoking.startedAt)}) is signed out at once; anything they were running is
            cancelled. The ledger records that you ended it.
          </p>
        )}
      </ActionDialog>
    </section>
  );
}
