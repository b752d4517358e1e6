import { useState } from 'react';
import { CLASSIFICATIONS, PERIOD_UNITS, RETENTION_ACTIONS, type AuditLogPolicyView, type RetentionPolicy } from '../../../../shared/contract/retention.js';
import { Alert } from '../../components/alert.js';
import { ActionDialog } from '../../components/dialog.js';
import { atField } from '../../components/form-errors.js';
import { Select, TextField } from '../../components/field.js';
import { formatCount, plural } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { ACTION_LABELS, CLASSIFICATION_LABELS, periodLabel } from './retention-ui.js';

/** An administrator changes one category's policy (mount it when it opens): period or permanent, action, classification. */
export function EditPolicyDialog({ policy: p, onClose, onDone }: { policy: RetentionPolicy; onClose: () => void; onDone: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [permanent, setPermanent] = useState(p.periodValue === null);
  const [value, setValue] = useState(String(p.periodValue ?? 7));
  const [unit, setUnit] = useState<string>(p.periodUnit ?? 'years');
  const [action, setAction] = useState<string>(p.action);
  const [classification, setClassification] = useState<string>(p.classification);
  return (
    <ActionDialog
      open
      title={`Retention of ${p.label}`}
      submitLabel="Save policy"
      onClose={onClose}
      run={async () => {
        const n = Number(value);
        if (!permanent && (!Number.isInteger(n) || n < 1 || n > 1200)) return atField('periodValue', 'Give the period as a whole number from 1 to 1200.');
        const res = await mutate('retention.setPolicy', {
          category: p.category,
          periodValue: permanent ? null : n,
          periodUnit: permanent ? null : (unit as RetentionPolicy['periodUnit'] & string),
          action: action as RetentionPolicy['action'],
          classification: classification as RetentionPolicy['classification'],
        });
        if (!res.ok) return res.error.message;
        const moved = res.value.recomputed;
        notify('success', `Retention of ${p.label.split(' (')[0]} set to ${periodLabel(res.value.policy)}, then ${ACTION_LABELS[res.value.policy.action].toLowerCase()}${moved ? `; ${formatCount(moved)} record dates recomputed` : ''}.`);
        onDone();
        return null;
      }}
    >
      <p className="muted">
        {p.label}. Shipped default: {p.source} The change is ledgered with the policy before and after, and the retention date of every kept record of this category follows it.
      </p>
      <label className="ferpa-check">
        <input type="checkbox" checked={permanent} onChange={(e) => setPermanent(e.target.checked)} />
        Keep permanently (never swept)
      </label>
      {!permanent && (
        <div className="ferpa-form__row">
          <TextField label="Period" name="periodValue" type="number" value={value} onChange={setValue} />
          <Select label="Unit" value={unit} onChange={setUnit} options={PERIOD_UNITS.map((u) => [u, u[0]!.toUpperCase() + u.slice(1)])} />
        </div>
      )}
      <div className="ferpa-form__row">
        <Select
          label="When the period has run out"
          value={action}
          onChange={setAction}
          options={RETENTION_ACTIONS.map((a) => [a, a === 'archive' ? 'Archive (read-only)' : 'Delete (hash kept)'])}
          hint={action === 'archive' ? 'Kept read-only, out of default lists, still exportable.' : 'Content destroyed; its SHA-256 stays in the ledger.'}
        />
        <Select label="Classification" value={classification} onChange={setClassification} options={CLASSIFICATIONS.map((c) => [c, CLASSIFICATION_LABELS[c]])} />
      </div>
      <Alert kind="info">Legal holds always win: no policy archives or deletes a record while a hold covers it.</Alert>
    </ActionDialog>
  );
}

/** An administrator changes how long the audit log keeps whole events (mount it when it opens), or keeps it in full. */
export function EditAuditLogDialog({ policy: p, onClose, onDone }: { policy: AuditLogPolicyView; onClose: () => void; onDone: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [full, setFull] = useState(p.periodValue === null);
  const [value, setValue] = useState(String(p.periodValue ?? 7));
  const [unit, setUnit] = useState<string>(p.periodUnit ?? 'years');
  return (
    <ActionDialog
      open
      title="Retention of the audit log"
      submitLabel="Save policy"
      onClose={onClose}
      run={async () => {
        const n = Number(value);
        if (!full && (!Number.isInteger(n) || n < 1 || n > 1200)) return 'Give the period as a whole number from 1 to 1200.';
        const res = await mutate('retention.setAuditLogPolicy', { periodValue: full ? null : n, periodUnit: full ? null : (unit as AuditLogPolicyView['periodUnit'] & string) });
        if (!res.ok) return res.error.message;
        const kept = res.value.policy;
        if (kept.pending && !full && kept.pending.periodValue === n && kept.pending.periodUnit === unit) {
          notify('info', `Asked for ${periodLabel(kept.pending)}: a shorter period applies once another administrator or a compliance officer approves it.`);
        } else {
          notify('success', kept.periodValue === null ? 'The audit log is now kept in full.' : `Audit-log events are now kept whole for ${periodLabel(kept)}; the next sweep prunes older ones to their hashes.`);
        }
        onDone();
        return null;
      }}
    >
      <p className="muted">
        Shipped default: {p.source} The change is ledgered with the period before and after. A longer period applies at once; a shorter one waits for a second person (another administrator or a
        compliance officer) to approve it.
      </p>
      <label className="ferpa-check">
        <input type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} />
        Keep the audit log in full (never prune)
      </label>
      {!full && (
        <div className="ferpa-form__row">
          <TextField label="Keep whole events for" type="number" value={value} onChange={setValue} />
          <Select label="Unit" value={unit} onChange={setUnit} options={PERIOD_UNITS.map((u) => [u, u[0]!.toUpperCase() + u.slice(1)])} />
        </div>
      )}
      <Alert kind="info">
        Pruning removes who, what and the details of older events; their hashes and a checkpoint signed at that point stay, so verification still proves every later event. Nothing is pruned while a legal hold is active.
      </Alert>
    </ActionDialog>
  );
}

/** Confirms a sweep now, stating what it will do (from the last preview). */
export function RunSweepDialog({
  counts,
  ledgerCount,
  onClose,
  onDone,
}: {
  counts: { archive: number; delete: number; held: number } | null;
  /** Audit-log events the sweep would prune (from the last preview), when known. */
  ledgerCount?: number;
  onClose: () => void;
  onDone: () => void;
}) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  return (
    <ActionDialog
      open
      danger
      title="Run the retention sweep now"
      submitLabel="Run sweep"
      onClose={onClose}
      run={async () => {
        const res = await mutate('retention.sweep', { via: 'screen' });
        if (!res.ok) return res.error.message;
        const r = res.value.run;
        const l = res.value.ledger;
        const pruned = l?.description ? ` Audit log: ${l.description}.` : l?.error ? ` Audit-log pruning failed: ${l.error}` : '';
        notify('success', `Sweep ${r.id}: ${formatCount(r.archived)} archived, ${formatCount(r.deleted)} deleted, ${formatCount(r.held)} kept under legal hold.${pruned}`);
        onDone();
        return null;
      }}
    >
      <p>
        {counts
          ? `As of now the sweep would archive ${formatCount(counts.archive)} and delete ${plural(counts.delete, 'record')} whose retention has run out, and skip ${formatCount(counts.held)} under legal hold.`
          : 'The sweep archives or deletes every record whose retention has run out and skips records under legal hold.'}
      </p>
      {ledgerCount !== undefined && ledgerCount > 0 && <p>It would also prune {formatCount(ledgerCount)} audit-log events older than the audit-log policy to their hashes.</p>}
      <p className="muted">Deleted content cannot be recovered: only a tombstone and the content’s SHA-256 in the ledger remain. Each record gets its own ledger event, and the run a closing event with the counts.</p>
    </ActionDialog>
  );
}
