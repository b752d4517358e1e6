import { useEffect, useState } from 'react';
import type { Evidence } from '../../../../shared/contract/evidence.js';
import { client } from '../../api/client.js';
import { ActionDialog } from '../../components/dialog.js';
import { TextArea, TextField } from '../../components/field.js';
import { chosenBytes, chosenName, FileChoice, grantFor, UploadProgress, type ChosenFile } from '../../components/file-choice.js';
import { CasePicker, PartyPicker } from '../../components/pickers.js';
import { formatBytes, localToIso } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';

/**
 * Ingests a chosen file: uploaded from the browser (streamed, with progress and cancel) or picked in
 * the desktop app's own dialog, then hashed and stored encrypted by the core from its one-time grant.
 */
export function IngestDialog({ open, caseId, onClose, onCreated }: { open: boolean; caseId?: string; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const me = useAppStore((s) => s.user?.username ?? '');
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [source, setSource] = useState('');
  const [collectedBy, setCollectedBy] = useState('');
  const [collectedAt, setCollectedAt] = useState('');
  const [location, setLocation] = useState('');
  const [caseRef, setCaseRef] = useState('');
  const [upload, setUpload] = useState<{ sent: number; total: number; controller: AbortController } | null>(null);
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
    setUpload(null);
  }, [open, me, caseId]);
  return (
    <ActionDialog
      open={open}
      title="Ingest evidence"
      submitLabel="Ingest"
      onClose={() => {
        upload?.controller.abort();
        onClose();
      }}
      wide
      run={async () => {
        if (!file) return 'Choose the file to ingest.';
        const controller = new AbortController();
        if (file.kind === 'page') setUpload({ sent: 0, total: chosenBytes(file), controller });
        const granted = await grantFor('evidence', file, { signal: controller.signal, onProgress: (sent, total) => setUpload({ sent, total, controller }) });
        setUpload(null);
        if (!granted.ok) return granted.error;
        const at = localToIso(collectedAt);
        const r = await mutate('evidence.ingestFile', {
          grant: granted.value.grant,
          fileName: chosenName(file),
          title: title.trim() || chosenName(file),
          description,
          source,
          ...(collectedBy.trim() ? { collectedBy: collectedBy.trim() } : {}),
          ...(at ? { collectedAt: at } : {}),
          ...(file.kind === 'page' && file.file.type ? { mediaType: file.file.type } : {}),
          location,
          ...(caseRef.trim() ? { caseId: caseRef.trim() } : {}),
        });
        if (!r.ok) {
          // A grant is used up by an attempt that got past validation; the file must be chosen again.
          if (r.error.code !== 'validation') setFile(null);
          return r.error.message;
        }
        notify('success', `${r.value.evidence.id} ingested; SHA-256 ${r.value.evidence.sha256.slice(0, 12)}… recorded.`);
        onCreated(r.value.evidence.id);
        return null;
      }}
    >
      <p className="muted">The file is hashed (SHA-256) and stored encrypted in the workspace; no plaintext copy is written to disk. The intake starts its chain of custody.</p>
      <FileChoice label="File" purpose="evidence" chosen={file} onChange={setFile} disabled={upload !== null} hint="Any file; large files are streamed." />
      {upload && file && <UploadProgress name={chosenName(file)} sent={upload.sent} total={upload.total} onCancel={() => upload.controller.abort()} />}
      <div className="ferpa-form__row">
        <TextField label="Title" value={title} onChange={setTitle} placeholder="Defaults to the file name" />
        <TextField label="Source" value={source} onChange={setSource} placeholder="e.g. LMS application server" />
      </div>
      <div className="ferpa-form__row">
        <PartyPicker label="Collected by" value={collectedBy} onChange={setCollectedBy} />
        <TextField label="Collected at" type="datetime-local" value={collectedAt} onChange={setCollectedAt} hint="Leave empty for now." />
      </div>
      <div className="ferpa-form__row">
        <TextField label="Location" value={location} onChange={setLocation} placeholder="Where the original is kept" />
        <CasePicker label="Case (optional)" value={caseRef} onChange={setCaseRef} />
      </div>
      <TextArea label="Description" value={description} onChange={setDescription} />
    </ActionDialog>
  );
}

/** Records a custody transfer. */
export function TransferDialog({ open, evidence, onClose }: { open: boolean; evidence: Evidence; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
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
        return r.ok ? null : r.error;
      }}
    >
      <p className="muted">From {evidence.custodian}. The transfer is added to the chain of custody and the ledger; it cannot be edited later.</p>
      <PartyPicker label="To" name="to" value={to} onChange={setTo} placeholder="Person or office receiving the item" />
      <TextField label="Purpose" value={purpose} onChange={setPurpose} />
      <TextField label="Location" value={location} onChange={setLocation} placeholder={evidence.location || 'Where the item will be'} />
    </ActionDialog>
  );
}

/** Seals or releases an item. */
export function SealDialog({ action, evidence, onClose }: { action: 'seal' | 'release' | null; evidence: Evidence; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
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
        return r.ok ? null : r.error;
      }}
    >
      <p className="muted">{seal ? 'A sealed item cannot be disposed of until it is released.' : 'The item becomes available for handling again; the release is recorded in its chain of custody.'}</p>
      <TextField label={seal ? 'Seal reference or purpose' : 'Purpose'} value={purpose} onChange={setPurpose} />
      <TextField label="Location" value={location} onChange={setLocation} placeholder={evidence.location} />
    </ActionDialog>
  );
}

/** Disposes of an item, saying exactly what will happen. */
export function DisposeDialog({ open, evidence, onClose }: { open: boolean; evidence: Evidence; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
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
        return r.ok ? null : r.error;
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
        if (!r.ok) return r.error;
        onLoaded(r.value, purpose);
        return null;
      }}
    >
      <p className="muted">Every view and every download of evidence content is recorded in the ledger and on the chain of custody, with your name and the purpose you give.</p>
      <TextField label="Purpose" value={purpose} onChange={setPurpose} placeholder="e.g. Review for the grade appeal" />
    </ActionDialog>
  );
}
