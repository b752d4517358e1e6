import { useEffect, useState } from 'react';
import type { WorkflowStepState, WorkflowSummary, WorkflowTemplateInfo } from '../../../../shared/contract/workflows.js';
import { client } from '../../api/client.js';
import { ActionDialog } from '../../components/dialog.js';
import { atField } from '../../components/form-errors.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { CasePicker } from '../../components/pickers.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { recurrenceText } from './workflow-ui.js';
import { plural } from '../../lib/format.js';

type UserChoice = { username: string; displayName: string }[] | 'text' | null;

/** The active users for those who may list them; 'text' (type a username) otherwise. */
function useUserChoice(): UserChoice {
  const canList = useCan('users.list');
  const [users, setUsers] = useState<UserChoice>(canList ? null : 'text');
  useEffect(() => {
    if (canList) {
      void client.call('users.list', { limit: 500 }).then((res) => setUsers(res.ok ? res.value.items.filter((u) => !u.disabled).map((u) => ({ username: u.username, displayName: u.displayName })) : 'text'));
    }
  }, [canList]);
  return users;
}

/** Owner and stakeholders: a select and checkboxes of the users, or two text boxes when they cannot be listed. */
function People({ users, owner, setOwner, stakeholders, setStakeholders }: { users: UserChoice; owner: string; setOwner: (v: string) => void; stakeholders: string[]; setStakeholders: (v: string[]) => void }) {
  if (users === null) return <p className="muted">Loading the workspace’s users…</p>;
  if (users === 'text') {
    return (
      <>
        <TextField label="Owner" value={owner} onChange={setOwner} hint="A username." />
        <TextField label="Stakeholders" value={stakeholders.join(', ')} onChange={(v) => setStakeholders(v.split(',').map((x) => x.trim()).filter(Boolean))} hint="Usernames, separated by commas." />
      </>
    );
  }
  return (
    <>
      <Select label="Owner" value={owner} onChange={setOwner} options={users.map((u): [string, string] => [u.username, `${u.displayName} (${u.username})`])} />
      <fieldset className="wf-people">
        <legend className="field__label">Stakeholders</legend>
        <div className="wf-people__list">
          {users
            .filter((u) => u.username !== owner)
            .map((u) => (
              <label key={u.username} className="ferpa-check">
                <input
                  type="checkbox"
                  checked={stakeholders.includes(u.username)}
                  onChange={(e) => setStakeholders(e.target.checked ? [...stakeholders, u.username] : stakeholders.filter((s) => s !== u.username))}
                />
                <span>{u.displayName}</span>
              </label>
            ))}
        </div>
      </fieldset>
    </>
  );
}

/** Today plus `days`, as YYYY-MM-DD. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Starts an instance of a template (mount it when it opens): title, owner, stakeholders, due date and the case it belongs to. */
export function StartDialog({ templates, open, onClose, onStarted }: { templates: WorkflowTemplateInfo[]; open: boolean; onClose: () => void; onStarted: (id: string) => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const me = useAppStore((s) => s.user?.username ?? '');
  const users = useUserChoice();
  const [templateId, setTemplateId] = useState(templates.find((t) => t.recurrence.every === 'none')?.id ?? templates[0]?.id ?? '');
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState(me);
  const [stakeholders, setStakeholders] = useState<string[]>([]);
  const [due, setDue] = useState('');
  const [caseId, setCaseId] = useState('');
  const t = templates.find((x) => x.id === templateId);
  return (
    <ActionDialog
      open={open}
      title="Start a workflow"
      submitLabel="Start workflow"
      wide
      onClose={onClose}
      run={async () => {
        if (!t) return 'Choose a template.';
        if (!title.trim()) return atField('title', 'Give the workflow a title, e.g. who the request is from or which period it covers.');
        const res = await mutate('workflows.start', {
          templateId,
          title: title.trim(),
          owner: owner.trim(),
          stakeholders,
          ...(due ? { dueAt: due } : {}),
          ...(caseId.trim() ? { caseId: caseId.trim() } : {}),
        });
        if (!res.ok) return res.error.message;
        notify('success', `Workflow ${res.value.workflow.id} started.`);
        onStarted(res.value.workflow.id);
        return null;
      }}
    >
      <Select label="Template" value={templateId} onChange={setTemplateId} options={templates.map((x): [string, string] => [x.id, x.title])} />
      {t && (
        <p className="muted wf-template-note">
          {t.description} {plural(t.steps.length, 'step')}{t.ordered ? ', recorded in order' : ''}. {recurrenceText(t)}.
        </p>
      )}
      <TextField label="Title" value={title} onChange={setTitle} placeholder={t ? `${t.title} – …` : ''} maxLength={200} />
      <People users={users} owner={owner} setOwner={setOwner} stakeholders={stakeholders} setStakeholders={setStakeholders} />
      <div className="ferpa-form__row">
        <TextField label="Due" type="date" value={due} onChange={setDue} hint={t ? `Leave empty for ${inDays(t.defaultDueDays)} (${plural(t.defaultDueDays, 'day')}).` : undefined} />
        <CasePicker label="Related case (optional)" value={caseId} onChange={setCaseId} />
      </div>
    </ActionDialog>
  );
}

/** Records one step as done with its data, or as skipped with the reason (mount it when it opens). */
export function RecordStepDialog({ workflow, step, open, onClose }: { workflow: WorkflowSummary; step: WorkflowStepState; open: boolean; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [outcome, setOutcome] = useState<'done' | 'skipped'>('done');
  const [values, setValues] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const set = (id: string, v: string) => setValues({ ...values, [id]: v });
  return (
    <ActionDialog
      open={open}
      title={step.title}
      submitLabel={outcome === 'done' ? 'Record as done' : 'Record as skipped'}
      wide
      onClose={onClose}
      run={async () => {
        const data: Record<string, string | number | boolean> = {};
        for (const f of step.fields) {
          const v = (values[f.id] ?? '').trim();
          if (!v) continue;
          if (f.type === 'count') {
            if (!/^\d+$/.test(v)) return `"${f.label}" must be a whole number.`;
            data[f.id] = Number(v);
          } else if (f.type === 'yesno') data[f.id] = v === 'yes';
          else data[f.id] = v;
        }
        if (outcome === 'skipped' && !note.trim()) return atField('note', 'Say why the step is skipped.');
        const res = await mutate('workflows.advance', { id: workflow.id, stepId: step.id, outcome, data, ...(note.trim() ? { note: note.trim() } : {}) });
        if (!res.ok) return res.error.message;
        notify('success', res.value.workflow.state === 'completed' ? `${workflow.id} is complete.` : `“${step.title}” recorded.`);
        return null;
      }}
    >
      <p className="muted">{step.description}</p>
      <fieldset className="wf-outcome">
        <legend className="field__label">Outcome</legend>
        {(['done', 'skipped'] as const).map((o) => (
          <label key={o} className="ferpa-check">
            <input type="radio" name="wf-outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
            <span>{o === 'done' ? 'Done' : 'Skipped (does not apply this time)'}</span>
          </label>
        ))}
      </fieldset>
      {step.fields.length > 0 && (
        <div className="wf-fields">
          {step.fields.map((f) =>
            f.type === 'yesno' ? (
              <Select key={f.id} label={`${f.label}${f.required && outcome === 'done' ? ' (required)' : ''}`} value={values[f.id] ?? ''} onChange={(v) => set(f.id, v)} options={[['', '—'], ['yes', 'Yes'], ['no', 'No']]} />
            ) : (
              <TextField
                key={f.id}
                label={`${f.label}${f.required && outcome === 'done' ? ' (required)' : ''}`}
                type={f.type === 'date' ? 'date' : 'text'}
                inputMode={f.type === 'count' ? 'numeric' : undefined}
                value={values[f.id] ?? ''}
                onChange={(v) => set(f.id, v)}
              />
            ),
          )}
        </div>
      )}
      <TextArea label={outcome === 'skipped' ? 'Why it is skipped' : 'Note (optional)'} name="note" value={note} onChange={setNote} rows={3} />
      <p className="muted">Recorded once, under your name and the time now, and ledgered.</p>
    </ActionDialog>
  );
}

/** Changes the owner and stakeholders of an open workflow. */
export function AssignDialog({ workflow, open, onClose }: { workflow: WorkflowSummary; open: boolean; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const users = useUserChoice();
  const [owner, setOwner] = useState(workflow.owner);
  const [stakeholders, setStakeholders] = useState<string[]>(workflow.stakeholders);
  return (
    <ActionDialog
      open={open}
      title={`People of ${workflow.id}`}
      submitLabel="Save"
      onClose={onClose}
      run={async () => {
        const res = await mutate('workflows.assign', { id: workflow.id, owner: owner.trim(), stakeholders: stakeholders.filter((s) => s !== owner) });
        return res.ok ? null : res.error.message;
      }}
    >
      <p className="muted">The owner sees the workflow through; stakeholders follow it.</p>
      <People users={users} owner={owner} setOwner={setOwner} stakeholders={stakeholders} setStakeholders={setStakeholders} />
    </ActionDialog>
  );
}

/** Cancels an open workflow, with the reason; pending steps stay as they are. */
export function CancelDialog({ workflow, open, onClose }: { workflow: WorkflowSummary; open: boolean; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [reason, setReason] = useState('');
  return (
    <ActionDialog
      open={open}
      title={`Cancel ${workflow.id}?`}
      submitLabel="Cancel workflow"
      danger
      onClose={onClose}
      run={async () => {
        if (!reason.trim()) return atField('reason', 'Give the reason for cancelling.');
        const res = await mutate('workflows.cancel', { id: workflow.id, reason: reason.trim() });
        return res.ok ? null : res.error.message;
      }}
    >
      <p>
        “{workflow.title}” stops here with {workflow.steps - workflow.finished} of {plural(workflow.steps, 'step')} not recorded. The cancellation is ledgered and cannot be undone; start a new workflow to do the work later.
      </p>
      <TextArea label="Reason" value={reason} onChange={setReason} rows={3} />
    </ActionDialog>
  );
}

/** Which recurring templates this workspace runs: each scheduled one gets an instance per period, created when due. */
export function ScheduleDialog({ templates, open, onClose, onChanged }: { templates: WorkflowTemplateInfo[]; open: boolean; onClose: () => void; onChanged: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const recurring = templates.filter((t) => t.recurrence.every !== 'none');
  const [wanted, setWanted] = useState<Record<string, boolean>>(Object.fromEntries(recurring.map((t) => [t.id, t.scheduled])));
  return (
    <ActionDialog
      open={open}
      title="Recurring workflows"
      submitLabel="Save schedule"
      wide
      onClose={onClose}
      run={async () => {
        for (const t of recurring.filter((x) => wanted[x.id] !== x.scheduled)) {
          const res = await mutate('workflows.schedule', { templateId: t.id, scheduled: wanted[t.id] === true });
          if (!res.ok) return res.error.message;
          if (res.value.started.length > 0) notify('success', `${t.title}: ${res.value.started.join(', ')} started for the current period.`);
        }
        onChanged();
        return null;
      }}
    >
      <p className="muted">A scheduled template gets one workflow per period, created when the period opens (checked at every sign-in), owned by whoever scheduled it. Each change is ledgered.</p>
      <ul className="wf-schedule">
        {recurring.map((t) => (
          <li key={t.id}>
            <label className="ferpa-check">
              <input type="checkbox" checked={wanted[t.id] === true} onChange={(e) => setWanted({ ...wanted, [t.id]: e.target.checked })} />
              <span>
                <strong>{t.title}</strong>
                <span className="muted wf-schedule__when">{recurrenceText(t)}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </ActionDialog>
  );
}
