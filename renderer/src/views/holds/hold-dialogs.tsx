import { useEffect, useState } from 'react';
import { ACK_METHODS, type Custodian, type Hold } from '../../../../shared/contract/holds.js';
import { client } from '../../api/client.js';
import { ActionDialog } from '../../components/dialog.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { CasePicker, SubjectsPicker } from '../../components/pickers.js';
import { useAppStore } from '../../store/index.js';

function lines(v: string): string[] {
  return v
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** "Jane Park <jpark@example.edu>" or "Jane Park, jpark@example.edu" per line → custodians. */
function parseCustodians(v: string): { name: string; email: string }[] {
  return v
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const angle = /^(.*?)\s*<([^>]+)>$/.exec(l);
      if (angle) return { name: (angle[1] ?? '').trim() || (angle[2] ?? ''), email: (angle[2] ?? '').trim() };
      const email = /[^\s,;]+@[^\s,;]+/.exec(l)?.[0] ?? '';
      const name = l.replace(email, '').replace(/[,;]\s*$/, '').trim();
      return { name: name || email, email };
    });
}

/** Creates a draft legal hold for a case, with custodians and scope. */
export function CreateHoldDialog({ open, caseId, onClose, onCreated }: { open: boolean; caseId: string; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [caseRef, setCaseRef] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [custodians, setCustodians] = useState('');
  const [subjects, setSubjects] = useState<string[]>([]);
  const [categories, setCategories] = useState<string[]>([]);
  const [allCategories, setAllCategories] = useState<{ key: string; label: string }[]>([]);
  const [keywords, setKeywords] = useState('');
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  useEffect(() => {
    if (!open) return;
    setCaseRef(caseId);
    setTitle('');
    setDescription('');
    setCustodians('');
    setCategories([]);
    setKeywords('');
    setDateFrom('');
    setDateTo('');
    setSubjects([]);
    void client.call('records.categories', {}).then((r) => r.ok && setAllCategories(r.value.categories.map((c) => ({ key: c.key, label: c.label }))));
    // The case's linked subjects are the usual starting scope.
    if (caseId) {
      void client.call('cases.get', { id: caseId }).then((r) => {
        if (r.ok) setSubjects(r.value.links.filter((l) => l.itemType === 'subject').map((l) => l.itemId));
      });
    }
  }, [open, caseId]);
  return (
    <ActionDialog
      open={open}
      title="Create a legal hold"
      submitLabel="Create draft hold"
      onClose={onClose}
      wide
      run={async () => {
        const r = await mutate('holds.create', {
          caseId: caseRef.trim(),
          title,
          description,
          custodians: parseCustodians(custodians),
          scope: { subjectIds: subjects, categories, keywords: lines(keywords), dateFrom: dateFrom || null, dateTo: dateTo || null },
        });
        if (!r.ok) return r.error;
        notify('success', `Legal hold ${r.value.hold.id} created as a draft; activate it to put it into effect.`);
        onCreated(r.value.hold.id);
        return null;
      }}
    >
      <p className="muted">
        The hold protects everything linked to the case, plus whatever its scope matches (every criterion you give must match). It starts as a draft and takes effect when you activate it.
      </p>
      <div className="ferpa-form__row">
        <CasePicker label="Case" value={caseRef} onChange={setCaseRef} />
        <TextField label="Title" value={title} onChange={setTitle} placeholder="e.g. Preserve LMS and gradebook records" />
      </div>
      <TextArea label="Description" value={description} onChange={setDescription} />
      <TextArea label="Custodians" value={custodians} onChange={setCustodians} hint="One per line: Name <email>." />
      <SubjectsPicker label="Subjects" name="scope.subjectIds" value={subjects} onChange={setSubjects} />
      <TextField label="Keywords" name="scope.keywords" value={keywords} onChange={setKeywords} hint="Comma-separated search terms." />
      <div className="ferpa-form__row">
        <TextField label="From date" name="scope.dateFrom" type="date" value={dateFrom} onChange={setDateFrom} />
        <TextField label="To date" name="scope.dateTo" type="date" value={dateTo} onChange={setDateTo} />
      </div>
      <fieldset className="ferpa-records">
        <legend className="field__label">Record categories</legend>
        {allCategories.map((c) => (
          <label key={c.key} className="ferpa-check">
            <input
              type="checkbox"
              checked={categories.includes(c.key)}
              onChange={(e) => setCategories(e.target.checked ? [...categories, c.key] : categories.filter((x) => x !== c.key))}
            />
            <span>{c.label}</span>
          </label>
        ))}
      </fieldset>
    </ActionDialog>
  );
}

/** Activates a draft, saying what will become protected; optionally requests a signed snapshot bundle of its case. */
export function ActivateDialog({ open, hold, counts, onClose }: { open: boolean; hold: Hold; counts: { evidence: number; records: number }; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [snapshot, setSnapshot] = useState(false);
  useEffect(() => {
    if (open) setSnapshot(false);
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title={`Activate ${hold.id}`}
      submitLabel="Activate hold"
      danger
      onClose={onClose}
      run={async () => {
        const r = await mutate('holds.activate', { id: hold.id, snapshot });
        if (r.ok && r.value.snapshotRequestId) {
          notify('success', `${hold.id} is active. Snapshot bundle ${r.value.snapshotRequestId} was requested: once another approver approves it on Exports, you make it there.`);
        }
        return r.ok ? null : r.error;
      }}
    >
      <p>
        From now on, {counts.evidence} evidence item{counts.evidence === 1 ? '' : 's'} and {counts.records} record{counts.records === 1 ? '' : 's'} (and anything later linked to case {hold.caseId} or matching
        the scope) cannot be disposed of, purged, erased or destructively edited. Case {hold.caseId} goes on hold. The scope can no longer change.
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={snapshot} onChange={(e) => setSnapshot(e.target.checked)} />
        <span>
          Snapshot the held scope into a signed bundle
          <br />
          <span className="field__hint">
            Requests a signed bundle of case {hold.caseId} (its events, evidence files and disclosures) as they stand at the activation: what is added while the request waits stays out. It carries evidence, so another approver approves it on Exports before you make it.
          </span>
        </span>
      </label>
    </ActionDialog>
  );
}

/** Releases an active hold with a reason; release notices go to every notified custodian. */
export function ReleaseDialog({ open, hold, onClose }: { open: boolean; hold: Hold; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (open) setReason('');
  }, [open]);
  const notified = hold.custodianCounts.sent + hold.custodianCounts.acknowledged + hold.custodianCounts.escalated;
  return (
    <ActionDialog
      open={open}
      title={`Release ${hold.id}`}
      submitLabel="Release hold"
      danger
      onClose={onClose}
      run={async () => {
        const r = await mutate('holds.release', { id: hold.id, reason });
        if (!r.ok) return r.error;
        notify('success', `${hold.id} released; ${r.value.notices.length} release notice${r.value.notices.length === 1 ? '' : 's'} issued.`);
        return null;
      }}
    >
      <p>
        Items this hold protects become free to dispose of, purge or erase — unless another active hold still covers them. A release notice is issued to {notified} notified custodian
        {notified === 1 ? '' : 's'}. The case reopens if this is its last active hold. Releasing cannot be undone; a new hold would be needed.
      </p>
      <TextArea label="Reason for the release" value={reason} onChange={setReason} />
    </ActionDialog>
  );
}

/** Adds a custodian to a draft or active hold. */
export function AddCustodianDialog({ open, holdId, onClose }: { open: boolean; holdId: string; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  useEffect(() => {
    if (!open) return;
    setName('');
    setEmail('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title={`Add a custodian to ${holdId}`}
      submitLabel="Add custodian"
      onClose={onClose}
      run={async () => {
        const r = await mutate('holds.addCustodian', { id: holdId, custodian: { name, email: email.trim() } });
        return r.ok ? null : r.error;
      }}
    >
      <div className="ferpa-form__row">
        <TextField label="Name" value={name} onChange={setName} />
        <TextField label="E-mail" value={email} onChange={setEmail} />
      </div>
    </ActionDialog>
  );
}

/** Records a custodian's acknowledgement and how it was given. */
export function AcknowledgeDialog({ custodian, holdId, onClose }: { custodian: Custodian | null; holdId: string; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [method, setMethod] = useState<(typeof ACK_METHODS)[number]>('email');
  useEffect(() => setMethod('email'), [custodian]);
  return (
    <ActionDialog
      open={custodian !== null}
      title={custodian ? `Acknowledgement from ${custodian.name}` : ''}
      submitLabel="Record acknowledgement"
      onClose={onClose}
      run={async () => {
        if (!custodian) return null;
        const r = await mutate('holds.acknowledge', { id: holdId, custodianId: custodian.id, method });
        return r.ok ? null : r.error;
      }}
    >
      <Select label="How it was acknowledged" value={method} onChange={(v) => setMethod(v as (typeof ACK_METHODS)[number])} options={ACK_METHODS.map((m) => [m, m])} />
    </ActionDialog>
  );
}
