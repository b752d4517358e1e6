import { useState, type FormEvent } from 'react';
import type { MfaStatus } from '../../../../shared/contract/mfa.js';
import type { ResponseOf } from '../../../../shared/contract.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { CopyButton } from '../../components/copy-button.js';
import { TextField } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { QrCode } from '../../components/qr-code.js';

type Enrolment = ResponseOf<'mfa.enroll'>;

/** The base32 secret in groups of four, as people type it into an app by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** Offers the backup codes as a text file (made in the page; nothing is written by the workspace). */
function downloadCodes(codes: string[], account: string): void {
  const text = `Custos backup codes for ${account}\nEach code works once, in place of a code from your authenticator app.\n\n${codes.join('\n')}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'custos-backup-codes.txt';
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Setting up a second factor: scan the QR code (or type the key), keep the backup codes, and
 * prove the app works with one code. The secret and the codes are shown here once.
 */
export function MfaEnrolment({ account, onDone, onCancel }: { account: string; onDone: (status: MfaStatus) => void; onCancel?: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    setError(null);
    const r = await client.call('mfa.enroll', {});
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setEnrolment(r.value);
  }

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (!/^\d{6}$/.test(otp.trim())) return setError('Enter the 6-digit code your authenticator app shows.');
    setBusy(true);
    setError(null);
    const r = await client.call('mfa.confirm', { otp: otp.trim() });
    setBusy(false);
    if (!r.ok) {
      setOtp('');
      return setError(r.error.message);
    }
    onDone(r.value);
  }

  if (!enrolment) {
    return (
      <div className="mfa-start">
        {error && <Alert kind="error">{error}</Alert>}
        <p>
          You will need an authenticator app on your phone (any app that supports time-based codes, RFC 6238). After this, signing in asks for your passphrase
          and the 6-digit code the app shows.
        </p>
        <div className="mfa-actions">
          <button type="button" className="btn btn--primary" onClick={() => void start()} disabled={busy}>
            <Icon name="shieldCheck" size={15} />
            {busy ? 'Preparing…' : 'Set up second factor'}
          </button>
          {onCancel && (
            <button type="button" className="btn" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      </div>
    );
  }

  return (
    <ol className="mfa-steps">
      <li className="mfa-step">
        <h3 className="mfa-step__title">Scan the code with your authenticator app</h3>
        <div className="mfa-scan">
          <QrCode text={enrolment.otpauthUri} label={`QR code for setting up ${account} in an authenticator app`} />
          <div className="mfa-scan__manual">
            <p className="muted">Cannot scan it? Add an account by hand with this key (time-based, 6 digits, 30 seconds):</p>
            <p className="mfa-secret mono">
              {grouped(enrolment.secret)}
            </p>
            <div className="mfa-actions">
              <CopyButton text={enrolment.secret} label="Copy key" />
              <CopyButton text={enrolment.otpauthUri} label="Copy otpauth link" />
            </div>
          </div>
        </div>
      </li>
      <li className="mfa-step">
        <h3 className="mfa-step__title">Keep your backup codes</h3>
        <p className="muted">Each works once if your phone is not at hand. They are shown only now; Custos keeps only their hashes.</p>
        <ul className="mfa-codes mono" aria-label="Backup codes">
          {enrolment.backupCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <div className="mfa-actions">
          <CopyButton text={enrolment.backupCodes.join('\n')} label="Copy codes" />
          <button type="button" className="btn" onClick={() => downloadCodes(enrolment.backupCodes, account)}>
            <Icon name="key" size={15} />
            Download as text
          </button>
        </div>
      </li>
      <li className="mfa-step">
        <h3 className="mfa-step__title">Enter the code the app shows</h3>
        <form className="mfa-confirm" onSubmit={confirm} noValidate aria-label="Confirm second factor">
          {error && <Alert kind="error">{error}</Alert>}
          <TextField
            label="6-digit code"
            value={otp}
            onChange={setOtp}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            className="input input--code"
          />
          <div className="mfa-actions">
            <button type="submit" className="btn btn--primary" disabled={busy}>
              {busy ? 'Checking…' : 'Turn on second factor'}
            </button>
            {onCancel && (
              <button type="button" className="btn" onClick={onCancel}>
                Cancel
              </button>
            )}
          </div>
        </form>
      </li>
    </ol>
  );
}
