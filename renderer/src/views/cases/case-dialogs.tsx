import { useEffect, useState } from 'react';
import { CASE_TYPES, type CaseStatus, type CaseSummary, type CaseType, type LinkItemType } from '../../../../shared/contract/cases.js';
import { ActionDialog } from '../../components/dialog.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { EvidencePicker, RecordChooser, SubjectPicker } from '../../components/pickers.js';
import { UserPicker } from '../../components/pickers.js';
import { useAppStore } from '../../store/index.js';
import { CASE_TYPE_LABELS } from './casework-ui.js';

/** Opens a case. */
export function NewCaseDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const me = useAppStore((s) => s.user?.username ?? '');
  const [title, setTitle] = useState('');
  const [type, setType] = useState<CaseType>('investigation');
  const [description, setDescription] = useState('');
  const [assignee, setAssignee] = useState('');
  useEffect(() => {
    if (!open) return;
    setTitle('');
    setType('investigation');
    setDescription('');
    setAssignee(me);
  }, [open, me]);
  return (
    <ActionDialog
      open={open}
      title="New case"
      submitLabel="Open case"
      onClose={onClose}
      wide
      run={async () => {
        const r = await mutate('cases.create', { title, type, description, assignee: assignee.trim() || null });
        if (!r.ok) return r.error;
        notify('success', `Case ${r.value.case.id} opened.`);
        onCreated(r.value.case.id);
        return null;
      }}
    >
      <TextField label="Title" value={title} onChange={setTitle} placeholder="e.g. Gradebook tampering allegation — TAX 201" />
      <div className="ferpa-form__row">
        <Select label="Type" value={type} onChange={(v) => setType(v as CaseType)} options={CASE_TYPES.map((t) => [t, CASE_TYPE_LABELS[t] ?? t])} />
        <UserPicker label="Assignee" value={assignee} onChange={setAssignee} none="Nobody yet" hint="Someone who works cases (not an auditor or viewer)." />
      </div>
      <TextArea label="Description" value={description} onChange={setDescription} rows={4} />
    </ActionDialog>
  );
}

/** Assigns the case to someone (or nobody). */
export function AssignDialog({ open, c, onClose }: { open: boolean; c: CaseSummary; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [assignee, setAssignee] = useState('');
  useEffect(() => {
    if (open) setAssignee(c.assignee ?? '');
  }, [open, c]);
  return (
    <ActionDialog
      open={open}
      title={`Assign ${c.id}`}
      submitLabel="Assign"
      onClose={onClose}
      run={async () => {
        const r = await mutate('cases.assign', { id: c.id, assignee: assignee.trim() || null });
        return r.ok ? null : r.error;
      }}
    >
      <UserPicker label="Assignee" value={assignee} onChange={setAssignee} none="Nobody (unassign)" hint="Auditors and viewers cannot be assigned cases." />
    </ActionDialog>
  );
}

const STATUS_TEXT: Record<CaseStatus, string> = {
  open: 'The case returns to active work.',
  on_hold: 'The case is paused. Work can resume by reopening it.',
  closed: 'The case is closed for good: no new links, holds or evidence can be added. Closing cannot be undone; a closed case cannot be reopened.',
};

/** Moves the case to another status, saying what will happen. */
export function StatusDialog({ to, c, onClose }: { to: CaseStatus | null; c: CaseSummary; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [reason, setReason] = useState('');
  useEffect(() => setReason(''), [to]);
  const label = to === 'closed' ? 'Close case' : to === 'on_hold' ? 'Put on hold' : 'Reopen';
  return (
    <ActionDialog
      open={to !== null}
      title={`${label}: ${c.id}`}
      submitLabel={label}
      danger={to === 'closed'}
      onClose={onClose}
      run={async () => {
        if (!to) return null;
        const r = await mutate('cases.setStatus', { id: c.id, status: to, reason });
        return r.ok ? null : r.error;
      }}
    >
      <p>{to ? STATUS_TEXT[to] : ''}</p>
      <TextArea label="Reason (recorded in the ledger)" value={reason} onChange={setReason} />
    </ActionDialog>
  );
}

/** Adds a note (notes cannot be edited or deleted). */
export function NoteDialog({ open, caseId, onClose }: { open: boolean; caseId: string; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [body, setBody] = useState('');
  useEffect(() => {
    if (open) setBody('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title={`Add a note to ${caseId}`}
      submitLabel="Add note"
      onClose={onClose}
      run={async () => {
        const r = await mutate('cases.addNote', { id: caseId, body });
        return r.ok ? null : r.error;
      }}
    >
      <TextArea label="Note" name="body" value={body} onChange={setBody} rows={6} hint="Notes are permanent: a correction is a new note. The ledger records that a note was added, not its text." />
    </ActionDialog>
  );
}

/** Links a subject, one of their records, or an evidence item to the case. */
export function LinkDialog({ open, caseId, onClose }: { open: boolean; caseId: string; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [type, setType] = useState<LinkItemType>('subject');
  const [subjectId, setSubjectId] = useState('');
  const [records, setRecords] = useState<string[]>([]);
  const [evidenceId, setEvidenceId] = useState('');
  useEffect(() => {
    if (!open) return;
    setType('subject');
    setSubjectId('');
    setRecords([]);
    setEvidenceId('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title={`Link to ${caseId}`}
      submitLabel="Link"
      onClose={onClose}
      wide
      run={async () => {
        const ids = type === 'subject' ? [subjectId.trim()] : type === 'record' ? records : [evidenceId.trim()];
        if (ids.length === 0 || !ids[0]) return 'Choose what to link first.';
        for (const itemId of ids) {
          const r = await mutate('cases.link', { id: caseId, itemType: type, itemId });
          if (!r.ok) return r.error;
        }
        return null;
      }}
    >
      <Select
        label="What to link"
        value={type}
        onChange={(v) => setType(v as LinkItemType)}
        options={[
          ['subject', 'A subject (student)'],
          ['record', 'Records of a subject'],
          ['evidence', 'An evidence item'],
        ]}
      />
      {type !== 'evidence' && <SubjectPicker value={subjectId} onChange={setSubjectId} />}
      {type === 'record' && <RecordChooser subjectId={subjectId} value={records} onChange={setRecords} multiple legend="Records to link" />}
      {type === 'evidence' && <EvidencePicker value={evidenceId} onChange={setEvidenceId} />}
    </ActionDialog>
  );
}
