import { useEffect, useState } from 'react';
import type { Evidence } from '../../../../shared/contract/evidence.js';
import { client } from '../../api/client.js';
import { Field } from '../../components/field.js';
import { useAppStore } from '../../store/index.js';
import { ActionDialog, Input, localToIso, TextArea } from '../disclosures/ferpa-ui.js';
import { formatBytes, readAsBase64 } from '../cases/casework-ui.js';

/** The browser host accepts files up to this size (resources/policies/evidence.json); larger ones are ingested from a local path. */
const MAX_UPLOAD = 700_000;

/** Ingests a file chosen in the browser: read as base64, hashed and encrypted by the core. */
export function IngestDialog({ open, caseId, onClose, onCreated }: { open: boolean; caseId?: string; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.caseworkMutate);
  const notify = useAppStore((s) => s.notify);
  const me = useAppStore((s) => s.user?.username ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [source, setSource] = useState('');
  const [collectedBy, setCollectedBy] = useState('');
  const [collectedAt, setCollectedAt] = useState('');
  const [location, setLocation] = useState('');
  const [caseRef, setCaseRef] = useState('');
  useEffect(() => {
    if (!open) return;
    setFile(null);
    setTitle('');
    setDescription('');
    setSource('');
    setCollectedBy(me);
    setCollectedAt('');
    setLocation('');
    setCaseRef(caseId ?? '');
  }, [open, me, caseId]);
  return (
    <ActionDialog
      open={open}
      title="Ingest evidence"
      submitLabel="Ingest"
      onClose={onClose}
      wide
      run={async () => {
        if (!file) return 'Choose the file to ingest.';
        if (file.size > MAX_UPLOAD) return `The file is ${formatBytes(file.size)}; the browser can send at most ${formatBytes(MAX_UPLOAD)}. Ingest larger files from a local path with the desktop app.`;
        const contentBase64 = await readAsBase64(file);
        const at = localToIso(collectedAt);
        const r = await mutate('evidence.ingestContent', {
          fileName: file.name,
          contentBase64,
          title: title.trim() || file.name,
          description,
          source,
          ...(collectedBy.trim() ? { collectedBy: collectedBy.trim() } : {}),
          ...(at ? { collectedAt: at } : {}),
          ...(file.type ? { mediaType: file.type } : {}),
          location,
          ...(caseRef.trim() ? { caseId: caseRef.trim() } : {}),
        });
        if (!r.ok) return r.error.message;
        notify('success', `${r.value.evidence.id} ingested; SHA-256 ${r.value.evidence.sha256.slice(0, 12)}… recorded.`);
        onCreated(r.value.evidence.id);
        return null;
      }}
    >
      <p className="muted">The file is hashed (SHA-256) and stored encrypted in the workspace; no plaintext copy is written to disk. The intake starts its chain of custody.</p>
      <Field label="File" hint={file ? `${file.name}, ${formatBytes(file.size)}` : `Up to ${formatBytes(MAX_UPLOAD)} from the browser.`}>
        {(p) => <input className="input" type="file" {...p} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
      </Field>
      <div className="ferpa-form__row">
        <Input label="Title" value={title} onChange={setTitle} placeholder="Defaults to the file name" />
        <Input label="Source" value={source} onChange={setSource} placeholder="e.g. LMS application server" />
      </div>
      <div className="ferpa-form__row">
        <Input label="Collected by" value={collectedBy} onChange={setCollectedBy} />
        <Input label="Collected at" type="datetime-local" value={collectedAt} onChange={setCollectedAt} hint="Leave empty for now." />
      </div>
      <div className="ferpa-form__row">
        <Input label="Location" value={location} onChange={setLocation} placeholder="Where the original is kept" />
        <Input label="Case (optional)" value={caseRef} onChange={setCaseRef} />
      </div>
      <TextArea label="Description" value={description} onChange={setDescription} />
    </ActionDialog>
  );
}

/** Records a custody transfer. */
export function TransferDialog({ open, evidence, onClose }: { open: boolean; evidence: Evidence; onClose: () => void }) {
  const mutate = useAppStore((s) => s.caseworkMutate);
  const [to, setTo] = useState('');
  const [purpose, setPurpose] = useState('');
  const [location, setLocation] = useState('');
  useEffect(() => {
    if (!open) return;
    setTo('');
    setPurpose('');
    setLocation('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title={`Transfer ${evidence.id}`}
      submitLabel="Record transfer"
      onClose={onClose}
      run={async () => {
        const r = await mutate('evidence.transfer', { id: evidence.id, to, purpose, location });
        return r.ok ? null : r.error.message;
      }}
    >
      <p className="muted">From {evidence.custodian}. The transfer is added to the chain of custody and the ledger; it cannot be edited later.</p>
      <Input label="To" value={to} onChange={setTo} placeholder="Person or office receiving the item" />
      <Input label="Purpose" value={purpose} onChange={setPurpose} />
      <Input label="Location" value={location} onChange={setLocation} placeholder={evidence.location || 'Where the item will be'} />
    </ActionDialog>
  );
}

/** Seals or releases an item. */
export function SealDialog({ action, evidence, onClose }: { action: 'seal' | 'release' | null; evidence: Evidence; onClose: () => void }) {
  const mutate = useAppStore((s) => s.caseworkMutate);
  const [purpose, setPurpose] = useState('');
  const [location, setLocation] = useState('');
  useEffect(() => {
    setPurpose('');
    setLocation('');
  }, [action]);
  const seal = action === 'seal';
  return (
    <ActionDialog
      open={action !== null}
      title={`${seal ? 'Seal' : 'Release'} ${evidence.id}`}
      submitLabel={seal ? 'Seal' : 'Release'}
      onClose={onClose}
      run={async () => {
        if (!action) return null;
        const r = await mutate(seal ? 'evidence.seal' : 'evidence.release', { id: evidence.id, purpose, ...(location.trim() ? { location: location.trim() } : {}) });
        return r.ok ? null : r.error.message;
      }}
    >
      <p className="muted">{seal ? 'A sealed item cannot be disposed of until it is released.' : 'The item becomes available for handling again; the release is recorded in its chain of custody.'}</p>
      <Input label={seal ? 'Seal reference or purpose' : 'Purpose'} value={purpose} onChange={setPurpose} />
      <Input label="Location" value={location} onChange={setLocation} placeholder={evidence.location} />
    </ActionDialog>
  );
}

/** Disposes of an item, saying exactly what will happen. */
export function DisposeDialog({ open, evidence, onClose }: { open: boolean; evidence: Evidence; onClose: () => void }) {
  const mutate = useAppStore((s) => s.caseworkMutate);
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (open) setReason('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title={`Dispose of ${evidence.id}`}
      submitLabel="Dispose permanently"
      danger
      onClose={onClose}
      run={async () => {
        const r = await mutate('evidence.dispose', { id: evidence.id, reason });
        return r.ok ? null : r.error.message;
      }}
    >
      <p className="casework-warning">
        The content of {evidence.id} ({evidence.originalName}, {formatBytes(evidence.sizeBytes)}) will be destroyed: its key is wiped at once and its encrypted file is overwritten and deleted. Nobody will be able to
        view or export it again. The item&apos;s record, hash and chain of custody stay in the workspace and the ledger. This cannot be undone.
      </p>
      <TextArea label="Reason (recorded in the ledger)" value={reason} onChange={setReason} />
    </ActionDialog>
  );
}

/** Asks why the content is being viewed (the access is ledgered), then shows it. */
export function ViewContentDialog({
  open,
  evidence,
  onClose,
  onLoaded,
}: {
  open: boolean;
  evidence: Evidence;
  onClose: () => void;
  onLoaded: (content: { fileName: string; mediaType: string; contentBase64: string }, purpose: string) => void;
}) {
  const [purpose, setPurpose] = useState('');
  useEffect(() => {
    if (open) setPurpose('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title={`View ${evidence.id}`}
      submitLabel="View content"
      onClose={onClose}
      run={async () => {
        const r = await client.call('evidence.content', { id: evidence.id, purpose });
        if (!r.ok) return r.error.message;
        onLoaded(r.value, purpose);
        return null;
      }}
    >
      <p className="muted">Every view and every download of evidence content is recorded in the ledger and on the chain of custody, with your name and the purpose you give.</p>
      <Input label="Purpose" value={purpose} onChange={setPurpose} placeholder="e.g. Review for the grade appeal" />
    </ActionDialog>
  );
}
