import { useState } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../../../shared/roles.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { useFormErrors } from '../../components/form-errors.js';
import { Field, TextField } from '../../components/field.js';
import { StrengthMeter } from '../../components/strength-meter.js';
import { useAppStore } from '../../store/index.js';
import { confirmProblem, passphraseProblem, requiredProblem, usernameProblem } from '../auth/validation.js';

const EMPTY = { username: '', displayName: '', role: 'viewer' as Role, passphrase: '', confirm: '' };

/** Adds a user with a role and an initial passphrase (the core gives them a keyslot). */
export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const createUser = useAppStore((s) => s.createUser);
  const notify = useAppStore((s) => s.notify);
  const [form, setForm] = useState(EMPTY);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldErrors = useFormErrors();
  const problems = {
    displayName: requiredProblem(form.displayName, 'the person’s name'),
    username: usernameProblem(form.username),
    passphrase: passphraseProblem(form.passphrase),
    confirm: confirmProblem(form.passphrase, form.confirm),
  };
  const set = (k: keyof typeof EMPTY) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  function close() {
    setForm(EMPTY);
    setTouched(false);
    setError(null);
    onClose();
  }

  async function submit() {
    setTouched(true);
    if (Object.values(problems).some(Boolean)) return;
    setBusy(true);
    setError(null);
    const err = await createUser({ username: form.username.trim(), displayName: form.displayName.trim(), role: form.role, passphrase: form.passphrase });
    setBusy(false);
    if (err) {
      setError(fieldErrors.route(err));
      return;
    }
    notify('success', `${form.displayName.trim()} can now sign in as ${form.username.trim()}.`);
    close();
  }

  return (
    <Dialog
      form={fieldErrors}
      open={open}
      title="Add a user"
      onClose={close}
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add user'}
          </button>
        </>
      }
    >
      {error && <Alert kind="error">{error}</Alert>}
      <div className="form-row">
        <TextField label="Name" value={form.displayName} onChange={set('displayName')} error={touched ? problems.displayName : null} autoFocus autoComplete="off" />
        <TextField label="Username" value={form.username} onChange={set('username')} error={touched ? problems.username : null} autoComplete="off" spellCheck={false} />
      </div>
      <Field label="Role" hint="Roles decide what a person may see and do; the core enforces them on every request.">
        {(p) => (
          <select {...p} className="select" value={form.role} onChange={(e) => set('role')(e.target.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Initial passphrase" error={touched ? problems.passphrase : null} hint={<StrengthMeter value={form.passphrase} />}>
        {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={form.passphrase} onChange={(e) => set('passphrase')(e.target.value)} />}
      </Field>
      <TextField label="Confirm passphrase" type="password" autoComplete="new-password" value={form.confirm} onChange={set('confirm')} error={touched ? problems.confirm : null} />
      <p className="field__hint">Give the passphrase to the person in a safe way; they can change it under Settings → Your account.</p>
    </Dialog>
  );
}
