import { useEffect, useState } from 'react';
import { AMENDMENT_MATTER_LABELS, AMENDMENT_MATTERS, NOT_AMENDABLE_MATTERS, type Amendment, type AMENDMENT_ACTIONS, type AmendmentMatter } from '../../../../shared/contract/amendments.js';
import { ActionDialog } from '../../components/dialog.js';
import { type FormProblem, atField } from '../../components/form-errors.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { CasePicker, RecordChooser, SubjectPicker } from '../../components/pickers.js';
import { formatDate, localToIso } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';

export type AmendmentAction = (typeof AMENDMENT_ACTIONS)[number];

/** Logs a written request to amend a record. */
export function ReceiveAmendmentDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [subjectId, setSubjectId] = useState('');
  const [recordId, setRecordId] = useState('');
  const [change, setChange] = useState('');
  const [reason, setReason] = useState('');
  const [receivedAt, setReceivedAt] = useState('');
  const [caseId, setCaseId] = useState('');
  const [matter, setMatter] = useState<AmendmentMatter>('clerical_error');
  const [answer, setAnswer] = useState('');
  const answered = NOT_AMENDABLE_MATTERS.includes(matter);
  useEffect(() => {
    if (open) {
      setMatter('clerical_error');
      setAnswer('');
      setSubjectId('');
      setRecordId('');
      setChange('');
      setReason('');
      setReceivedAt('');
      setCaseId('');
    }
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title="Log an amendment request"
      submitLabel={answered ? 'Log and answer' : 'Log request'}
      onClose={onClose}
      wide
      run={async () => {
        if (!recordId) return atField('recordId', 'Choose the record the student asks to amend.');
        const r = await mutate('amendments.receive', {
          recordId: recordId.trim(),
          matter,
          ...(answered && answer.trim() ? { answer } : {}),
          requestedChange: change,
          reason,
          ...(receivedAt ? { receivedAt } : {}),
          ...(caseId.trim() ? { caseId: caseId.trim() } : {}),
        });
        if (!r.ok) return r.error;
        const a = r.value.amendment;
        notify('success', a.answer ? `Amendment request ${a.id} logged and answered: the matter cannot be amended, so there is no hearing.` : `Amendment request ${a.id} logged; a decision is due by ${formatDate(a.dueAt)}.`);
        onCreated(r.value.amendment.id);
        return null;
      }}
    >
      <div className="ferpa-form__row">
        <SubjectPicker value={subjectId} onChange={(v) => { setSubjectId(v); setRecordId(''); }} />
        <TextField label="Received on" type="date" value={receivedAt} onChange={setReceivedAt} hint="Today when left empty." />
      </div>
      <RecordChooser subjectId={subjectId} value={recordId ? [recordId] : []} onChange={(ids) => setRecordId(ids[0] ?? '')} multiple={false} legend="Record to amend" />
      <Select
        label="What the request is about" name="matter"
        value={matter}
        onChange={(v) => setMatter(v as AmendmentMatter)}
        options={AMENDMENT_MATTERS.map((m) => [m, AMENDMENT_MATTER_LABELS[m]])}
        hint={
          answered
            ? 'Not amendable under the institution’s policy: the request is answered now with an explanation, and there is no hearing.'
            : 'Clerical and calculation errors, duplicates, unauthorized entries and inaccurate, misleading or privacy-violating entries are reviewed and decided.'
        }
      />
      <TextArea label="Requested change" name="requestedChange" value={change} onChange={setChange} />
      <TextArea label="Reason given by the student" value={reason} onChange={setReason} />
      {answered && <TextArea label="Answer to the student (optional)" value={answer} onChange={setAnswer} hint="The institution’s standard explanation for this matter when left empty." />}
      <CasePicker label="Case id (optional)" value={caseId} onChange={setCaseId} />
    </ActionDialog>
  );
}

/** One step of the amendment state machine, with the fields that step needs. */
export function AmendmentActionDialog({ action, amendment, onClose, title }: { action: AmendmentAction | null; amendment: Amendment; onClose: () => void; title: string }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [note, setNote] = useState('');
  const [decision, setDecision] = useState<'amend' | 'deny'>('deny');
  const [outcome, setOutcome] = useState<'amended' | 'upheld'>('upheld');
  const [amendmentText, setAmendmentText] = useState('');
  const [when, setWhen] = useState('');
  const [location, setLocation] = useState('');
  const [officer, setOfficer] = useState('');
  useEffect(() => {
    setNote('');
    setAmendmentText('');
    setWhen('');
    setLocation('');
    setOfficer('');
  }, [action]);

  const id = amendment.id;
  async function run(): Promise<FormProblem | string | null> {
    let r;
    switch (action) {
      case 'amendments.startReview':
        r = await mutate(action, { id, ...(note.trim() ? { note } : {}) });
        break;
      case 'amendments.decide':
        r = await mutate(action, { id, decision, reason: note, ...(decision === 'amend' ? { amendmentText } : {}) });
        break;
      case 'amendments.requestHearing':
        r = await mutate(action, { id, ...(when ? { requestedAt: when } : {}) });
        break;
      case 'amendments.scheduleHearing':
        r = await mutate(action, { id, hearingAt: localToIso(when) ?? '', location, officer });
        break;
      case 'amendments.recordHearingOutcome':
        r = await mutate(action, { id, outcome, reason: note, ...(outcome === 'amended' ? { amendmentText } : {}) });
        break;
      case 'amendments.fileStatement':
        r = await mutate(action, { id, text: note, ...(when ? { filedAt: when } : {}) });
        break;
      case 'amendments.close':
        r = await mutate(action, { id, ...(note.trim() ? { note } : {}) });
        break;
      default:
        return null;
    }
    if (!r.ok) return r.error;
    notify('success', `${id}: done.`);
    return null;
  }

  return (
    <ActionDialog open={action !== null} title={title} submitLabel="Save" onClose={onClose} run={run} wide>
      {action === 'amendments.startReview' && <TextArea label="Note (optional)" value={note} onChange={setNote} />}
      {action === 'amendments.decide' && (
        <>
          <Select
            label="Decision"
            value={decision}
            onChange={(v) => setDecision(v as 'amend' | 'deny')}
            options={[
              ['deny', 'Deny: the record is accurate (the student may ask for a hearing)'],
              ['amend', 'Amend the record'],
            ]}
          />
          <TextArea label="Reason" value={note} onChange={setNote} hint="Sent to the student with the decision (99.20(c))." />
          {decision === 'amend' && <TextArea label="What was changed" name="amendmentText" value={amendmentText} onChange={setAmendmentText} />}
        </>
      )}
      {action === 'amendments.requestHearing' && (
        <TextField label="Requested on" type="date" value={when} onChange={setWhen} hint="Today when left empty; the hearing deadline follows from policy." />
      )}
      {action === 'amendments.scheduleHearing' && (
        <>
          <TextField label="Hearing date and time" name="hearingAt" type="datetime-local" value={when} onChange={setWhen} />
          <TextField label="Place" name="location" value={location} onChange={setLocation} />
          <TextField label="Hearing officer" name="officer" value={officer} onChange={setOfficer} hint="Anyone without a direct interest in the outcome (99.22(c)), not the person who decided." />
        </>
      )}
      {action === 'amendments.recordHearingOutcome' && (
        <>
          <Select
            label="Outcome"
            value={outcome}
            onChange={(v) => setOutcome(v as 'amended' | 'upheld')}
            options={[
              ['upheld', 'Upheld: the record stays (the student may file a statement)'],
              ['amended', 'Amend the record'],
            ]}
          />
          <TextArea label="Written decision" name="reason" value={note} onChange={setNote} />
          {outcome === 'amended' && <TextArea label="What was changed" name="amendmentText" value={amendmentText} onChange={setAmendmentText} />}
        </>
      )}
      {action === 'amendments.fileStatement' && (
        <>
          <TextArea label="Statement of the student" name="text" value={note} onChange={setNote} rows={5} hint="Kept with the record and disclosed with it from now on (99.21(c))." />
          <TextField label="Filed on" type="date" value={when} onChange={setWhen} hint="Today when left empty." />
        </>
      )}
      {action === 'amendments.close' && <TextArea label="Note (optional)" value={note} onChange={setNote} />}
    </ActionDialog>
  );
}
