import { useState, type FormEvent } from 'react';
import { Alert } from '../../components/alert.js';
import { Field, TextField } from '../../components/field.js';
import { StrengthMeter } from '../../components/strength-meter.js';
import { useAppStore } from '../../store/index.js';
import { AuthLayout } from './auth-layout.js';
import { confirmProblem, passphraseProblem, requiredProblem, usernameProblem } from './validation.js';

/** Replace a user's passphrase with the workspace recovery key (ledgered by the core). */
export function RecoverAccess({ initialUsername, onDone, onCancel }: { initialUsername: string; onDone: (username: string) => void; onCancel: () => void }) {
  const recover = useAppStore((s) => s.recover);
  const [recoveryKey, setRecoveryKey] = useState('');
  const [username, setUsername] = useState(initialUsername);
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = {
    key: requiredProblem(recoveryKey, 'the recovery key'),
    username: usernameProblem(username),
    next: passphraseProblem(next),
    confirm: confirmProblem(next, confirm),
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (Object.values(problems).some(Boolean)) return;
    setBusy(true);
    setError(null);
    const err = await recover({ recoveryKey: recoveryKey.trim(), username: username.trim(), newPassphrase: next });
    setBusy(false);
    if (err) setError(err.message);
    else onDone(username.trim());
  }

  return (
    <AuthLayout>
      <div className="auth__intro">
        <h1 className="auth__title">Recover access</h1>
        <p className="muted">Enter the workspace recovery key to set a new passphrase for an account. This is recorded in the ledger.</p>
      </div>
      {error && <Alert kind="error">{error}</Alert>}
      <form className="auth__form" onSubmit={submit} noValidate aria-label="Recover access">
        <TextField
          label="Recovery key"
          value={recoveryKey}
          onChange={setRecoveryKey}
          error={touched ? problems.key : null}
          className="input input--mono"
          autoComplete="off"
          spellCheck={false}
          autoFocus
        />
        <TextField label="Username" value={username} onChange={setUsername} error={touched ? problems.username : null} autoComplete="username" />
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
        <div className="auth__actions">
          <button type="button" className="btn btn--lg" onClick={onCancel}>
            Back to sign in
          </button>
          <button type="submit" className="btn btn--primary btn--lg" disabled={busy}>
            {busy ? 'Replacing…' : 'Set new passphrase'}
          </button>
        </div>
      </form>
    </AuthLayout>
  );
}
