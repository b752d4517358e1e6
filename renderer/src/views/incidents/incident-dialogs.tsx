import { useEffect, useState } from 'react';
import {
  INCIDENT_CLASSIFICATION_LABELS,
  INCIDENT_CLASSIFICATIONS,
  INCIDENT_LINK_TYPES,
  INCIDENT_SEVERITIES,
  NOTIFICATION_METHODS,
  NOTIFICATION_RECIPIENT_LABELS,
  NOTIFICATION_RECIPIENT_TYPES,
  type Incident,
  type IncidentTask,
} from '../../../../shared/contract/incidents.js';
import { Alert } from '../../components/alert.js';
import { ActionDialog } from '../../components/dialog.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { CasePicker, EvidencePicker, HoldPicker } from '../../components/pickers.js';
import { formatDateTime, localToIso } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';

const label = (v: string) => v.replace(/_/g, ' ');

/** Records a new security incident; a data breach starts the 1/24/72-hour clock from the discovery time. */
export function CreateIncidentDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [title, setTitle] = useState('');
  const [classification, setClassification] = useState<Incident['classification']>('data_breach');
  const [severity, setSeverity] = useState<Incident['severity']>('high');
  const [discovered, setDiscovered] = useState('');
  const [systems, setSystems] = useState('');
  const [description, setDescription] = useState('');
  const [ssn, setSsn] = useState('no');
  const [caseId, setCaseId] = useState('');
  useEffect(() => {
    if (!open) return;
    setTitle('');
    setClassification('data_breach');
    setSeverity('high');
    setDiscovered('');
    setSystems('');
    setDescription('');
    setSsn('no');
    setCaseId('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title="Record a security incident"
      submitLabel="Record incident"
      onClose={onClose}
      wide
      run={async () => {
        const discoveredAt = localToIso(discovered);
        const r = await mutate('incidents.create', {
          title,
          classification,
          severity,
          ...(discoveredAt ? { discoveredAt } : {}),
          description,
          systemsAffected: systems
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
          ssnExposed: ssn === 'yes',
          ...(caseId.trim() ? { caseId: caseId.trim() } : {}),
        });
        if (!r.ok) return r.error;
        const clock = r.value.incident.clock.tasks;
        notify('success', clock ? `Incident ${r.value.incident.id} recorded; its breach clock started with ${clock} tasks.` : `Incident ${r.value.incident.id} recorded.`);
        onCreated(r.value.incident.id);
        return null;
      }}
    >
      <TextField label="Title" value={title} onChange={setTitle} required maxLength={300} />
      <Select label="Classification" value={classification} onChange={(v) => setClassification(v as Incident['classification'])} options={INCIDENT_CLASSIFICATIONS.map((c) => [c, INCIDENT_CLASSIFICATION_LABELS[c]])} hint="A data breach starts the 1-, 24- and 72-hour clock from the discovery time." />
      <Select label="Severity" value={severity} onChange={(v) => setSeverity(v as Incident['severity'])} options={INCIDENT_SEVERITIES.map((s) => [s, s])} />
      <TextField label="Discovered at" type="datetime-local" value={discovered} onChange={setDiscovered} hint="Leave empty for now." />
      <TextArea label="Systems affected (one per line)" value={systems} onChange={setSystems} />
      <Select label="Social Security numbers exposed" value={ssn} onChange={setSsn} options={[['no', 'No / not known yet'], ['yes', 'Yes: offer identity monitoring']]} />
      <CasePicker label="Case (optional)" value={caseId} onChange={setCaseId} />
      <TextArea label="Description" value={description} onChange={setDescription} />
    </ActionDialog>
  );
}

/** Marks one clock task done with a note. */
export function CompleteTaskDialog({ incidentId, task, onClose }: { incidentId: string; task: IncidentTask | null; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [note, setNote] = useState('');
  const [doneAt, setDoneAt] = useState('');
  useEffect(() => {
    setNote('');
    setDoneAt('');
  }, [task]);
  return (
    <ActionDialog
      open={task !== null}
      title={`Complete: ${task?.title ?? ''}`}
      submitLabel="Mark done"
      onClose={onClose}
      run={async () => {
        if (!task) return null;
        const at = localToIso(doneAt);
        const r = await mutate('incidents.completeTask', { id: incidentId, task: task.key, note, ...(at ? { doneAt: at } : {}) });
        if (!r.ok) return r.error;
        notify('success', `"${task.title}" done${r.value.task.late ? ' (after its due time)' : ''}.`);
        return null;
      }}
    >
      {task && <p className="muted">Due {formatDateTime(task.dueAt)} ({task.phase.toLowerCase()} of discovery).</p>}
      <TextArea label="What was done" name="note" value={note} onChange={setNote} />
      <TextField label="Done at" type="datetime-local" value={doneAt} onChange={setDoneAt} hint="Leave empty for now." />
    </ActionDialog>
  );
}

/** Records who was told of the incident, when and how. */
export function NotificationDialog({ open, incidentId, onClose }: { open: boolean; incidentId: string; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [recipientType, setRecipientType] = useState<string>('student');
  const [recipient, setRecipient] = useState('');
  const [method, setMethod] = useState<string>('letter');
  const [at, setAt] = useState('');
  const [note, setNote] = useState('');
  useEffect(() => {
    if (!open) return;
    setRecipientType('student');
    setRecipient('');
    setMethod('letter');
    setAt('');
    setNote('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title="Record a notification"
      submitLabel="Record notification"
      onClose={onClose}
      run={async () => {
        const notifiedAt = localToIso(at);
        const r = await mutate('incidents.recordNotification', {
          id: incidentId,
          recipientType: recipientType as (typeof NOTIFICATION_RECIPIENT_TYPES)[number],
          recipient,
          method: method as (typeof NOTIFICATION_METHODS)[number],
          note,
          ...(notifiedAt ? { notifiedAt } : {}),
        });
        if (!r.ok) return r.error;
        notify('success', `Notification of ${recipient} recorded.`);
        return null;
      }}
    >
      <Select label="Who was told" value={recipientType} onChange={setRecipientType} options={NOTIFICATION_RECIPIENT_TYPES.map((t) => [t, NOTIFICATION_RECIPIENT_LABELS[t]])} />
      <TextField label="Name or office" value={recipient} onChange={setRecipient} required maxLength={300} />
      <Select label="How" value={method} onChange={setMethod} options={NOTIFICATION_METHODS.map((m) => [m, label(m)])} />
      <TextField label="When" type="datetime-local" value={at} onChange={setAt} hint="Leave empty for now." />
      <TextArea label="Note" value={note} onChange={setNote} />
    </ActionDialog>
  );
}

/** Adds a response action to the timeline. */
export function ActionEntryDialog({ open, incidentId, onClose }: { open: boolean; incidentId: string; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [text, setText] = useState('');
  useEffect(() => setText(''), [open]);
  return (
    <ActionDialog
      open={open}
      title="Add a response action"
      submitLabel="Add to timeline"
      onClose={onClose}
      run={async () => {
        const r = await mutate('incidents.addAction', { id: incidentId, text });
        return r.ok ? null : r.error;
      }}
    >
      <TextArea label="What was done" name="text" value={text} onChange={setText} />
    </ActionDialog>
  );
}

/** Links the incident to a case, evidence item or legal hold. */
const LINK_KIND_LABELS: Record<(typeof INCIDENT_LINK_TYPES)[number], string> = { case: 'Case', evidence: 'Evidence item', hold: 'Legal hold' };

export function LinkDialog({ open, incidentId, onClose }: { open: boolean; incidentId: string; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [itemType, setItemType] = useState<string>('case');
  const [itemId, setItemId] = useState('');
  useEffect(() => setItemId(''), [open, itemType]);
  return (
    <ActionDialog
      open={open}
      title="Link a case, evidence item or hold"
      submitLabel="Link"
      onClose={onClose}
      run={async () => {
        const r = await mutate('incidents.link', { id: incidentId, itemType: itemType as (typeof INCIDENT_LINK_TYPES)[number], itemId: itemId.trim() });
        return r.ok ? null : r.error;
      }}
    >
      <Select label="Kind" value={itemType} onChange={setItemType} options={INCIDENT_LINK_TYPES.map((t) => [t, LINK_KIND_LABELS[t]])} />
      {itemType === 'case' && <CasePicker value={itemId} onChange={setItemId} />}
      {itemType === 'evidence' && <EvidencePicker value={itemId} onChange={setItemId} />}
      {itemType === 'hold' && <HoldPicker value={itemId} onChange={setItemId} />}
    </ActionDialog>
  );
}

/** Moves the incident on: contained, or closed (a closed incident takes no more work). */
export function StatusDialog({ incident, to, onClose }: { incident: Incident; to: 'contained' | 'closed' | null; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const open = incident.clock.tasks - incident.clock.done;
  // What the core requires before closing an incident on the clock (breach-clock.json `close`), said before the attempt.
  const unfinished = [
    ...(open > 0 ? [`its ${open} open clock task${open === 1 ? ' is' : 's are'} done`] : []),
    ...(incident.counselReviewRequired && !incident.counselReviewedAt ? ['legal counsel has recorded a review'] : []),
  ];
  return (
    <ActionDialog
      open={to !== null}
      title={to === 'closed' ? `Close ${incident.id}?` : `Mark ${incident.id} contained?`}
      submitLabel={to === 'closed' ? 'Close incident' : 'Mark contained'}
      danger={to === 'closed'}
      onClose={onClose}
      run={async () => {
        if (!to) return null;
        const r = await mutate('incidents.update', { id: incident.id, status: to });
        return r.ok ? null : r.error;
      }}
    >
      <p>{to === 'closed' ? 'A closed incident takes no more tasks, notifications, actions or links, and leaves the due list.' : 'The incident stays open for work; the clock keeps running.'}</p>
      {to === 'closed' && unfinished.length > 0 && (
        <Alert kind="warn">
          <strong>The response is not finished.</strong> An incident on the breach clock closes once {unfinished.join(' and ')}. Closing now will be refused.
        </Alert>
      )}
    </ActionDialog>
  );
}

/** Legal counsel records their review of the response (seed 002). */
export function CounselReviewDialog({ open, incidentId, onClose }: { open: boolean; incidentId: string; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [note, setNote] = useState('');
  useEffect(() => setNote(''), [open]);
  return (
    <ActionDialog
      open={open}
      title="Record counsel review"
      submitLabel="Record review"
      onClose={onClose}
      run={async () => {
        const r = await mutate('incidents.counselReview', { id: incidentId, note });
        return r.ok ? null : r.error;
      }}
    >
      <TextArea label="Review" name="note" value={note} onChange={setNote} />
    </ActionDialog>
  );
}
