import type { WorkflowStepState } from '../../../../shared/contract/workflows.js';
import { DueBadge, StateBadge } from '../../components/badge.js';
import { RESTRICTED } from '../../../../shared/data-classes.js';
import { DetailPane, Facts, Restricted, Section } from '../../components/detail-pane.js';
import { Icon } from '../../components/icons.js';
import { formatDate, formatDateTime, plural } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import type { WorkflowDetail } from '../../store/lists.js';
import { useListActions } from '../../store/use-list.js';
import { STATE_TONES, STEP_TONES, valueText } from './workflow-ui.js';

/** One step of the checklist: what it asks, when it is due, and once recorded, by whom, when and with what. */
function StepItem({ step, canRecord, onRecord, onRequirement }: { step: WorkflowStepState; canRecord: boolean; onRecord: () => void; onRequirement: (key: string) => void }) {
  const pending = step.status === 'pending';
  const shown = Object.entries(step.data);
  return (
    <li className={`wf-step wf-step--${step.status}${step.overdue ? ' is-overdue' : ''}`} data-testid={`step-${step.id}`}>
      <span className="wf-step__mark" aria-hidden="true">
        {step.status === 'done' ? <Icon name="check" size={14} /> : step.status === 'skipped' ? <Icon name="x" size={14} /> : null}
      </span>
      <div className="wf-step__body">
        <div className="wf-step__head">
          <strong className="wf-step__title">{step.title}</strong>
          {pending ? <DueBadge dueAt={step.dueAt} /> : <StateBadge state={step.status} tones={STEP_TONES} />}
        </div>
        <p className="wf-step__description muted">{step.description}</p>
        {pending ? (
          <div className="wf-step__meta muted">
            Due {formatDate(step.dueAt)}
            {step.fields.some((f) => f.required) && ` · asks for ${step.fields.filter((f) => f.required).map((f) => f.label.toLowerCase()).join(', ')}`}
          </div>
        ) : (
          <div className="wf-step__meta muted">
            {step.status === 'done' ? 'Done' : 'Skipped'} by {step.doneBy} · {step.doneAt ? formatDateTime(step.doneAt) : ''} · due {formatDate(step.dueAt)}
          </div>
        )}
        {shown.length > 0 && (
          <dl className="wf-step__data">
            {shown.map(([k, v]) => (
              <div key={k}>
                <dt>{step.fields.find((f) => f.id === k)?.label ?? k}</dt>
                <dd>{valueText(v)}</dd>
              </div>
            ))}
          </dl>
        )}
        {step.note && <p className="wf-step__note">{step.note === RESTRICTED ? <Restricted /> : step.note}</p>}
        {step.requirements.length > 0 && (
          <div className="wf-step__reqs">
            <span className="muted">Evidence for</span>
            {step.requirements.map((r) => (
              <button
                key={`${r.framework} ${r.requirementId}`}
                type="button"
                className="casework-link mono"
                onClick={() => onRequirement(`${r.framework} ${r.requirementId}`)}
                title={`Open ${r.framework} ${r.requirementId} in Compliance (link this step's ledger event when you assess it)`}
              >
                {r.framework} {r.requirementId}
              </button>
            ))}
          </div>
        )}
      </div>
      {canRecord && (
        <button type="button" className="btn btn--sm wf-step__action" onClick={onRecord} aria-label={`Record: ${step.title}`}>
          Record…
        </button>
      )}
    </li>
  );
}

/** The open workflow: its people and dates, and its steps as a checklist with the next action beside each pending one. */
export function WorkflowPane({
  detail,
  onClose,
  onRecord,
  onAssign,
  onCancel,
}: {
  detail: WorkflowDetail;
  onClose: () => void;
  onRecord: (stepId: string) => void;
  onAssign: () => void;
  onCancel: () => void;
}) {
  const w = detail.workflow;
  const navigate = useAppStore((s) => s.navigate);
  const canAdvance = useCan('workflows.advance');
  const canAssign = useCan('workflows.assign');
  const canCancel = useCan('workflows.cancel');
  const requirements = useListActions('requirementList');
  // A step's requirement opens in the Compliance tab, where its assessment can link this step's ledger event.
  const openRequirement = (key: string) => {
    navigate('compliance');
    void requirements.open(key);
  };
  const open = w.state === 'open';
  // In an ordered workflow only the first pending step can be recorded.
  const firstPending = detail.steps.find((s) => s.status === 'pending')?.id;
  const recordable = (s: WorkflowStepState) => open && canAdvance && s.status === 'pending' && (!detail.ordered || s.id === firstPending);
  return (
    <DetailPane title={w.id} badge={<StateBadge state={w.state} tones={STATE_TONES} />} onClose={onClose} testId="workflow-detail">
      <p className="detail__lead">{w.title === RESTRICTED ? <Restricted /> : w.title}</p>
      <p className="comp-framework muted">{w.templateTitle}</p>
      {open && (canAssign || canCancel) && (
        <div className="ferpa-actions">
          {canAssign && (
            <button type="button" className="btn btn--sm" onClick={onAssign}>
              Owner and stakeholders…
            </button>
          )}
          {canCancel && (
            <button type="button" className="btn btn--sm btn--ghost" onClick={onCancel}>
              Cancel workflow…
            </button>
          )}
        </div>
      )}
      <Section title="Workflow">
        <Facts
          rows={[
            ['Owner', w.owner],
            ['Stakeholders', w.stakeholders.length > 0 ? w.stakeholders.join(', ') : null],
            ['Due', open ? <DueBadge key="d" dueAt={w.dueAt} /> : formatDate(w.dueAt)],
            ['Progress', `${w.finished} of ${plural(w.steps, 'step')}`],
            [
              'Case',
              w.caseId ? (
                <button key="c" type="button" className="casework-link mono" onClick={() => navigate(`cases/${w.caseId}`)}>
                  {w.caseId}
                </button>
              ) : null,
            ],
            ['Period', w.period],
            ['Started', `${formatDateTime(w.createdAt)} by ${w.createdBy}`],
            ['Order', detail.ordered ? 'Steps are recorded in order' : 'Steps in any order'],
          ]}
        />
        {w.state === 'cancelled' && detail.note && <p className="wf-cancelled">Cancelled: {detail.note === RESTRICTED ? <Restricted /> : detail.note}</p>}
      </Section>
      <Section title={`Steps (${w.finished}/${w.steps})`}>
        <ol className="wf-steps" aria-label={`Steps of ${w.id}`}>
          {detail.steps.map((s) => (
            <StepItem key={s.id} step={s} canRecord={recordable(s)} onRecord={() => onRecord(s.id)} onRequirement={openRequirement} />
          ))}
        </ol>
      </Section>
    </DetailPane>
  );
}
