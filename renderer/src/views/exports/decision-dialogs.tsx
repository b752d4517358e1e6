import { useEffect, useState } from 'react';
import type { ExportRequest } from '../../../../shared/contract/exports.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { useFormErrors } from '../../components/form-errors.js';
import { Field } from '../../components/field.js';
import { formatCount } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { FORMAT_LABELS, ScopeChips, TYPE_LABELS } from './export-ui.js';
import { fieldProblem } from '../../../../shared/field-check.js';

/** What the request will take out, in one paragraph both decision dialogs and the run dialog show. */
function Summary({ req, estimate }: { req: ExportRequest; estimate?: number | null }) {
  return (
    <div className="exp-summary">
      <p>
        <strong>{req.title}</strong> — a {TYPE_LABELS[req.type].label.toLowerCase()} export as <strong>{FORMAT_LABELS[req.format].label}</strong> for{' '}
        <strong>{req.recipient}</strong>, requested by <strong>{req.requestedBy}</strong>.
      </p>
      <dl className="exp-summary__facts">
        <div>
          <dt>Scope</dt>
          <dd>
            <ScopeChips filters={req.filters} caseId={req.caseId} label={`Scope of ${req.id}`} />
          </dd>
        </div>
        <div>
          <dt>Masking</dt>
          <dd className="mono">{req.masking}</dd>
        </div>
        {estimate !== undefined && (
          <div>
            <dt>Events now</dt>
            <dd className="num">{estimate === null ? 'counting…' : formatCount(estimate)}</dd>
          </div>
        )}
        <div>
          <dt>Purpose</dt>
          <dd>{req.purpose}</dd>
        </div>
      </dl>
    </div>
  );
}

/**
 * Approve (optional note) or reject (reason required). The requester never gets here from the
 * screen; if the core refuses anyway (someone decided first, separation of duties), its sentence shows.
 */
export function DecisionDialog({ req, decision, onClose }: { req: ExportRequest | null; decision: 'approve' | 'reject' | null; onClose: () => void }) {
  const decide = useAppStore((s) => s.decideExport);
  const notify = useAppStore((s) => s.notify);
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const open = req !== null && decision !== null;
  useEffect(() => {
    if (!open) return;
    setText('');
    setFieldError(null);
    setError(null);
  }, [open]);
  const approve = decision === 'approve';

  async function submit() {
    if (!req || !decision) return;
    const problem = approve ? null : fieldProblem('exports.reject', 'reason', text, 'a reason for the requester');
    if (problem) {
      setFieldError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    const r = await decide(req.id, decision, text.trim());
    setBusy(false);
    if (!r.ok) return setError(form.route(r.error));
    notify('success', approve ? `${req.id} approved; ${req.requestedBy} or another requester can now run it.` : `${req.id} rejected; the reason is recorded in the ledger.`);
    onClose();
  }

  return (
    <Dialog
      form={form}
      open={open}
      title={`${approve ? 'Approve' : 'Reject'} ${req?.id ?? 'export'}`}
      onClose={onClose}
      onSubmit={() => void submit()}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={approve ? 'btn btn--primary' : 'btn btn--danger'} disabled={busy}>
            {busy ? 'Recording…' : approve ? 'Approve export' : 'Reject export'}
          </button>
        </>
      }
    >
      {error && <Alert kind="error">{error}</Alert>}
      {req && <Summary req={req} />}
      <p className="muted exp-dialog__explain">
        {approve
          ? 'Approving lets the export run. Your name, the time and your note are recorded on the request and in the ledger; it cannot be undone, only followed by a new request.'
          : 'Rejecting closes the request for good. The requester sees your reason; it is recorded in the ledger.'}
      </p>
      <Field label={approve ? 'Note (optional)' : 'Reason'} error={fieldError} hint={approve ? 'e.g. conditions of the approval, the ticket it answers.' : undefined}>
        {(p) => (
          <textarea
            className="input exp-textarea"
            rows={3}
            maxLength={2000}
            {...p}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setFieldError(null);
            }}
          />
        )}
      </Field>
    </Dialog>
  );
}

/** Confirms an outward action: running an export writes a file that is meant to leave the workspace. */
export function ExecuteDialog({ req, countNow, onClose, onConfirm }: { req: ExportRequest | null; countNow: number | null; onClose: () => void; onConfirm: () => void }) {
  return (
    <Dialog
      open={req !== null}
      title={req ? `Run ${req.id}` : 'Run export'}
      onClose={onClose}
      onSubmit={() => {
        onConfirm();
        onClose();
      }}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary">
            {req?.format === 'bundle' ? 'Make bundle' : 'Run export'}
          </button>
        </>
      }
    >
      {req && req.format === 'bundle' && (
        <>
          <Summary req={req} estimate={countNow} />
          <ul className="exp-steps">
            <li>Custos signs a checkpoint and writes a signed bundle (ZIP) of the events in scope{req.caseId ? ', with the evidence files of the case, their custody and its disclosures,' : ''} into the workspace&rsquo;s exports folder.</li>
            <li>It records the bundle&rsquo;s SHA-256, size and event count on the request and in the ledger. You can cancel while it runs; a cancelled run leaves no file.</li>
          </ul>
        </>
      )}
      {req && req.format !== 'bundle' && (
        <>
          <Summary req={req} estimate={countNow} />
          <ul className="exp-steps">
            <li>Custos signs a checkpoint, so the file can be tied to the exact state of the ledger.</li>
            <li>
              It writes the events in scope{req.masking !== 'none' ? `, masked with ${req.masking},` : ''} as {FORMAT_LABELS[req.format].label} into the workspace&rsquo;s exports folder.
            </li>
            <li>It records the file&rsquo;s SHA-256, size and row count on the request and in the ledger. You can cancel while it runs; a cancelled run leaves no file.</li>
          </ul>
        </>
      )}
    </Dialog>
  );
}
