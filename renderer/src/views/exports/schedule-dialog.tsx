import { useEffect, useId, useState } from 'react';
import { SCHEDULE_CADENCES, type ExportSchedule } from '../../../../shared/contract/schedules.js';
import { fieldProblem } from '../../../../shared/field-check.js';
import { client } from '../../api/client.js';
import { Dialog } from '../../components/dialog.js';
import { Field, TextField } from '../../components/field.js';
import { useAppStore } from '../../store/index.js';
import { ContentChecks, FormatChoices, FormProblems, MaskingChoices, TypeChoices } from './export-ui.js';
import { cadenceWords, WEEKDAYS } from './schedule-ui.js';
import { contentInput, EMPTY_SCOPE, ScopeFields, scopeErrors, withCaseCheck, type ExportContentDraft } from './scope-fields.js';

interface Draft extends ExportContentDraft {
  name: string;
  cadence: ExportSchedule['cadence'];
  weekday: number;
  monthDay: number;
  timeOfDay: string;
}

const EMPTY: Draft = {
  name: '',
  type: 'INTERNAL',
  format: 'csv',
  scope: EMPTY_SCOPE,
  includeEvidence: false,
  includeAuditTrail: true,
  masking: 'pseudonymize-people',
  purpose: '',
  recipient: '',
  cadence: 'weekly',
  weekday: 1,
  monthDay: 1,
  timeOfDay: '07:00',
};

const CADENCE_LABELS: Record<ExportSchedule['cadence'], string> = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' };

type Errors = Partial<Record<'name' | 'purpose' | 'recipient' | 'timeOfDay' | 'from' | 'to' | 'caseId', string>>;

function fromSchedule(s: ExportSchedule): Draft {
  return {
    name: s.name,
    type: s.type,
    format: s.format,
    scope: { filters: s.filters, caseId: s.caseId ?? '' },
    includeEvidence: s.includeEvidence,
    includeAuditTrail: s.includeAuditTrail,
    masking: s.masking,
    purpose: s.purpose,
    recipient: s.recipient,
    cadence: s.cadence,
    weekday: s.weekday ?? 1,
    monthDay: s.monthDay ?? 1,
    timeOfDay: s.timeOfDay,
  };
}

function validate(d: Draft): Errors {
  const e: Errors = { ...scopeErrors(d.scope) };
  const name = fieldProblem('schedules.create', 'name', d.name, 'a name for the schedule');
  const purpose = fieldProblem('schedules.create', 'purpose', d.purpose, 'why the records leave the workspace');
  const recipient = fieldProblem('schedules.create', 'recipient', d.recipient, 'who receives each export');
  if (name) e.name = name;
  if (purpose) e.purpose = purpose;
  if (recipient) e.recipient = recipient;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(d.timeOfDay)) e.timeOfDay = 'Enter a time such as 07:00.';
  return e;
}

/**
 * "New scheduled export" / "Edit scheduled export": the fields of an export request (type, format,
 * scope, masking, recipient and purpose) and when it runs, in the workspace's time zone.
 */
export function ScheduleDialog({
  open,
  editing,
  timeZone,
  onClose,
  onSaved,
}: {
  open: boolean;
  editing: ExportSchedule | null;
  timeZone: string;
  onClose: () => void;
  onSaved: (s: ExportSchedule) => void;
}) {
  const profiles = useAppStore((s) => s.maskingProfiles);
  const loadProfiles = useAppStore((s) => s.loadMaskingProfiles);
  const [d, setD] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const names = { type: useId(), format: useId(), masking: useId(), when: useId(), who: useId() };

  useEffect(() => {
    if (!open) return;
    setD(editing ? fromSchedule(editing) : EMPTY);
    setErrors({});
    setFormError(null);
    void loadProfiles();
  }, [open, editing, loadProfiles]);

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
    const input = {
      name: d.name.trim(),
      ...contentInput(d),
      cadence: d.cadence,
      weekday: d.cadence === 'weekly' ? d.weekday : null,
      monthDay: d.cadence === 'monthly' ? d.monthDay : null,
      timeOfDay: d.timeOfDay,
    };
    const r = editing ? await client.call('schedules.update', { id: editing.id, ...input }) : await client.call('schedules.create', input);
    setBusy(false);
    if (r.ok) {
      onSaved(r.value.schedule);
      onClose();
      return;
    }
    setFormError(r.error.message);
  }

  return (
    <Dialog
      open={open}
      title={editing ? `Edit ${editing.name}` : 'New scheduled export'}
      wide
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <>
          <span className="exp-dialog__note muted">
            {editing?.approval === 'approved'
              ? 'A saved change needs another approver to approve the schedule again before it runs.'
              : 'When the content needs a second person, another approver approves the schedule once, for all its runs.'}
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save schedule' : 'Create schedule'}
          </button>
        </>
      }
    >
      <div className="exp-form" data-testid="schedule-form">
        <FormProblems formError={formError} errors={errors} />
        <section className="exp-form__section" aria-labelledby={`${names.when}-h`}>
          <h3 id={`${names.when}-h`} className="exp-form__heading">
            Schedule
          </h3>
          <TextField label="Name" value={d.name} onChange={(v) => upd('name', v)} error={errors.name} placeholder="e.g. Weekly access log for the registrar" maxLength={200} />
          <div className="exp-grid exp-grid--3">
            <Field label="Runs">
              {(p) => (
                <select className="input" {...p} value={d.cadence} onChange={(e) => upd('cadence', e.target.value as Draft['cadence'])}>
                  {SCHEDULE_CADENCES.map((c) => (
                    <option key={c} value={c}>
                      {CADENCE_LABELS[c]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {d.cadence === 'weekly' && (
              <Field label="On">
                {(p) => (
                  <select className="input" {...p} value={d.weekday} onChange={(e) => upd('weekday', Number(e.target.value))}>
                    {WEEKDAYS.map((w, i) => (
                      <option key={w} value={i + 1}>
                        {w}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {d.cadence === 'monthly' && (
              <Field label="Day of the month" hint="29–31: the month's last day when it is shorter.">
                {(p) => (
                  <select className="input" {...p} value={d.monthDay} onChange={(e) => upd('monthDay', Number(e.target.value))}>
                    {Array.from({ length: 31 }, (_, i) => (
                      <option key={i + 1} value={i + 1}>
                        {i + 1}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <TextField label="At" type="time" value={d.timeOfDay} onChange={(v) => upd('timeOfDay', v)} error={errors.timeOfDay} hint={`Time zone ${timeZone}.`} />
          </div>
          <p className="field__hint">{cadenceWords({ cadence: d.cadence, weekday: d.weekday, monthDay: d.monthDay, timeOfDay: d.timeOfDay || '—' })}, while the app is open or when <span className="mono">custos run-due</span> runs; a missed run is caught up once.</p>
        </section>

        <section className="exp-form__section" aria-labelledby={`${names.type}-h`}>
          <h3 id={`${names.type}-h`} className="exp-form__heading">
            Export
          </h3>
          <TypeChoices name={names.type} value={d.type} onChange={(t) => upd('type', t)} />
          <FormatChoices name={names.format} value={d.format} onChange={(f) => upd('format', f)} />
          <ScopeFields
            value={d.scope}
            onChange={(s) => {
              upd('scope', s);
              setErrors((e) => ({ ...e, from: undefined, to: undefined, caseId: undefined }));
            }}
            errors={errors}
          />
          <ContentChecks format={d.format} includeAuditTrail={d.includeAuditTrail} includeEvidence={d.includeEvidence} onChange={(c) => setD((x) => ({ ...x, ...c }))} />
        </section>

        <section className="exp-form__section" aria-labelledby={`${names.masking}-h`}>
          <h3 id={`${names.masking}-h`} className="exp-form__heading">
            Masking
          </h3>
          <fieldset className="exp-choices">
            <legend className="visually-hidden">Masking profile</legend>
            <MaskingChoices name={names.masking} profiles={profiles} value={d.masking} onChange={(m) => upd('masking', m)} />
          </fieldset>
        </section>

        <section className="exp-form__section" aria-labelledby={`${names.who}-h`}>
          <h3 id={`${names.who}-h`} className="exp-form__heading">
            Recipient and purpose
          </h3>
          <TextField label="Recipient" value={d.recipient} onChange={(v) => upd('recipient', v)} error={errors.recipient} placeholder="e.g. Registrar's office" maxLength={300} />
          <Field label="Purpose" error={errors.purpose} hint="The approver reads this; it is recorded with every run.">
            {(p) => <textarea className="input exp-textarea" rows={2} maxLength={2000} {...p} value={d.purpose} onChange={(e) => upd('purpose', e.target.value)} />}
          </Field>
        </section>
      </div>
    </Dialog>
  );
}
