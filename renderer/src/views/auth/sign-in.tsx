import { useRef, useState, type FormEvent } from 'react';
import { Alert } from '../../components/alert.js';
import { Icon } from '../../components/icons.js';
import { TextField } from '../../components/field.js';
import { useAppStore } from '../../store/index.js';
import type { LockReason } from '../../store/session-slice.js';
import { AuthLayout } from './auth-layout.js';
import { RecoverAccess } from './recover-access.js';

function lockSentence(reason: LockReason | null, idleMinutes: number): string | null {
  switch (reason) {
    case 'idle':
      return `Custos locked the workspace after ${idleMinutes} minutes without activity. Sign in to continue.`;
    case 'manual':
      return 'Locked. A signed checkpoint now covers everything done so far.';
    case 'closed':
      return 'The workspace was locked. Sign in to continue.';
    case 'session-ended':
      return 'Your session has ended. Sign in again to continue.';
    default:
      return null;
  }
}

/** The locked state: sign in with username and passphrase (or recover access with the recovery key). */
export function SignIn() {
  const workspace = useAppStore((s) => s.workspace);
  const lockReason = useAppStore((s) => s.lockReason);
  const justCreated = useAppStore((s) => s.justCreated);
  const lastUsername = useAppStore((s) => s.lastUsername);
  const signIn = useAppStore((s) => s.signIn);
  const [mode, setMode] = useState<'sign-in' | 'recover'>('sign-in');
  // Only the person who just created the workspace finds their name filled in. After a lock the
  // field starts empty (a colleague's failed attempts must not land on the previous user's account),
  // with one button to sign in again as that user.
  const [username, setUsername] = useState(justCreated ? lastUsername : '');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [recovered, setRecovered] = useState(false);
  // The passphrase was right and the account has a second factor: ask for its code.
  const [needsCode, setNeedsCode] = useState(false);
  const passphraseRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !passphrase) {
      setError({ code: 'validation', message: 'Enter your username and passphrase.' });
      return;
    }
    setBusy(true);
    setError(null);
    const err = await signIn(username.trim(), passphrase);
    setBusy(false);
    if (err?.code === 'mfa_required') {
      setNeedsCode(true);
      return;
    }
    if (err) {
      setError(err);
      setPassphrase('');
      // Ready for the next attempt; the alert is announced on its own.
      passphraseRef.current?.focus();
    }
  }

  if (needsCode) {
    return (
      <SecondFactorStep
        username={username.trim()}
        onSubmit={(otp) => signIn(username.trim(), passphrase, otp)}
        onBack={(err) => {
          setNeedsCode(false);
          setPassphrase('');
          setError(err);
        }}
      />
    );
  }

  if (mode === 'recover') {
    return (
      <RecoverAccess
        initialUsername={username}
        onDone={(u) => {
          setUsername(u);
          setRecovered(true);
          setError(null);
          setMode('sign-in');
        }}
        onCancel={() => setMode('sign-in')}
      />
    );
  }

  const notice = justCreated
    ? 'Your workspace is ready. Sign in with the passphrase you just chose.'
    : recovered
      ? 'Your passphrase was replaced. Sign in with the new one.'
      : lockSentence(lockReason, workspace?.idleLockMinutes ?? 15);

  return (
    <AuthLayout>
      <div className="auth__intro auth__intro--center">
        <div className="auth__lock" aria-hidden="true">
          <Icon name="lock" size={22} />
        </div>
        <h1 className="auth__title">{workspace?.name ?? 'Custos workspace'}</h1>
        <p className="muted">This workspace is locked. Sign in to unlock it.</p>
      </div>
      {notice && !error && <Alert kind={justCreated || recovered ? 'ok' : 'info'}>{notice}</Alert>}
      {error && (
        <Alert kind="error" id="sign-in-error">
          {error.message}
        </Alert>
      )}
      {!justCreated && lastUsername && username.trim() !== lastUsername && (
        <button
          type="button"
          className="btn btn--block auth__again"
          onClick={() => {
            setUsername(lastUsername);
            passphraseRef.current?.focus();
          }}
        >
          <Icon name="user" size={15} />
          <span>
            Continue as <strong>{lastUsername}</strong>
          </span>
        </button>
      )}
      <form className="auth__form" onSubmit={submit} noValidate aria-label="Sign in">
        <TextField
          label="Username"
          value={username}
          onChange={setUsername}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus={!username}
        />
        <TextField
          label="Passphrase"
          type="password"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="current-password"
          autoFocus={!!username}
          inputRef={passphraseRef}
          aria-errormessage={error ? 'sign-in-error' : undefined}
        />
        <button type="submit" className="btn btn--primary btn--lg btn--block" disabled={busy}>
          {busy ? 'Unlocking…' : 'Sign in'}
        </button>
      </form>
      <button type="button" className="auth__link" onClick={() => setMode('recover')}>
        Forgot your passphrase? Use the recovery key
      </button>
    </AuthLayout>
  );
}

/**
 * The second half of a sign-in with a second factor: the code the authenticator app shows, or a
 * backup code. A wrong code counts towards the lockout; once locked, the sign-in starts over.
 */
function SecondFactorStep({
  username,
  onSubmit,
  onBack,
}: {
  username: string;
  onSubmit: (otp: string) => Promise<{ code: string; message: string } | null>;
  onBack: (error: { code: string; message: string } | null) => void;
}) {
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (otp.trim().length < 6) {
      setError('Enter the 6-digit code from your authenticator app, or a backup code.');
      return;
    }
    setBusy(true);
    setError(null);
    const err = await onSubmit(otp.trim());
    setBusy(false);
    if (!err) return;
    if (err.code === 'rate_limited') return onBack(err);
    setError(err.message);
    setOtp('');
    codeRef.current?.focus();
  }

  return (
    <AuthLayout>
      <div className="auth__intro auth__intro--center">
        <div className="auth__lock" aria-hidden="true">
          <Icon name="shieldCheck" size={22} />
        </div>
        <h1 className="auth__title">Two-step verification</h1>
        <p className="muted">
          Open your authenticator app and enter the code it shows for <span className="mono">{username}</span>.
        </p>
      </div>
      {error && (
        <Alert kind="error" id="code-error">
          {error}
        </Alert>
      )}
      <form className="auth__form" onSubmit={submit} noValidate aria-label="Verification code">
        <TextField
          label="Code"
          value={otp}
          onChange={setOtp}
          autoComplete="one-time-code"
          inputMode="text"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          inputRef={codeRef}
          className="input input--code"
          maxLength={32}
          hint="6 digits from the app, or one of your backup codes (each works once)."
          aria-errormessage={error ? 'code-error' : undefined}
        />
        <button type="submit" className="btn btn--primary btn--lg btn--block" disabled={busy}>
          {busy ? 'Checking…' : 'Verify and sign in'}
        </button>
      </form>
      <button type="button" className="auth__link" onClick={() => onBack(null)}>
        Back to sign-in
      </button>
    </AuthLayout>
  );
}
