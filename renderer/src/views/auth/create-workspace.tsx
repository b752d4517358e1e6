import { useState, type FormEvent } from 'react';
import { Alert } from '../../components/alert.js';
import { Field, TextField } from '../../components/field.js';
import { StrengthMeter } from '../../components/strength-meter.js';
import { useAppStore } from '../../store/index.js';
import { AuthLayout } from './auth-layout.js';
import { RecoveryKey } from './recovery-key.js';
import { confirmProblem, passphraseProblem, requiredProblem, usernameProblem } from './validation.js';

interface Form {
  workspaceName: string;
  username: string;
  displayName: string;
  passphrase: string;
  confirm: string;
}

/** First run: name the workspace and create its first administrator; then show the recovery key once. */
export function CreateWorkspace() {
  const createWorkspace = useAppStore((s) => s.createWorkspace);
  const [form, setForm] = useState<Form>({ workspaceName: '', username: 'admin', displayName: '', passphrase: '', confirm: '' });
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  // The recovery key lives only in this component's memory and disappears once acknowledged.
  const [created, setCreated] = useState<{ recoveryKey: string; username: string } | null>(null);

  const problems = {
    workspaceName: requiredProblem(form.workspaceName, 'a name for the workspace'),
    username: usernameProblem(form.username),
    displayName: requiredProblem(form.displayName, 'your name as others will see it'),
    passphrase: passphraseProblem(form.passphrase),
    confirm: confirmProblem(form.passphrase, form.confirm),
  };
  const show = (k: keyof Form) => (touched ? problems[k] : null);
  const set = (k: keyof Form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (Object.values(problems).some(Boolean)) return;
    setBusy(true);
    setServerError(null);
    const r = await createWorkspace({
      workspaceName: form.workspaceName.trim(),
      username: form.username.trim(),
      displayName: form.displayName.trim(),
      passphrase: form.passphrase,
    });
    setBusy(false);
    if (!r.ok) {
      setServerError(r.error.message);
      return;
    }
    setForm((f) => ({ ...f, passphrase: '', confirm: '' }));
    setCreated({ recoveryKey: r.value.recoveryKey, username: form.username.trim() });
  }

  if (created) return <RecoveryKey recoveryKey={created.recoveryKey} username={created.username} />;

  return (
    <AuthLayout wide>
      <div className="auth__intro">
        <h1 className="auth__title">Create your workspace</h1>
        <p className="muted">
          A workspace is an encrypted folder on this computer. It holds your cases, evidence and the ledger of everything done in
          it. You become its first administrator.
        </p>
      </div>
      {serverError && <Alert kind="error">{serverError}</Alert>}
      <form className="auth__form" onSubmit={submit} noValidate aria-label="Create workspace">
        <TextField
          label="Workspace name"
          value={form.workspaceName}
          onChange={set('workspaceName')}
          error={show('workspaceName')}
          placeholder="e.g. Northfield School District — Records"
          autoFocus
          autoComplete="organization"
        />
        <div className="auth__row">
          <TextField
            label="Your name"
            value={form.displayName}
            onChange={set('displayName')}
            error={show('displayName')}
            placeholder="Alex Morgan"
            autoComplete="name"
          />
          <TextField
            label="Username"
            value={form.username}
            onChange={set('username')}
            error={show('username')}
            autoComplete="username"
            spellCheck={false}
            autoCapitalize="none"
          />
        </div>
        <Field label="Passphrase" error={show('passphrase')} hint={<StrengthMeter value={form.passphrase} />}>
          {(p) => (
            <input
              {...p}
              className="input"
              type="password"
              autoComplete="new-password"
              value={form.passphrase}
              onChange={(e) => set('passphrase')(e.target.value)}
            />
          )}
        </Field>
        <TextField
          label="Confirm passphrase"
          type="password"
          autoComplete="new-password"
          value={form.confirm}
          onChange={set('confirm')}
          error={show('confirm')}
        />
        <p className="field__hint">
          Custos never stores your passphrase. It unlocks the workspace key; if you forget it, only the recovery key shown on the
          next screen can get you back in.
        </p>
        <button type="submit" className="btn btn--primary btn--lg btn--block" disabled={busy}>
          {busy ? 'Creating the encrypted workspace…' : 'Create workspace'}
        </button>
      </form>
    </AuthLayout>
  );
}
