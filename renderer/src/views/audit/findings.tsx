import { useEffect, useId, useState } from 'react';
import { FINDING_SEVERITIES, type Finding, type FindingSeverity, type ImportSummary } from '../../../../shared/contract/bundles.js';
import { ActionDialog } from '../../components/dialog.js';
import { type FormProblem, atField } from '../../components/form-errors.js';
import { EmptyState } from '../../components/empty-state.js';
import { Field, TextArea } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { formatDateTime } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { SEVERITY_LABELS, SeverityBadge } from './audit-ui.js';

const SEVERITY_HINTS: Record<FindingSeverity, string> = {
  high: 'A control failed or records may be wrong; act now.',
  medium: 'A weakness to correct soon.',
  low: 'A minor issue or improvement.',
  info: 'An observation or a note on what was checked.',
};

/** The findings recorded on a bundle, oldest first, each with severity, the event it is about, and who recorded it. */
export function FindingsList({ findings, onShowEvent, onAdd }: { findings: Finding[]; onShowEvent: (seq: number) => void; onAdd: (() => void) | null }) {
  if (findings.length === 0) {
    return (
      <EmptyState
        icon="bookmark"
        title="No findings yet"
        action={
          onAdd ? (
            <button type="button" className="btn" onClick={onAdd}>
              <Icon name="plus" size={14} />
              Add a finding
            </button>
          ) : undefined
        }
      >
        Record what you found while reviewing the events: a severity, a short title, what you saw and, if it is about one event, its number.
      </EmptyState>
    );
  }
  return (
    <ol className="audit-findings" aria-label="Findings" data-testid="findings">
      {findings.map((f, i) => (
        <li key={f.id} className={`audit-finding audit-finding--${f.severity}`}>
          <div className="audit-finding__head">
            <SeverityBadge severity={f.severity} />
            <span className="audit-finding__n muted">#{i + 1}</span>
            <strong className="audit-finding__title">{f.title}</strong>
          </div>
          <p className="audit-finding__body">{f.body}</p>
          <div className="audit-finding__meta muted">
            {f.seq !== null && (
              <>
                <button type="button" className="casework-link" onClick={() => onShowEvent(f.seq as number)}>
                  Event {f.seq}
                </button>
                {' · '}
              </>
            )}
            {f.createdBy} · {formatDateTime(f.createdAt)}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** Records a finding (ledgered, never edited afterwards). */
export function AddFindingDialog({ open, onClose, seq }: { open: boolean; onClose: () => void; seq: number | null }) {
  const addFinding = useAppStore((s) => s.addFinding);
  const notify = useAppStore((s) => s.notify);
  const [severity, setSeverity] = useState<FindingSeverity>('medium');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [eventSeq, setEventSeq] = useState('');
  const name = useId();

  useEffect(() => {
    if (!open) return;
    setSeverity('medium');
    setTitle('');
    setBody('');
    setEventSeq(seq === null ? '' : String(seq));
  }, [open, seq]);

  async function run(): Promise<FormProblem | string | null> {
    if (!title.trim()) return atField('title', 'Give the finding a short title.');
    if (!body.trim()) return atField('body', 'Describe what you found.');
    const n = eventSeq.trim() ? Number(eventSeq.trim()) : undefined;
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) return atField('seq', 'The event number is the seq shown in the events table, a whole number from 1.');
    const r = await addFinding({ severity, title: title.trim(), body: body.trim(), ...(n !== undefined ? { seq: n } : {}) });
    if (!r.ok) return r.error;
    notify('success', `Finding recorded: ${r.value.finding.title}.`);
    return null;
  }

  return (
    <ActionDialog open={open} title="Add a finding" submitLabel="Record finding" onClose={onClose} run={run} wide>
      <fieldset className="audit-severity">
        <legend className="field__label">Severity</legend>
        <div className="audit-severity__options">
          {[...FINDING_SEVERITIES].reverse().map((s) => (
            <label key={s} className={severity === s ? `audit-severity__option audit-severity__option--${s} is-checked` : `audit-severity__option audit-severity__option--${s}`}>
              <input type="radio" name={name} value={s} checked={severity === s} onChange={() => setSeverity(s)} />
              <span className="audit-severity__label">{SEVERITY_LABELS[s]}</span>
              <span className="audit-severity__hint">{SEVERITY_HINTS[s]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <Field label="Title">{(p) => <input className="input" {...p} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />}</Field>
      <TextArea label="What you found" name="body" value={body} onChange={setBody} rows={5} hint="What you saw, why it matters, and what should happen next." />
      <Field label="Event (optional)" name="seq" hint="The seq of the one event this finding is about, as shown in the events table.">
        {(p) => <input className="input audit-seq" inputMode="numeric" {...p} value={eventSeq} onChange={(e) => setEventSeq(e.target.value.replace(/[^0-9]/g, ''))} />}
      </Field>
      <p className="muted audit-dialog-note">A finding is recorded in the ledger with your name and cannot be edited; record a new one to correct it.</p>
    </ActionDialog>
  );
}

/** Signs off the review with a note (ledgered); no findings can be added afterwards. */
export function ReviewDialog({ open, onClose, imp, findings }: { open: boolean; onClose: () => void; imp: ImportSummary; findings: Finding[] }) {
  const reviewImport = useAppStore((s) => s.reviewImport);
  const notify = useAppStore((s) => s.notify);
  const [note, setNote] = useState('');
  useEffect(() => {
    if (open) setNote('');
  }, [open]);
  const high = findings.filter((f) => f.severity === 'high').length;

  async function run(): Promise<FormProblem | string | null> {
    const r = await reviewImport(note);
    if (!r.ok) return r.error;
    notify('success', `Bundle ${imp.id} marked reviewed.`);
    return null;
  }

  return (
    <ActionDialog open={open} title={`Mark bundle ${imp.id} reviewed`} submitLabel="Mark reviewed" onClose={onClose} run={run} wide>
      <p>
        You sign off the review of <strong>{imp.sourceWorkspaceName}</strong>, bundle {imp.id} ({imp.fileName}), with {findings.length === 0 ? 'no findings' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`}
        {high > 0 ? `, ${high} of them high` : ''}. The sign-off is recorded in the ledger with your name; after it, no findings can be added to this bundle.
      </p>
      <TextArea label="Review note (optional)" value={note} onChange={setNote} rows={4} hint="What you reviewed and how, e.g. “Sampled 50 events against the paper log; see findings 1–2.”" />
    </ActionDialog>
  );
}
