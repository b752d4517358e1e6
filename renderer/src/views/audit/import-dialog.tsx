import { useEffect, useRef, useState } from 'react';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { chosenBytes, chosenName, FileChoice, grantFor, UploadProgress, type ChosenFile } from '../../components/file-choice.js';
import { Icon } from '../../components/icons.js';
import { formatBytes, formatCount, plural } from '../../lib/format.js';
import { type AuditImportJob, type TrustQuestion } from '../../store/audit-slice.js';
import { useAppStore } from '../../store/index.js';
import { isLive, jobPercent } from '../../store/job.js';
import { VerificationReportView } from './verification-report.js';

function Progress({ job }: { job: AuditImportJob }) {
  const pct = jobPercent(job);
  return (
    <div className="audit-progress" data-testid="import-progress">
      <div role="status" className="audit-progress__line">
        <strong>{job.status === 'cancelling' ? 'Cancelling…' : job.total ? 'Verifying events…' : 'Uploading and checking signatures…'}</strong>
        <span className="muted num">
          {job.total ? `${formatCount(job.done)} of ${plural(job.total, 'event')}${pct !== null ? ` (${pct}%)` : ''}` : `${job.fileName}, ${formatBytes(job.fileBytes)}`}
        </span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={job.total ?? undefined}
        aria-valuenow={job.total ? job.done : undefined}
      >
        <div className={pct === null ? 'progress__bar audit-progress__bar--indeterminate' : 'progress__bar'} style={{ width: `${pct ?? 30}%` }} />
      </div>
      <p className="muted audit-progress__note">Nothing is imported until every check has passed; cancelling leaves the workspace as it was.</p>
    </div>
  );
}

/**
 * The first bundle of a workspace: its key is trusted only once a person compared the fingerprint
 * with the sender over another channel (a forged bundle that arrived first would otherwise own the
 * workspace's name in this workspace for good).
 */
function TrustPrompt({ trust, fileName }: { trust: TrustQuestion; fileName: string }) {
  return (
    <div className="audit-trust" data-testid="trust-prompt">
      {trust.mismatch && <Alert kind="error">The fingerprint confirmed before is not the key of this bundle. Compare the fingerprint below with the sender again.</Alert>}
      {trust.warnings.map((w) => (
        <Alert key={w} kind="warn">
          {w}
        </Alert>
      ))}
      <p>
        {fileName} is the first bundle from workspace <strong>{trust.workspaceName}</strong> <span className="muted mono">({trust.workspaceId})</span>. Its signing key has this fingerprint:
      </p>
      <p className="audit-trust__fingerprint mono" data-testid="trust-fingerprint">
        {trust.fingerprint}
      </p>
      <Alert kind="warn">
        <strong>Compare this fingerprint with the sender out of band before you trust it</strong> — read it aloud over the phone, or check it against a letter, never against the e-mail the bundle came with.
        Once you confirm, the key is pinned: every later bundle from this workspace must be signed with it.
      </Alert>
    </div>
  );
}

/**
 * Import a log bundle: choose the .zip, watch it being verified (with cancel), then read the
 * verification report. A refused bundle says why in one sentence, and nothing of it is kept.
 */
export function ImportDialog({ open, onClose, onOpenBundle }: { open: boolean; onClose: () => void; onOpenBundle: (id: number) => void }) {
  const job = useAppStore((s) => s.auditJob);
  const startImport = useAppStore((s) => s.startImport);
  const cancelImport = useAppStore((s) => s.cancelImport);
  const dismissImport = useAppStore((s) => s.dismissImport);
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A fingerprint the person confirmed while the file must be chosen again (a desktop grant is used up by the first try).
  const [pendingTrust, setPendingTrust] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ sent: number; total: number; controller: AbortController } | null>(null);
  const reading = upload !== null;
  const inputRef = useRef<HTMLInputElement & HTMLButtonElement>(null);
  const running = isLive(job);

  useEffect(() => {
    if (!open) return;
    setFile(null);
    setError(null);
    setPendingTrust(null);
  }, [open]);

  function close() {
    if (running || reading) return;
    dismissImport();
    onClose();
  }

  function again() {
    dismissImport();
    setFile(null);
    setError(null);
    window.setTimeout(() => inputRef.current?.focus(), 0);
  }

  async function submit(trustFingerprint?: string) {
    const trustNow = trustFingerprint ?? pendingTrust ?? undefined;
    if (job && !running) {
      // Only the answer to the key question runs again: the same file, handed over anew, with the confirmed fingerprint.
      if (!trustFingerprint) return;
      dismissImport();
    }
    if (!file) {
      if (trustFingerprint) setPendingTrust(trustFingerprint);
      setError('Choose the bundle file (.zip) to import.');
      inputRef.current?.focus();
      return;
    }
    const name = chosenName(file);
    if (chosenBytes(file) === 0) return setError(`${name} is empty; choose the bundle file you were sent.`);
    setError(null);
    const controller = new AbortController();
    setUpload({ sent: 0, total: chosenBytes(file), controller });
    const granted = await grantFor('bundle', file, { signal: controller.signal, onProgress: (sent, total) => setUpload({ sent, total, controller }) });
    setUpload(null);
    if (!granted.ok) {
      if (granted.error.code === 'cancelled') return setError('The upload was cancelled; nothing was sent for import.');
      return setError(granted.error.message);
    }
    // The grant is used up by this attempt, whatever its outcome; another try chooses the file again.
    if (file.kind === 'granted') setFile(null);
    setPendingTrust(null);
    await startImport({ fileName: name, bytes: granted.value.bytes, grant: granted.value.grant }, trustNow);
  }

  const result = job?.status === 'done' ? job.result : null;
  const trust = job?.status === 'done' ? (job.trust ?? null) : null;
  const title = result ? (result.accepted ? 'Bundle verified and imported' : result.report.valid ? 'Bundle valid, not imported' : 'Bundle rejected') : trust ? 'Confirm the sender’s key' : 'Import a log bundle';

  let footer;
  if (running || reading) {
    footer = (
      <button type="button" className="btn" onClick={() => (upload ? upload.controller.abort() : void cancelImport())} disabled={job?.status === 'cancelling'}>
        <Icon name="stop" size={12} />
        Cancel import
      </button>
    );
  } else if (result?.accepted && result.import) {
    const id = result.import.id;
    footer = (
      <>
        <button type="button" className="btn" onClick={again}>
          Import another
        </button>
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => {
            dismissImport();
            onOpenBundle(id);
          }}
        >
          Open bundle {id}
        </button>
      </>
    );
  } else if (trust) {
    footer = (
      <>
        <button type="button" className="btn" onClick={close}>
          Don’t import
        </button>
        <button type="button" className="btn btn--primary" onClick={() => void submit(trust.fingerprint)}>
          <Icon name="key" size={14} />
          Fingerprint matches: trust and import
        </button>
      </>
    );
  } else if (job) {
    footer = (
      <>
        <button type="button" className="btn" onClick={close}>
          Close
        </button>
        <button type="button" className="btn btn--primary" onClick={again}>
          Choose another file
        </button>
      </>
    );
  } else {
    footer = (
      <>
        <button type="button" className="btn" onClick={close}>
          Cancel
        </button>
        <button type="submit" className="btn btn--primary">
          <Icon name="shieldCheck" size={14} />
          Verify and import
        </button>
      </>
    );
  }

  return (
    <Dialog open={open} title={title} onClose={close} onSubmit={() => void submit()} footer={footer} wide>
      {!job && (
        <>
          <p className="audit-intro">
            Custos checks the bundle before anyone reads it: the Ed25519 signature of its manifest, the SHA-256 of every file, each event&apos;s hash and link in the chain, and the Merkle proofs against the
            signed tree head. A bundle that fails any check is rejected whole, and the rejection is recorded in the ledger.
          </p>
          {error && <Alert kind="error">{error}</Alert>}
          <FileChoice
            label="Bundle file"
            purpose="bundle"
            accept=".zip,application/zip"
            chosen={file}
            onChange={(c) => {
              setFile(c);
              setError(null);
            }}
            disabled={reading}
            inputRef={inputRef}
            hint="A Custos bundle (.zip) made with “Export bundle” or `custos bundle`."
          />
          {upload && file && <UploadProgress name={chosenName(file)} sent={upload.sent} total={upload.total} onCancel={() => upload.controller.abort()} />}
        </>
      )}
      {job && running && <Progress job={job} />}
      {job?.status === 'cancelled' && <Alert kind="info">Import cancelled. Nothing of {job.fileName} was kept; the cancellation is recorded in the ledger.</Alert>}
      {job?.status === 'error' && <Alert kind="error">{job.error}</Alert>}
      {trust && job && <TrustPrompt trust={trust} fileName={job.fileName} />}
      {result?.warnings.map((w) => (
        <Alert key={w} kind="warn">
          {w}
        </Alert>
      ))}
      {result && (
        <VerificationReportView
          report={result.report}
          accepted={result.accepted}
          reason={result.reason}
          pin={result.pin}
          pinnedAt={result.pinnedSource?.pinnedAt}
          pinnedBy={result.pinnedSource?.pinnedBy}
          pinnedFingerprint={result.pinnedSource?.fingerprint}
          headline={
            result.accepted && result.import ? (
              <>
                Imported as bundle {result.import.id}: {plural(result.import.events, 'event')} from <strong>{result.import.sourceWorkspaceName}</strong>
              </>
            ) : (
              <>Nothing was imported from {job?.fileName}.</>
            )
          }
          facts={
            result.bundle && {
              workspaceName: result.bundle.workspaceName,
              workspaceId: result.bundle.workspaceId,
              fingerprint: result.bundle.fingerprint,
              fileName: job?.fileName ?? '',
              fileBytes: result.bundle.fileBytes,
              fileSha256: result.bundle.fileSha256,
              treeSize: result.bundle.treeSize,
              checkpointTs: result.bundle.checkpointTs,
              createdBy: result.bundle.createdBy,
              createdAt: result.bundle.createdAt,
              complete: result.bundle.complete,
              events: result.bundle.events,
            }
          }
        />
      )}
    </Dialog>
  );
}
