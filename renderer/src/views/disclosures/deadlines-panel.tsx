import { useEffect, useState } from 'react';
import type { Deadline, DeadlineKind } from '../../../../shared/contract/deadlines.js';
import { dayCountLabel } from '../../../../shared/day-count.js';
import { Alert } from '../../components/alert.js';
import { Badge } from '../../components/badge.js';
import { ActionDialog } from '../../components/dialog.js';
import { EmptyState } from '../../components/empty-state.js';
import { TextArea, TextField } from '../../components/field.js';
import { HeaderButton, PageHeader } from '../../components/page-header.js';
import { SubjectPicker } from '../../components/pickers.js';
import { formatDate, formatDateTime } from '../../lib/format.js';
import { itemRoute } from '../../lib/routes.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { useListActions } from '../../store/use-list.js';
import './deadlines.css';

const KIND_LABELS: Record<DeadlineKind, string> = {
  amendment_decision: 'Amendment decision',
  amendment_hearing: 'Amendment hearing',
  amendment_hearing_decision: 'Hearing decision',
  subpoena_notice: 'Subpoena notice',
  subpoena_response: 'Subpoena response',
  hold_reminder: 'Hold reminder',
  hold_escalation: 'Hold escalation',
  access_request: 'Access request (45 days)',
  key_rotation: 'Database key rotation',
  assessment: 'Compliance assessment',
  workflow_step: 'Workflow step',
  incident_task: 'Breach clock task',
  privacy_request: 'Privacy request (GDPR/CCPA)',
};

const ROUTES: Record<string, string> = { amendment: 'amendments', subpoena: 'subpoenas', hold: 'holds', workflow: 'compliance/workflows', requirement: 'compliance', incident: 'incidents', privacy_request: 'requests' };

/** The breach clock counts hours: within two days of its due time an incident task shows hours, not days. */
function hoursText(d: Deadline): string | null {
  if (d.kind !== 'incident_task') return null;
  const ms = new Date(d.dueAt).getTime() - Date.now();
  const hours = Math.max(1, Math.round(Math.abs(ms) / 3_600_000));
  if (hours >= 48) return null;
  const words = `${hours} hour${hours === 1 ? '' : 's'}`;
  return ms < 0 ? `${words} overdue` : `${words} left`;
}

/** The core's day count (calendar days in the workspace's time zone) in the product's one wording. */
function Remaining({ d }: { d: Deadline }) {
  const hours = hoursText(d);
  if (hours) return <Badge tone={d.overdue ? 'danger' : 'warn'}>{hours}</Badge>;
  return <Badge tone={d.overdue ? 'danger' : d.dueSoon ? 'warn' : 'neutral'}>{dayCountLabel(d.daysRemaining)}</Badge>;
}

/**
 * The due list in a narrow card (the dashboard): one row per deadline with what it is, its kind
 * and due date, and the days left; the full table with its actions is on the Deadlines screen.
 */
function CompactDueList({ items, onOpen }: { items: Deadline[]; onOpen: (route: string, id: string) => void }) {
  return (
    <ul className="due-list" data-testid="deadlines-table" aria-label="Open deadlines, overdue first">
      {items.map((d) => {
        const route = ROUTES[d.refType];
        return (
          <li key={`${d.kind}-${d.refId}-${d.title}`} className={`due-list__item${d.overdue ? ' is-overdue' : d.dueSoon ? ' is-soon' : ''}`}>
            <div className="due-list__what">
              {route ? (
                <button type="button" className="deadlines__link" onClick={() => onOpen(route, d.refId)}>
                  {d.title}
                </button>
              ) : (
                <span>{d.title}</span>
              )}
              <span className="due-list__meta">
                {KIND_LABELS[d.kind]} · due <time dateTime={d.dueDate} title={formatDateTime(d.dueAt)}>{formatDate(d.dueDate)}</time>
              </span>
            </div>
            <Remaining d={d} />
          </li>
        );
      })}
    </ul>
  );
}

/** The one due list: amendments, subpoena notices and responses, hold reminders and access requests, overdue first. */
export function DeadlinesPanel({ limit }: { limit?: number }) {
  const items = useAppStore((s) => s.deadlineList.items);
  const error = useAppStore((s) => s.deadlineList.error);
  const load = useListActions('deadlineList').load;
  const navigate = useAppStore((s) => s.navigate);
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const showRecoveryKey = useAppStore((s) => s.showRecoveryKey);
  const canFulfil = useCan('accessRequests.fulfill');
  const canRekey = useCan('workspace.rekey');
  const [fulfilling, setFulfilling] = useState<Deadline | null>(null);
  const [rekeying, setRekeying] = useState(false);
  const [note, setNote] = useState('');

  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <Alert kind="error">{error}</Alert>;
  if (!items) return <p className="muted deadlines__wrap">Loading the due list…</p>;
  const shown = limit ? items.slice(0, limit) : items;
  const overdue = items.filter((d) => d.overdue).length;
  const soon = items.filter((d) => d.dueSoon).length;
  return (
    <section className="deadlines" aria-label="Due list">
      <div className="deadlines__summary" aria-live="polite">
        <Badge tone={overdue > 0 ? 'danger' : 'ok'} size="lg">
          {overdue} overdue
        </Badge>
        <Badge tone={soon > 0 ? 'warn' : 'neutral'} size="lg">
          {soon} due within a week
        </Badge>
        <Badge size="lg">{items.length} open deadlines</Badge>
      </div>
      {items.length === 0 ? (
        <EmptyState icon="clock" title="Nothing is due">
          Decisions on amendment requests, notices and responses to subpoenas, hold reminders and access requests appear here with their days remaining.
        </EmptyState>
      ) : (
        <div className="deadlines__wrap">
          {limit ? (
            <CompactDueList items={shown} onOpen={(route, id) => navigate(itemRoute(route, id))} />
          ) : (
            <table className="table" data-testid="deadlines-table">
              <caption className="visually-hidden">Open deadlines, soonest first</caption>
              <thead>
                <tr>
                  <th scope="col">Due</th>
                  <th scope="col">Remaining</th>
                  <th scope="col">Kind</th>
                  <th scope="col">What</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((d) => {
                  const route = ROUTES[d.refType];
                  return (
                    <tr key={`${d.kind}-${d.refId}-${d.title}`} className={d.overdue ? 'is-overdue' : d.dueSoon ? 'is-soon' : undefined}>
                      <td className="num" title={formatDateTime(d.dueAt)}>
                        <time dateTime={d.dueDate}>{formatDate(d.dueDate)}</time>
                      </td>
                      <td>
                        <Remaining d={d} />
                      </td>
                      <td>{KIND_LABELS[d.kind]}</td>
                      <td>
                        {route ? (
                          <button type="button" className="deadlines__link" onClick={() => navigate(itemRoute(route, d.refId))}>
                            {d.title}
                          </button>
                        ) : (
                          d.title
                        )}
                      </td>
                      <td className="cell-actions">
                        {d.kind === 'key_rotation' && canRekey && (
                          <button type="button" className="btn btn--sm" onClick={() => setRekeying(true)}>
                            Re-key now
                          </button>
                        )}
                        {d.kind === 'access_request' && canFulfil && (
                          <button type="button" className="btn btn--sm" onClick={() => { setNote(''); setFulfilling(d); }}>
                            Mark fulfilled
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {limit && items.length > limit && (
            <button type="button" className="btn btn--ghost btn--sm" onClick={() => navigate('deadlines')}>
              All {items.length} deadlines
            </button>
          )}
        </div>
      )}
      <ActionDialog
        open={fulfilling !== null}
        title={`Access given: ${fulfilling?.refId ?? ''}`}
        submitLabel="Mark fulfilled"
        onClose={() => setFulfilling(null)}
        run={async () => {
          if (!fulfilling) return null;
          const r = await mutate('accessRequests.fulfill', { id: fulfilling.refId, note });
          if (!r.ok) return r.error;
          notify('success', `${fulfilling.refId} fulfilled.`);
          return null;
        }}
      >
        <TextArea label="How the records were made available" name="note" value={note} onChange={setNote} />
      </ActionDialog>
      <ActionDialog
        open={rekeying}
        title="Re-key the database?"
        submitLabel="Re-key now"
        onClose={() => setRekeying(false)}
        run={async () => {
          const r = await mutate('workspace.rekey', {});
          if (!r.ok) return r.error;
          if (r.value.recoveryKey) {
            showRecoveryKey(r.value.recoveryKey);
            notify('info', 'The database has a new key and a new recovery key; copy the recovery key from Settings → Users now.');
          } else {
            notify('success', `The database has a new key (generation ${r.value.generation}); every keyslot was carried over.`);
          }
          return null;
        }}
      >
        <p>
          The database gets a new random key and every user’s keyslot and the recovery key receive it. Copies of the workspace taken before keep the old key. The re-key is recorded in the
          ledger; the next one is due in 90 days.
        </p>
      </ActionDialog>
    </section>
  );
}

/** Logs a request to inspect records (due in 45 days, policy). */
function AccessRequestDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  const [subjectId, setSubjectId] = useState('');
  const [requester, setRequester] = useState('');
  const [description, setDescription] = useState('');
  const [date, setDate] = useState('');
  useEffect(() => {
    if (!open) return;
    setSubjectId('');
    setRequester('');
    setDescription('');
    setDate('');
  }, [open]);
  return (
    <ActionDialog
      open={open}
      title="Log an access request"
      submitLabel="Log request"
      onClose={onClose}
      run={async () => {
        const r = await mutate('accessRequests.create', { subjectId: subjectId.trim(), requester, description, ...(date ? { requestedAt: date } : {}) });
        if (!r.ok) return r.error;
        notify('success', `Access request ${r.value.request.id} logged; due by ${formatDate(r.value.request.dueAt)}.`);
        return null;
      }}
    >
      <SubjectPicker value={subjectId} onChange={setSubjectId} />
      <TextField label="Requested by" name="requester" value={requester} onChange={setRequester} hint="The student, or the parent of a dependent student." />
      <TextArea label="What they ask to inspect" name="description" value={description} onChange={setDescription} />
      <TextField label="Requested on" type="date" value={date} onChange={setDate} hint="Today when left empty." />
    </ActionDialog>
  );
}

/** The due list as its own screen. */
export function DeadlinesView() {
  const canLog = useCan('accessRequests.create');
  const load = useListActions('deadlineList').load;
  const [logging, setLogging] = useState(false);
  return (
    <div className="page ferpa">
      <PageHeader
        tight
        title="Deadlines"
        subtitle="Everything due across amendment requests, subpoenas, legal holds and access requests, soonest first; durations come from policy."
        actions={
          <>
            <HeaderButton icon="refresh" onClick={() => void load()}>
              Refresh
            </HeaderButton>
            {canLog && (
              <HeaderButton icon="plus" primary onClick={() => setLogging(true)}>
                Log an access request
              </HeaderButton>
            )}
          </>
        }
      />
      <DeadlinesPanel />
      <AccessRequestDialog open={logging} onClose={() => setLogging(false)} />
    </div>
  );
}
