import { useEffect, useState } from 'react';
import type { ExportRequest } from '../../../../shared/contract/exports.js';
import { Alert } from '../../components/alert.js';
import { CopyButton } from '../../components/copy-button.js';
import { Dialog } from '../../components/dialog.js';
import { FileHandOver } from '../../components/file-hand-over.js';
import { BundleRequestFields, EMPTY_BUNDLE_REQUEST, bundleRequestErrors, bundleApprovalReason, type BundleRequestDraft } from './bundle-request-fields.js';
import { formatCount, formatDateTime, formatDuration } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { isLive } from '../../store/job.js';
import { activeFilters, cleanScope, Fact, JobProgress, ScopeChips } from './export-ui.js';
import { checkCase, EMPTY_SCOPE, scopeErrors, ScopeFields, type Scope } from './scope-fields.js';
import { useLatest } from '../../lib/use-latest.js';

/**
 * "Signed bundle": the same scope controls as an export, then a ZIP with the events, their
 * inclusion proofs, a signed manifest and the public key, which anyone can verify offline. A
 * bundle of a case or of the whole ledger carries evidence files or students' names (issue 15.4):
 * the dialog then asks for it as an export request that another person approves (bundles.request);
 * only a bundle of filtered events is made at once. Either way it is listed on Exports.
 */
export function BundleDialog({ open, onClose, onRequested }: { open: boolean; onClose: () => void; onRequested: (r: ExportRequest) => void }) {
  const job = useAppStore((s) => s.bundleJob);
  const create = useAppStore((s) => s.createBundle);
  const requestBundle = useAppStore((s) => s.requestBundle);
  const [draft, setDraft] = useState<BundleRequestDraft>(EMPTY_BUNDLE_REQUEST);
  const [draftErrors, setDraftErrors] = useState<ReturnType<typeof bundleRequestErrors>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cancel = useAppStore((s) => s.cancelBundle);
  const reset = useAppStore((s) => s.resetBundle);
  const [scope, setScope] = useState<Scope>(EMPTY_SCOPE);
  const [errors, setErrors] = useState<ReturnType<typeof scopeErrors>>({});
  const [count, setCount] = useState<number | null>(null);
  const running = isLive(job);
  // Opening the dialog decides what it shows, from the job as it is at that moment.
  const latest = useLatest({ job, running, reset });

  useEffect(() => {
    if (!open) return;
    const { job, running, reset } = latest.current;
    // A finished job's result stays until the next bundle; a fresh dialog starts from the form.
    if (job && !running && job.status !== 'done') reset();
    if (!job) {
      setScope(EMPTY_SCOPE);
      setErrors({});
      setDraft(EMPTY_BUNDLE_REQUEST);
      setDraftErrors({});
      setFormError(null);
    }
  }, [open, latest]);

  // What the scope would carry decides the way: null (filtered events: made now) or why it needs approval.
  const approval = bundleApprovalReason(scope.caseId.trim() !== '', activeFilters(scope.filters).length > 0);

  async function submit() {
    if (running) return;
    if (job?.status === 'done') {
      reset();
      return;
    }
    const e = scopeErrors(scope);
    const caseProblem = Object.keys(e).length === 0 ? await checkCase(scope.caseId) : null;
    if (caseProblem) e.caseId = caseProblem;
    setErrors(e);
    const de = approval ? bundleRequestErrors(draft) : {};
    setDraftErrors(de);
    if (Object.keys(e).length > 0 || Object.keys(de).length > 0) return;
    const caseId = scope.caseId.trim();
    if (!approval) {
      void create({ ...cleanScope(scope.filters), ...(caseId ? { caseId } : {}) }, count);
      return;
    }
    setBusy(true);
    setFormError(null);
    const r = await requestBundle({
      title: draft.title.trim(),
      type: draft.type,
      filters: cleanScope(scope.filters),
      ...(caseId ? { caseId } : {}),
      purpose: draft.purpose.trim(),
      recipient: draft.recipient.trim(),
    });
    setBusy(false);
    if (!r.ok) {
      setFormError(r.error.message);
      return;
    }
    onRequested(r.value);
    onClose();
  }

  const r = job?.status === 'done' ? job.result : null;
  return (
    <Dialog
      open={open}
      title={r ? 'Signed bundle written' : 'New signed bundle'}
      wide
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        r ? (
          <>
            <button type="button" className="btn" onClick={onClose}>
              Close
            </button>
            <button type="submit" className="btn">
              New bundle
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              {running ? 'Hide' : 'Cancel'}
            </button>
            <button type="submit" className="btn btn--primary" disabled={running || busy}>
              {running ? 'Writing…' : approval ? (busy ? 'Requesting…' : 'Request bundle') : 'Create bundle'}
            </button>
          </>
        )
      }
    >
      <div className="exp-form" data-testid="bundle-dialog">
        {r && job ? (
          <div data-testid="bundle-result">
            <FileHandOver file={r} label="bundle" status="Signed" testId="bundle">
              <dl className="exp-facts">
                <Fact label="Events">{formatCount(r.events)}</Fact>
                <Fact label="Tree size">{formatCount(r.treeSize)}</Fact>
                <Fact label="Coverage">{r.complete ? 'Whole ledger' : 'Selection with proofs'}</Fact>
                <Fact label="Took">{job.finishedAt ? formatDuration(job.finishedAt - job.startedAt) : '—'}</Fact>
              </dl>
              <dl className="exp-facts exp-facts--stack">
                <Fact label="Scope" wide>
                  <ScopeChips filters={job.scope} caseId={job.scope.caseId ?? null} label="Scope of the bundle" />
                </Fact>
                <Fact label="Root" wide>
                  <span className="exp-inline-hash">
                    <code className="hash">{r.root}</code>
                    <CopyButton text={r.root} label="Copy the tree root" compact />
                  </span>
                </Fact>
                <Fact label="Key fingerprint" wide>
                  <span className="exp-inline-hash">
                    <code className="hash exp-fingerprint" data-testid="bundle-fingerprint">
                      {r.fingerprint}
                    </code>
                    <CopyButton text={r.fingerprint} label="Copy the key fingerprint" compact />
                  </span>
                </Fact>
                <Fact label="Checkpoint" wide>
                  {formatDateTime(r.checkpointTs)}
                </Fact>
              </dl>
              <p className="muted exp-receipt__note">
                Read the fingerprint to the recipient over a second channel. They can check the bundle without Custos: the steps are in <span className="mono">VERIFY.txt</span> inside it.
              </p>
            </FileHandOver>
          </div>
        ) : running && job ? (
          <>
            <div className="exp-scope-line">
              <span className="muted">Scope</span>
              <ScopeChips filters={job.scope} caseId={job.scope.caseId ?? null} label="Scope of the bundle" />
            </div>
            <JobProgress job={job} what="Writing the signed bundle" onCancel={() => void cancel()} testId="bundle-progress" />
            <p className="muted">You can hide this window; the bundle keeps being written and this dialog shows its result.</p>
          </>
        ) : (
          <>
            {job?.status === 'cancelled' && <Alert kind="info">Bundle cancelled. No file was written.</Alert>}
            {job?.status === 'error' && <Alert kind="error">{job.error}</Alert>}
            {formError && <Alert kind="error">{formError}</Alert>}
            <p className="exp-dialog__explain">
              A bundle is a ZIP of the selected ledger events with their inclusion proofs, a manifest signed with this workspace&rsquo;s key, and the public key. It proves to anyone, offline, that the events are exactly
              as recorded. Leave every filter empty for the whole ledger.
            </p>
            <ScopeFields value={scope} onChange={(s) => { setScope(s); setErrors({}); }} errors={errors} onCount={setCount} />
            {approval ? (
              <>
                <div data-testid="bundle-approval-needed">
                  <Alert kind="info">{approval} Another person must approve it: request it here; once approved, you make it from its request on this screen.</Alert>
                </div>
                <BundleRequestFields value={draft} errors={draftErrors} onChange={(d) => { setDraft(d); setDraftErrors({}); }} />
              </>
            ) : (
              <p className="muted" data-testid="bundle-direct">
                Filtered events only, without evidence files or disclosures: made now, and listed on Exports with its SHA-256 and hand-overs.
              </p>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
