import { useId, useState } from 'react';
import { Alert } from '../../components/alert.js';
import { CopyButton } from '../../components/copy-button.js';
import { useAppStore } from '../../store/index.js';
import { AuthLayout } from './auth-layout.js';

/** The recovery key, shown exactly once. Continuing requires saying it was stored. */
export function RecoveryKey({ recoveryKey, username }: { recoveryKey: string; username: string }) {
  const finish = useAppStore((s) => s.finishCreation);
  const [stored, setStored] = useState(false);
  const keyId = useId();
  return (
    <AuthLayout wide>
      <div className="auth__intro">
        <h1 className="auth__title">Store your recovery key</h1>
        <p className="muted">
          The workspace is created and encrypted. This key opens it if every administrator passphrase is lost. Custos shows it
          only now and cannot show it again.
        </p>
      </div>
      <div className="recovery">
        <div className="recovery__label" id={keyId}>
          Recovery key
        </div>
        <output className="recovery__key" aria-labelledby={keyId} data-testid="recovery-key">
          {recoveryKey}
        </output>
        <div className="recovery__actions">
          <CopyButton text={recoveryKey} label="Copy recovery key" />
        </div>
      </div>
      <Alert kind="warn">
        Keep it offline — printed, or in a password manager — and apart from this computer. Anyone who has it can open the
        workspace.
      </Alert>
      <label className="checkbox">
        <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />
        <span>I have stored the recovery key somewhere safe.</span>
      </label>
      <button type="button" className="btn btn--primary btn--lg btn--block" disabled={!stored} onClick={() => finish(username)}>
        Continue to sign in
      </button>
    </AuthLayout>
  );
}
