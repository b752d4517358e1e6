import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../../shared/contract.js';
import { MAX_COSIGNATURE_FILE } from '../../../../shared/contract/witness.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Badge } from '../../components/badge.js';
import { Dialog } from '../../components/dialog.js';
import { Field } from '../../components/field.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';

type WitnessList = ResponseOf<'witness.heads'>;
type Described = ResponseOf<'witness.describeKey'>;

/**
 * Who cosigned which tree head of this ledger and whether today's ledger still extends it (proven
 * by a consistency proof); administrators trust witness keys and import cosignature files here.
 */
export function WitnessesDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const notify = useAppStore((s) => s.notify);
  const mayTrust = useCan('witness.trust');
  const mayImport = useCan('witness.import');
  const [list, setList] = useState<WitnessList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [vkey, setVkey] = useState('');
  const [label, setLabel] = useState('');
  const [described, setDescribed] = useState<Described | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load() {
    const r = await client.call('witness.heads', {});
    if (r.ok) setList(r.value);
    else setError(r.error.message);
  }

  useEffect(() => {
    if (!open) return;
    setError(null);
    setVkey('');
    setLabel('');
    setDescribed(null);
    setKeyError(null);
    setImportError(null);
    void load();
  }, [open]);

  async function check() {
    setDescribed(null);
    setKeyError(null);
    if (!vkey.trim()) return setKeyError('Paste the witness key the auditor gave you.');
    const r = await client.call('witness.describeKey', { vkey: vkey.trim() });
    if (r.ok) setDescribed(r.value);
    else setKeyError(r.error.message);
  }

  async function trust() {
    if (!described || busy) return;
    if (!label.trim()) return setKeyError('Say who the witness is; it is recorded in the ledger.');
    setBusy(true);
    const r = await client.call('witness.trust', { vkey: vkey.trim(), label: label.trim() });
    setBusy(false);
    if (!r.ok) return setKeyError(r.error.message);
    notify('success', `The witness key of ${r.value.key.label} is trusted (fingerprint ${r.value.key.fingerprint}).`);
    setVkey('');
    setLabel('');
    setDescribed(null);
    void load();
  }

  async function importFile(file: File | undefined) {
    setImportError(null);
    if (!file) return;
    if (file.size > MAX_COSIGNATURE_FILE) return setImportError(`${file.name} is too large to be a cosignature file.`);
    setBusy(true);
    const r = await client.call('witness.import', { text: await file.text(), fileName: file.name });
    setBusy(false);
    if (!r.ok) return setImportError(r.error.message);
    notify('success', `Imported the cosignature by ${r.value.cosignature.label || r.value.cosignature.cosigner} of ${formatCount(r.value.cosignature.treeSize)} events.`);
    void load();
  }

  const cosignatures = list?.cosignatures ?? [];
  return (
    <Dialog
      open={open}
      wide
      title="Witnesses"
      onClose={onClose}
      // Enter in the key field checks the key, then trusts it; it never closes the dialog by surprise.
      onSubmit={() => {
        if (described) void trust();
        else if (vkey.trim()) void check();
      }}
      footer={
        <button type="button" className="btn btn--primary" onClick={onClose}>
          Close
        </button>
      }
    >
      <p className="muted">
        An auditor who verified a bundle of this workspace can countersign its tree head. Each cosigned head is proven again at every verification: today&apos;s ledger must extend it, so a
        rewrite of those events is detected even if it was signed with this workspace&apos;s own key.
      </p>
      {error && <Alert kind="error">{error}</Alert>}
      {list && cosignatures.length === 0 && <p data-testid="witness-empty">No witness has cosigned a tree head of this ledger yet.</p>}
      {cosignatures.length > 0 && (
        <div className="witness-table">
          <table className="table table--compact" data-testid="witness-cosignatures">
            <caption className="visually-hidden">Cosigned tree heads</caption>
            <thead>
              <tr>
                <th scope="col">Witness</th>
                <th scope="col">Tree size</th>
                <th scope="col">Cosigned</th>
                <th scope="col">Proof today</th>
              </tr>
            </thead>
            <tbody>
              {cosignatures.map((c) => (
                <tr key={c.id}>
                  <td>
                    <strong>{c.label || c.cosigner}</strong>
                    <div className="muted mono witness-small">{c.cosigner}</div>
                  </td>
                  <td className="num">{formatCount(c.treeSize)}</td>
                  <td>{formatDateTime(c.cosignedAt)}</td>
                  <td>
                    {c.consistent ? <Badge tone="ok">Extended by today&apos;s ledger</Badge> : <Badge tone="danger">Not extended</Badge>}
                    {c.problem && <div className="witness-small">{c.problem}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list && list.keys.length > 0 && (
        <p className="witness-small" data-testid="witness-keys">
          Trusted witness keys:{' '}
          {list.keys.map((k) => `${k.label} (${k.fingerprint}, trusted ${formatDateTime(k.trustedAt)} by ${k.trustedBy})`).join('; ')}.
        </p>
      )}
      {mayImport && (
        <Field label="Import a cosignature file" hint="The file the auditor's Custos wrote when they countersigned." error={importError}>
          {(p) => <input type="file" className="input" accept=".json,.txt,application/json,text/plain" disabled={busy} {...p} onChange={(e) => void importFile(e.target.files?.[0])} />}
        </Field>
      )}
      {mayTrust && (
        <fieldset className="witness-trust">
          <legend>Trust a witness key</legend>
          <Field label="Witness key" hint="One line starting with custos-witness/, as the auditor's Countersign dialog shows it." error={keyError}>
            {(p) => (
              <input
                className="input mono"
                {...p}
                value={vkey}
                maxLength={400}
                onChange={(e) => {
                  setVkey(e.target.value);
                  setDescribed(null);
                }}
              />
            )}
          </Field>
          {described && (
            <Alert kind="info">
              Key of <span className="mono">{described.name}</span>, fingerprint <strong className="mono">{described.fingerprint}</strong>. Compare this fingerprint with the auditor by
              phone or in person before you trust it.
            </Alert>
          )}
          {described && (
            <Field label="Who the witness is" hint="Recorded in the ledger with your name.">
              {(p) => <input className="input" {...p} value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} />}
            </Field>
          )}
          <div className="witness-trust__actions">
            {!described ? (
              <button type="button" className="btn" onClick={() => void check()}>
                Check key
              </button>
            ) : (
              <button type="button" className="btn btn--primary" onClick={() => void trust()} disabled={busy}>
                Trust this key
              </button>
            )}
          </div>
        </fieldset>
      )}
    </Dialog>
  );
}
