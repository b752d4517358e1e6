import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../../shared/contract.js';
import { client } from '../../api/client.js';
import { downloadFile } from '../../api/download.js';
import { Alert } from '../../components/alert.js';
import { CopyButton } from '../../components/copy-button.js';
import { Dialog } from '../../components/dialog.js';
import { formatCount, formatDateTime, shortHash } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import type { ImportDetail } from '../../store/audit-slice.js';
import { Fact, Fingerprint, HashValue } from './audit-ui.js';

type Identity = ResponseOf<'witness.identity'>['identity'];
type Countersign = ResponseOf<'witness.countersigns'>['countersigns'][number];

/**
 * Countersigns, as a witness, the tree head of a verified imported bundle: this workspace's key
 * signs "as of now, this is the largest consistent tree head I have seen of that workspace" (C2SP
 * cosignature). The file goes back to the source workspace, whose verification is then held to it.
 */
export function CountersignDialog({ open, imp, onClose }: { open: boolean; imp: ImportDetail['import']; onClose: () => void }) {
  const notify = useAppStore((s) => s.notify);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [made, setMade] = useState<Countersign[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setError(null);
    void client.call('witness.identity', {}).then((r) => (r.ok ? setIdentity(r.value.identity) : setError(r.error.message)));
    void client.call('witness.countersigns', { importId: imp.id }).then((r) => r.ok && setMade(r.value.countersigns));
  }, [open, imp.id]);

  async function countersign() {
    if (busy) return;
    setBusy(true);
    setError(null);
    const r = await client.call('witness.countersign', { importId: imp.id });
    if (!r.ok) {
      setBusy(false);
      return setError(r.error.message);
    }
    setMade((m) => [r.value.countersign, ...m]);
    const d = await downloadFile(r.value.file.fileName);
    setBusy(false);
    if (d.ok) notify('success', `Cosignature saved as ${d.value.fileName} (SHA-256 ${shortHash(d.value.sha256)}, recorded in the ledger). Send it to ${imp.sourceWorkspaceName}.`);
    else setError(`The cosignature was written to the exports folder as ${r.value.file.fileName}, but it could not be handed to the browser: ${d.error.message}`);
  }

  return (
    <Dialog
      open={open}
      wide
      title={`Countersign the tree head of ${imp.sourceWorkspaceName}`}
      onClose={onClose}
      onSubmit={() => void countersign()}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy || identity === null}>
            {busy ? 'Countersigning…' : 'Countersign and download'}
          </button>
        </>
      }
    >
      <p>
        Your workspace signs, with its own key and today&apos;s time, that this is the newest tree head of <strong>{imp.sourceWorkspaceName}</strong> you have verified. Send the file to its
        administrator: from then on their verification proves that their ledger still extends this tree head, so no one can rewrite those events unnoticed, not even with the workspace&apos;s own key.
      </p>
      {error && <Alert kind="error">{error}</Alert>}
      <dl className="kv audit-kv">
        <Fact label="Tree head">{formatCount(imp.treeSize)} events, signed by the source {formatDateTime(imp.checkpointTs)}</Fact>
        <Fact label="Root">
          <HashValue value={imp.root} label="Merkle root" />
        </Fact>
        {identity && (
          <>
            <Fact label="Witness name">
              <span className="mono audit-small">{identity.name}</span>
            </Fact>
            <Fact label="Witness key">
              <span className="witness-key">
                <span className="mono audit-small witness-key__text">{identity.vkey}</span>
                <CopyButton text={identity.vkey} label="Copy witness key" compact />
              </span>
            </Fact>
            <Fact label="Key fingerprint">
              <Fingerprint value={identity.fingerprint} />
            </Fact>
          </>
        )}
      </dl>
      <p className="muted">The source&apos;s administrator trusts your witness key once (Ledger › Witnesses), after comparing its fingerprint with you by phone or in person.</p>
      {made.length > 0 && (
        <p data-testid="countersigned">
          Countersigned already: {made.map((c) => `${formatDateTime(c.cosignedAt)} by ${c.createdBy} (${c.fileName})`).join('; ')}.
        </p>
      )}
    </Dialog>
  );
}
