import { useState, type FormEvent } from 'react';
import { ROLE_LABELS } from '../../../../shared/roles.js';
import { Alert } from '../../components/alert.js';
import { Field, TextField } from '../../components/field.js';
import { StrengthMeter } from '../../components/strength-meter.js';
import { formatDateTime } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { confirmProblem, passphraseProblem } from '../auth/validation.js';
import { CardHeader } from '../../components/card-header.js';

/** Who you are, and changing your own passphrase (rewrites only your keyslot). */
export function PassphraseSettings() {
  const user = useAppStore((s) => s.user);
  const changePassphrase = useAppStore((s) => s.changePassphrase);
  const notify = useAppStore((s) => s.notify);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = {
    current: current ? null : 'Enter your current passphrase.',
    next: passphraseProblem(next) ?? (next && next === current ? 'Choose a passphrase different from the current one.' : null),
    confirm: confirmProblem(next, confirm),
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (Object.values(problems).some(Boolean)) return;
    setBusy(true);
    setError(null);
    const err = await changePassphrase(current, next);
    setBusy(false);
    if (err) {
      setError(err.message);
      return;
    }
    setCurrent('');
    setNext('');
    setConfirm('');
    setTouched(false);
    notify('success', 'Your passphrase was changed. Use the new one next time you sign in.');
  }

  return (
    <div className="settings__stack">
      <section className="card" aria-labelledby="account-title">
        <CardHeader id="account-title" title="Your account" />
        <div className="card__body">
          {user && (
            <dl className="kv">
              <dt>Name</dt>
              <dd>{user.displayName}</dd>
              <dt>Username</dt>
              <dd className="mono">{user.username}</dd>
              <dt>Role</dt>
              <dd>{ROLE_LABELS[user.role]}</dd>
              <dt>Last sign-in</dt>
              <dd>{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : '—'}</dd>
            </dl>
          )}
        </div>
      </section>
      <section className="card" aria-labelledby="passphrase-title">
        <CardHeader id="passphrase-title" title="Change passphrase" subtitle="Re-wraps the workspace key under your new passphrase. Other users are not affected." />
        <form className="card__body form-grid" onSubmit={submit} noValidate aria-label="Change passphrase">
          {error && <Alert kind="error">{error}</Alert>}
          <TextField
            label="Current passphrase"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={setCurrent}
            error={touched ? problems.current : null}
          />
          <Field label="New passphrase" error={touched ? problems.next : null} hint={<StrengthMeter value={next} />}>
            {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />}
          </Field>
          <TextField
            label="Confirm new passphrase"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={setConfirm}
            error={touched ? problems.confirm : null}
          />
          <div>
            <button type="submit" className="btn btn--primary" disabled={busy}>
              {busy ? 'Changing…' : 'Change passphrase'}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
