import { useEffect, useState } from 'react';
import type { ImportList } from '../../store/audit-slice.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { useFormErrors } from '../../components/form-errors.js';
import { Field } from '../../components/field.js';

type Source = ImportList['sources'][number];

/**
 * Revokes a workspace's pinned key (administrators): with a reason, ledgered. The next bundle of
 * that workspace asks a person to confirm its key's fingerprint again; imported bundles stay.
 */
export function PinRevokeDialog({ source, onClose, onRevoked }: { source: Source | null; onClose: () => void; onRevoked: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  useEffect(() => {
    setReason('');
    setError(null);
  }, [source]);

  async function submit() {
    if (!source || busy) return;
    if (reason.trim().length < 3) return setError(form.route({ code: 'validation', message: 'Say why the pin is revoked; it is recorded in the ledger.', details: { field: 'reason' } }));
    setBusy(true);
    const r = await client.call('imports.pins.revoke', { workspaceId: source.workspaceId, reason: reason.trim() });
    setBusy(false);
    if (!r.ok) return setError(form.route(r.error));
    onRevoked();
  }

  return (
    <Dialog
      form={form}
      open={source !== null}
      title={source ? `Revoke the pinned key of ${source.workspaceName}` : 'Revoke a pinned key'}
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--danger" disabled={busy}>
            Revoke pin
          </button>
        </>
      }
    >
      {source && (
        <>
          <p>
            Key <span className="mono">{source.fingerprint}</span>, pinned by {source.pinnedBy}. After revoking it, the next bundle from this workspace asks whoever imports it to compare its fingerprint with
            the sender again. Bundles already imported stay as they are.
          </p>
          {error && <Alert kind="error">{error}</Alert>}
          <Field label="Reason" hint="Recorded in the ledger with your name.">
            {(p) => <textarea className="input" rows={3} maxLength={2000} {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
        </>
      )}
    </Dialog>
  );
}
