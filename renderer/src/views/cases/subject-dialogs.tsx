import { useEffect, useState } from 'react';
import { SUBJECT_KINDS, type RecordSummary, type Subject } from '../../../../shared/contract/subjects.js';
import { client } from '../../api/client.js';
import { ActionDialog } from '../../components/dialog.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import type { RecordCategory } from '../../store/casework-slice.js';
import { useAppStore } from '../../store/index.js';
import { useCategoryLabels } from '../../lib/use-category-labels.js';
import { formatDate, plural } from '../../lib/format.js';
import { keptText } from '../../../../shared/kept-text.js';

const KIND_LABELS: Record<Subject['kind'], string> = {
  student: 'Student',
  parent: 'Parent',
  employee: 'Employee',
  applicant: 'Applicant',
  other: 'Other',
};

export function kindLabel(kind: Subject['kind']): string {
  return KIND_LABELS[kind];
}

/** "kept 3 years", "kept permanently": an ISO 8601 period of the retention policy, for people. */
export function retentionText(period: string | null): string {
  if (!period) return 'kept permanently';
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(period);
  if (!m) return `kept ${period}`;
  const parts = [
    [m[1], 'year'],
    [m[2], 'month'],
    [m[3], 'day'],
  ]
    .filter(([n]) => n && n !== '0')
    .map(([n, unit]) => `${n} ${unit}${n === '1' ? '' : 's'}`);
  return `kept ${parts.join(' ')} from the record date`;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Adds a person whose records the workspace holds, with their FERPA 99.37 directory-information choice. */
export function NewSubjectDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [name, setName] = useState('');
  const [externalId, setExternalId] = useState('');
  const [kind, setKind] = useState<Subject['kind']>('student');
  const [email, setEmail] = useState('');
  const [dob, setDob] = useState('');
  const [optOut, setOptOut] = useState(false);
  useEffect(() => {
    if (!open) return;
    setName('');
    setExternalId('');
    setKind('student');
    setEmail('');
    setDob('');
    setOptOut(false);
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title="New subject"
      submitLabel="Add subject"
      onClose={onClose}
      wide
      run={async () => {
        const r = await mutate('subjects.create', {
          displayName: name,
          kind,
          externalId: externalId.trim() || null,
          email: email.trim() || null,
          dateOfBirth: dob || null,
          directoryOptOut: optOut,
        });
        if (!r.ok) return r.error;
        notify('success', `${r.value.subject.displayName} was added as ${r.value.subject.id}.`);
        onCreated(r.value.subject.id);
        return null;
      }}
    >
      <div className="ferpa-form__row">
        <TextField label="Name" value={name} onChange={setName} placeholder="e.g. Jordan Alvarez" />
        <Select label="Kind" value={kind} onChange={(v) => setKind(v as Subject['kind'])} options={SUBJECT_KINDS.map((k) => [k, KIND_LABELS[k]])} />
      </div>
      <div className="ferpa-form__row">
        <TextField label="Student or staff id (optional)" value={externalId} onChange={setExternalId} placeholder="e.g. S-10442" />
        <TextField label="Date of birth (optional)" type="date" value={dob} onChange={setDob} />
      </div>
      <TextField label="E-mail (optional)" value={email} onChange={setEmail} />
      <label className="ferpa-check">
        <input type="checkbox" checked={optOut} onChange={(e) => setOptOut(e.target.checked)} />
        <span>Opted out of directory information (34 CFR 99.37): name, e-mail and enrollment status may not be disclosed as directory information.</span>
      </label>
      <p className="muted">The ledger records that a subject was added, never their name or details.</p>
    </ActionDialog>
  );
}

/** Records or withdraws the subject's directory-information opt-out. */
export function DirectoryOptOutDialog({ open, subject, onClose }: { open: boolean; subject: Subject; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const optOut = !subject.directoryOptOut;
  return (
    <ActionDialog
      open={open}
      title={optOut ? `Record the opt-out of ${subject.id}` : `Withdraw the opt-out of ${subject.id}`}
      submitLabel={optOut ? 'Record opt-out' : 'Withdraw opt-out'}
      onClose={onClose}
      run={async () => {
        const r = await mutate('subjects.setDirectoryOptOut', { id: subject.id, optOut });
        return r.ok ? null : r.error;
      }}
    >
      <p>
        {optOut
          ? `From now on nothing about ${subject.displayName} may be disclosed as directory information; a disclosure needs their consent or another legal basis (34 CFR 99.37).`
          : `${subject.displayName} allows directory information again: name, e-mail, enrollment and certificate status may be disclosed without consent.`}
      </p>
    </ActionDialog>
  );
}

/**
 * Records whether the student is a tax dependent (seed 002: by IRS tax deduction rules) and on what
 * evidence; a parent receives records without the student's consent only while it says dependent.
 */
export function DependencyDialog({ open, subject, onClose }: { open: boolean; subject: Subject; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [dependent, setDependent] = useState(true);
  const [evidence, setEvidence] = useState('');
  useEffect(() => {
    if (!open) return;
    setDependent(typeof subject.dependency === 'object' && subject.dependency ? subject.dependency.dependent : true);
    setEvidence('');
  }, [open, subject.dependency]);
  return (
    <ActionDialog
      open={open}
      title={`Dependent status of ${subject.id}`}
      submitLabel="Record status"
      onClose={onClose}
      run={async () => {
        const r = await mutate('subjects.setDependency', { id: subject.id, dependent, evidence });
        return r.ok ? null : r.error;
      }}
    >
      <fieldset className="ferpa-records">
        <legend className="field__label">Under IRS tax deduction rules, {subject.displayName} is</legend>
        <label className="ferpa-check">
          <input type="radio" name="dependent" checked={dependent} onChange={() => setDependent(true)} />
          <span>A dependent: their parents may receive education records without the student’s consent (34 CFR 99.31(a)(8))</span>
        </label>
        <label className="ferpa-check">
          <input type="radio" name="dependent" checked={!dependent} onChange={() => setDependent(false)} />
          <span>Not a dependent: the student alone decides; parents need the student’s written consent</span>
        </label>
      </fieldset>
      <TextArea label="Evidence" value={evidence} onChange={setEvidence} hint="What the status rests on, e.g. the parents’ federal return for 2025 naming the student. Kept with the subject and in the ledger." />
    </ActionDialog>
  );
}

/** Adds a record about the subject; the core computes how long it is kept from its category's policy. */
export function AddRecordDialog({
  open,
  subject,
  categories,
  onClose,
}: {
  open: boolean;
  subject: Subject;
  categories: RecordCategory[];
  onClose: () => void;
}) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [category, setCategory] = useState('');
  const [title, setTitle] = useState('');
  const [recordDate, setRecordDate] = useState(today());
  const [source, setSource] = useState('');
  const [content, setContent] = useState('');
  useEffect(() => {
    if (!open) return;
    setCategory(categories[0]?.key ?? '');
    setTitle('');
    setRecordDate(today());
    setSource('');
    setContent('');
  }, [open, categories]);
  const chosen = categories.find((c) => c.key === category);
  return (
    <ActionDialog
      open={open}
      title={`Add a record for ${subject.displayName}`}
      submitLabel="Add record"
      onClose={onClose}
      wide
      run={async () => {
        const r = await mutate('records.create', { subjectId: subject.id, category, title, content, source, recordDate });
        if (!r.ok) return r.error;
        const rec = r.value.record;
        notify('success', `${rec.id} added; kept ${keptText(rec.retentionUntil, chosen?.action)} under the retention policy.`);
        return null;
      }}
    >
      <div className="ferpa-form__row">
        <Select
          label="Category"
          value={category}
          onChange={setCategory}
          options={categories.map((c) => [c.key, c.label])}
          hint={chosen ? `${retentionText(chosen.period)}. ${chosen.source}` : undefined}
        />
        <TextField label="Record date" type="date" value={recordDate} onChange={setRecordDate} hint="Retention is counted from this date." />
      </div>
      <TextField label="Title" value={title} onChange={setTitle} placeholder="e.g. Grade report, fall 2025" />
      <TextField label="Source (optional)" value={source} onChange={setSource} placeholder="e.g. Student information system" />
      <TextArea label="Content" value={content} onChange={setContent} rows={5} hint="Stored encrypted in the workspace; every view is recorded in the ledger." />
    </ActionDialog>
  );
}

/** Opens a record's content for a stated purpose: the view is ledgered (records.view, the FERPA access log). */
export function ViewRecordDialog({
  record,
  onClose,
  onLoaded,
}: {
  record: RecordSummary | null;
  onClose: () => void;
  onLoaded: (content: string | null) => void;
}) {
  const [purpose, setPurpose] = useState('');
  useEffect(() => {
    if (record) setPurpose('');
  }, [record]);
  return (
    <ActionDialog
      open={record !== null}
      title={`View ${record?.id ?? ''}`}
      submitLabel="View record"
      onClose={onClose}
      run={async () => {
        if (!record) return null;
        const r = await client.call('records.get', { id: record.id, purpose: purpose.trim() || 'review' });
        if (!r.ok) return r.error;
        onLoaded(r.value.content);
        return null;
      }}
    >
      <p className="muted">Every view of a record is recorded in the ledger with your name and the purpose you give (the access log FERPA asks for).</p>
      <TextField label="Purpose" value={purpose} onChange={setPurpose} placeholder="e.g. Review for the amendment request" />
    </ActionDialog>
  );
}

/** Erases a record's content on the subject's request, where the retention policy allows it; never while held. */
export function EraseRecordDialog({ record, onClose }: { record: RecordSummary | null; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (record) setReason('');
  }, [record]);
  return (
    <ActionDialog
      open={record !== null}
      title={`Erase ${record?.id ?? ''}`}
      submitLabel="Erase content"
      danger
      onClose={onClose}
      run={async () => {
        if (!record) return null;
        const r = await mutate('records.erase', { id: record.id, reason });
        if (!r.ok) return r.error;
        notify('success', `The content of ${record.id} was erased; the record remains as a tombstone in the ledger.`);
        return null;
      }}
    >
      <p>
        The title and content of <strong>{record?.title}</strong> are destroyed; only the fact that the record existed remains. This cannot be undone. Records under legal hold, and records
        the retention policy must keep, are refused.
      </p>
      <TextArea label="Reason (recorded in the ledger)" value={reason} onChange={setReason} />
    </ActionDialog>
  );
}

/**
 * Applies the retention action to the subject's records whose retention has run out: content destroyed
 * where the category's policy deletes, the record archived (kept read-only) where it archives; held
 * records are refused and stay intact.
 */
export function PurgeExpiredDialog({ open, records, categories, onClose }: { open: boolean; records: RecordSummary[]; categories: RecordCategory[]; onClose: () => void }) {
  const categoryName = useCategoryLabels();
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const archives = (r: RecordSummary) => categories.find((c) => c.key === r.category)?.action === 'archive';
  const toArchive = records.filter(archives).length;
  return (
    <ActionDialog
      open={open}
      title="Purge records past retention"
      submitLabel={`Purge ${records.length} record${records.length === 1 ? '' : 's'}`}
      danger
      onClose={onClose}
      run={async () => {
        const r = await mutate('records.purgeExpired', { ids: records.map((x) => x.id) });
        if (!r.ok) return r.error;
        const purged = r.value.purged.length;
        const archived = r.value.archived.length;
        const parts = [...(purged > 0 ? [`purged ${plural(purged, 'record')}`] : []), ...(archived > 0 ? [`archived ${plural(archived, 'record')}`] : [])];
        notify('success', `${parts.join(' and ').replace(/^./, (c) => c.toUpperCase())} past retention; each is recorded in the ledger.`);
        return null;
      }}
    >
      <p>
        Their retention period has run out. {toArchive < records.length && 'Where the policy deletes, the content is destroyed and the record stays as a tombstone; this cannot be undone. '}
        {toArchive > 0 && 'Where the policy archives, the record is kept read-only, out of default lists. '}
        If any of them is under legal hold, nothing is changed and the refusal is recorded in the ledger.
      </p>
      <ul className="ferpa-list">
        {records.map((r) => (
          <li key={r.id}>
            <span className="mono">{r.id}</span>
            <span>{r.title}</span>
            <span className="muted">
              {categoryName(r.category)}, kept until {r.retentionUntil ? formatDate(r.retentionUntil) : '—'}: {archives(r) ? 'to be archived' : 'content to be destroyed'}
            </span>
          </li>
        ))}
      </ul>
    </ActionDialog>
  );
}
