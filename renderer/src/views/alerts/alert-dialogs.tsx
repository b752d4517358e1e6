import { useEffect, useState } from 'react';
import { ALERT_RULE_LABELS, type Alert } from '../../../../shared/contract/alerts.js';
import { INCIDENT_SEVERITIES } from '../../../../shared/contract/incidents.js';
import { ActionDialog } from '../../components/dialog.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { useAppStore } from '../../store/index.js';

/** Acknowledges an alert with a note of what was found (final: the alert takes no more handling). */
export function AcknowledgeDialog({ alert, open, onClose }: { alert: Alert; open: boolean; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [note, setNote] = useState('');
  useEffect(() => setNote(''), [open]);
  return (
    <ActionDialog
      open={open}
      title={`Acknowledge ${alert.id}`}
      submitLabel="Acknowledge"
      onClose={onClose}
      run={async () => {
        const r = await mutate('alerts.acknowledge', { id: alert.id, note });
        return r.ok ? null : r.error;
      }}
    >
      <p className="muted">{`${ALERT_RULE_LABELS[alert.rule]}: ${alert.summary} Acknowledging closes the alert; the note is kept in the ledger.`}</p>
      <TextArea label="What you found" name="note" value={note} onChange={setNote} />
    </ActionDialog>
  );
}

/** Escalates an alert into a security incident (unauthorized access), linked to it. */
export function EscalateDialog({ alert, open, onClose, onEscalated }: { alert: Alert; open: boolean; onClose: () => void; onEscalated: (incidentId: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Alert['severity']>(alert.severity);
  const [note, setNote] = useState('');
  useEffect(() => {
    setTitle(`${ALERT_RULE_LABELS[alert.rule]}: ${alert.subject}`);
    setSeverity(alert.severity);
    setNote('');
  }, [open, alert]);
  return (
    <ActionDialog
      open={open}
      title={`Escalate ${alert.id} into an incident`}
      submitLabel="Create incident"
      onClose={onClose}
      run={async () => {
        const r = await mutate('alerts.escalate', { id: alert.id, note, title, severity });
        if (!r.ok) return r.error;
        notify('success', `Incident ${r.value.incidentId} was created from ${alert.id}.`);
        onEscalated(r.value.incidentId);
        return null;
      }}
    >
      <p className="muted">A security incident classified as unauthorized access is recorded, discovered when the alert fired, and linked to this alert.</p>
      <TextField label="Incident title" name="title" value={title} onChange={setTitle} required maxLength={300} />
      <Select label="Severity" value={severity} onChange={(v) => setSeverity(v as Alert['severity'])} options={INCIDENT_SEVERITIES.map((s) => [s, s])} />
      <TextArea label="Why it is an incident" name="note" value={note} onChange={setNote} />
    </ActionDialog>
  );
}
