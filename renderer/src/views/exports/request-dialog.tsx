import { useEffect, useId, useState } from 'react';
import type { ExportRequest } from '../../../../shared/contract/exports.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { Field, TextField } from '../../components/field.js';
import { useAppStore } from '../../store/index.js';
import { ContentChecks, FormatChoices, FormProblems, MaskingChoices, TypeChoices } from './export-ui.js';
import { contentInput, EMPTY_SCOPE, ScopeFields, scopeErrors, withCaseCheck, type ExportContentDraft } from './scope-fields.js';
import { fieldProblem } from '../../../../shared/field-check.js';

interface Draft extends ExportContentDraft {
  title: string;
  due: string;
}

const EMPTY: Draft = {
  title: '',
  type: 'REGULATORY',
  format: 'csv',
  scope: EMPTY_SCOPE,
  includeEvidence: false,
  includeAuditTrail: true,
  masking: 'none',
  purpose: '',
  recipient: '',
  due: '',
};

/**
 * The default PDF row cap of resources/policies/exports.json (pdfMaxRows). The renderer cannot read
 * policy, so this only warns; the core enforces the configured cap when the export runs.
 */
const PDF_ROWS_HINT = 10_000;

type Errors = Partial<Record<'title' | 'purpose' | 'recipient' | 'due' | 'masking' | 'from' | 'to' | 'caseId', string>>;

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function validate(d: Draft): Errors {
  const e: Errors = { ...scopeErrors(d.scope) };
  // The contract's own rules for these fields (shared/field-check.ts).
  const title = fieldProblem('exports.request', 'title', d.title, 'a title for the export');
  const purpose = fieldProblem('exports.request', 'purpose', d.purpose, 'why the records leave the workspace');
  const recipient = fieldProblem('exports.request', 'recipient', d.recipient, 'who receives the export');
  if (title) e.title = title;
  if (purpose) e.purpose = purpose;
  if (recipient) e.recipient = recipient;
  if (d.due && d.due < today()) e.due = 'The due date is in the past.';
  return e;
}

/** The core's validation issues (path → message) on the fields of this form. */
function coreIssues(details: Record<string, unknown> | undefined, message: string): Errors {
  const issues = [...((details?.issues ?? []) as { path: string; message: string }[])];
  // The client's own check against the contract names one field (`details.field`) with its sentence.
  if (typeof details?.field === 'string') issues.unshift({ path: details.field, message });
  const e: Errors = {};
  for (const i of issues) {
    const key = i.path.replace(/^filters\./, '') as keyof Errors;
    if (key === 'title' || key === 'purpose' || key === 'recipient' || key === 'masking' || key === 'from' || key === 'to' || key === 'caseId') e[key] = i.message;
    if (i.path === 'dueAt') e.due = i.message;
  }
  return e;
}

/** "New export request": what, in which format, which events, masked how, for whom and why. */
export function RequestDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (r: ExportRequest) => void }) {
  const profiles = useAppStore((s) => s.maskingProfiles);
  const loadProfiles = useAppStore((s) => s.loadMaskingProfiles);
  const requestExport = useAppStore((s) => s.requestExport);
  const [d, setD] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [count, setCount] = useState<number | null>(null);
  const names = { type: useId(), format: useId(), masking: useId() };

  useEffect(() => {
    if (!open) return;
    setD(EMPTY);
    setErrors({});
    setFormError(null);
    void loadProfiles();
  }, [open, loadProfiles]);

  const upd = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setD((x) => ({ ...x, [k]: v }));
    if (errors[k as keyof Errors]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  async function submit() {
    const e = await withCaseCheck(validate(d), d.scope.caseId);
    setErrors(e);
    if (Object.values(e).some(Boolean)) {
      setFormError(null);
      return;
    }
    setBusy(true);
    setFormError(null);
    const r = await requestExport({
      title: d.title.trim(),
      ...contentInput(d),
      ...(d.due ? { dueAt: new Date(`${d.due}T23:59:59`).toISOString() } : {}),
    });
    setBusy(false);
    if (r.ok) {
      onCreated(r.value);
      onClose();
      return;
    }
    const fieldErrors = r.error.code === 'validation' ? coreIssues(r.error.details, r.error.message) : {};
    setErrors(fieldErrors);
    setFormError(r.error.message);
  }

  const selectedProfile = profiles?.find((p) => p.name === d.masking);
  return (
    <Dialog
      open={open}
      title="New export request"
      wide
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <>
          <span className="exp-dialog__note muted">Exports of people&rsquo;s records usually need a second person&rsquo;s approval before they can run.</span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Requesting…' : 'Request export'}
          </button>
        </>
      }
    >
      <div className="exp-form" data-testid="export-request-form">
        <FormProblems formError={formError} errors={errors} />
        <section className="exp-form__section" aria-labelledby={`${names.type}-h`}>
          <h3 id={`${names.type}-h`} className="exp-form__heading">
            Request
          </h3>
          <TextField label="Title" value={d.title} onChange={(v) => upd('title', v)} error={errors.title} placeholder="e.g. Access log for the state audit, fall term" maxLength={200} />
          <TypeChoices name={names.type} value={d.type} onChange={(t) => upd('type', t)} />
          <FormatChoices name={names.format} value={d.format} onChange={(f) => upd('format', f)} />
        </section>

        <section className="exp-form__section" aria-labelledby={`${names.format}-h`}>
          <h3 id={`${names.format}-h`} className="exp-form__heading">
            Scope
          </h3>
          <ScopeFields value={d.scope} onChange={(s) => { upd('scope', s); setErrors((e) => ({ ...e, from: undefined, to: undefined, caseId: undefined })); }} errors={errors} onCount={setCount} />
          {d.format === 'pdf' && d.includeAuditTrail && count !== null && count > PDF_ROWS_HINT && (
            <Alert kind="warn">
              This scope selects {count.toLocaleString('en-US')} events. A PDF holds at most {PDF_ROWS_HINT.toLocaleString('en-US')} by default, so this run would likely fail; narrow the
              {d.scope.caseId.trim() ? ' filters' : ' filters or pick a case'}, or choose CSV.
            </Alert>
          )}
          <ContentChecks format={d.format} includeAuditTrail={d.includeAuditTrail} includeEvidence={d.includeEvidence} onChange={(c) => setD((x) => ({ ...x, ...c }))} />
        </section>

        <section className="exp-form__section" aria-labelledby={`${names.masking}-h`}>
          <h3 id={`${names.masking}-h`} className="exp-form__heading">
            Masking
          </h3>
          <fieldset className="exp-choices">
            <legend className="visually-hidden">Masking profile</legend>
            <MaskingChoices name={names.masking} profiles={profiles} value={d.masking} onChange={(m) => upd('masking', m)} />
            {errors.masking && <div className="field__error">{errors.masking}</div>}
            {selectedProfile && selectedProfile.name === 'none' && (
              <div className="field__hint">
                Names and identifiers leave unmasked, so another person must approve this export whatever its type. Choose a profile unless the recipient is entitled to them.
              </div>
            )}
          </fieldset>
        </section>

        <section className="exp-form__section" aria-labelledby={`${names.type}-r`}>
          <h3 id={`${names.type}-r`} className="exp-form__heading">
            Recipient and purpose
          </h3>
          <div className="exp-grid exp-grid--2-1">
            <TextField label="Recipient" value={d.recipient} onChange={(v) => upd('recipient', v)} error={errors.recipient} placeholder="e.g. State Department of Education" maxLength={300} />
            <TextField label="Due date" type="date" value={d.due} onChange={(v) => upd('due', v)} error={errors.due} min={today()} hint="Empty: the policy's default." />
          </div>
          <Field label="Purpose" error={errors.purpose} hint="The approver reads this; it is recorded with the export.">
            {(p) => <textarea className="input exp-textarea" rows={3} maxLength={2000} {...p} value={d.purpose} onChange={(e) => upd('purpose', e.target.value)} />}
          </Field>
        </section>
      </div>
    </Dialog>
  );
}
