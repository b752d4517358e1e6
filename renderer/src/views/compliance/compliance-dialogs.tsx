import { useState } from 'react';
import { ASSESSMENT_EVIDENCE_TYPES, COMPLIANCE_STATUSES, type EvidenceLink, type RequirementState } from '../../../../shared/contract/compliance.js';
import { ActionDialog } from '../../components/dialog.js';
import { atField } from '../../components/form-errors.js';
import { Select, TextArea, TextField } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { UserPicker } from '../../components/pickers.js';
import { useAppStore } from '../../store/index.js';
import { EVIDENCE_LINK_LABELS, interval, STATUS_LABELS } from './compliance-ui.js';

const ASSESSABLE = COMPLIANCE_STATUSES.filter((s) => s !== 'not_assessed');
type LinkType = EvidenceLink['type'];

/** Today plus `days`, as YYYY-MM-DD (the core's default next assessment). */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Records an assessment (mount it when it opens): status, implemented, notes, evidence it rests on, and when to look again. */
export function AssessDialog({ requirement: r, open, onClose }: { requirement: RequirementState; open: boolean; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const notify = useAppStore((s) => s.notify);
  // Mounted afresh for each assessment, so the form starts from the requirement as it stands.
  const [status, setStatus] = useState<string>(r.status === 'not_assessed' ? 'compliant' : r.status);
  const [implemented, setImplemented] = useState(r.implemented);
  const [notes, setNotes] = useState('');
  const [next, setNext] = useState('');
  const [links, setLinks] = useState<{ type: LinkType; id: string }[]>([]);
  const setLink = (i: number, patch: Partial<{ type: LinkType; id: string }>) => setLinks(links.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <ActionDialog
      open={open}
      title={`Assess ${r.requirementId}`}
      submitLabel="Record assessment"
      wide
      onClose={onClose}
      run={async () => {
        if (!notes.trim()) return atField('notes', 'Write what you checked and what you found; an assessment needs notes.');
        const res = await mutate('requirements.assess', {
          frameworkId: r.frameworkId,
          requirementId: r.requirementId,
          status: status as Exclude<RequirementState['status'], 'not_assessed'>,
          implemented,
          notes,
          evidence: links.filter((l) => l.id.trim()).map((l) => ({ type: l.type, id: l.id.trim() })),
          ...(next ? { nextAssessmentAt: next } : {}),
        });
        if (!res.ok) return res.error.message;
        notify('success', `${r.requirementId} assessed ${STATUS_LABELS[res.value.requirement.status].toLowerCase()}.`);
        return null;
      }}
    >
      <p className="muted">
        {r.frameworkName} · {r.title}. The assessment is kept for good and ledgered; a later one supersedes it.
      </p>
      <div className="ferpa-form__row">
        <Select label="Status" value={status} onChange={setStatus} options={ASSESSABLE.map((s) => [s, STATUS_LABELS[s]])} />
        <TextField label="Next assessment" type="date" value={next} onChange={setNext} hint={`Leave empty for today plus ${interval(r.assessmentIntervalDays)} (${inDays(r.assessmentIntervalDays)}).`} />
      </div>
      <label className="ferpa-check">
        <input type="checkbox" checked={implemented} onChange={(e) => setImplemented(e.target.checked)} />
        <span>The control is implemented</span>
      </label>
      <TextArea label="Notes" value={notes} onChange={setNotes} rows={4} hint="Required: what you checked, what you found, and any gap." />
      <fieldset className="comp-links">
        <legend className="field__label">Evidence</legend>
        {links.length === 0 && <p className="muted comp-links__none">No evidence linked. Link a ledger event, an evidence item, an export or a report this assessment rests on.</p>}
        {links.map((l, i) => (
          <div key={i} className="comp-links__row">
            <Select label={`Evidence ${i + 1} type`} value={l.type} onChange={(v) => setLink(i, { type: v as LinkType })} options={ASSESSMENT_EVIDENCE_TYPES.map((t) => [t, EVIDENCE_LINK_LABELS[t]])} />
            <TextField label={`Evidence ${i + 1} id`} value={l.id} onChange={(v) => setLink(i, { id: v })} placeholder={l.type === 'event' ? 'e.g. 1' : l.type === 'report' ? 'File name' : 'Id'} />
            <button type="button" className="btn btn--ghost btn--sm btn--icon comp-links__remove" onClick={() => setLinks(links.filter((_, j) => j !== i))} aria-label={`Remove evidence ${i + 1}`}>
              <Icon name="x" size={14} />
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="btn btn--sm" onClick={() => setLinks([...links, { type: 'event', id: '' }])}>
            Add evidence link
          </button>
        </div>
      </fieldset>
    </ActionDialog>
  );
}

/** Makes someone the owner of a requirement (mount it when it opens): a choice of users for those who may list them, a username otherwise. */
export function AssignDialog({ requirement: r, open, onClose }: { requirement: RequirementState; open: boolean; onClose: () => void }) {
  const mutate = useAppStore((s) => s.mutate);
  const [owner, setOwner] = useState(r.assignedTo ?? '');
  return (
    <ActionDialog
      open={open}
      title={`Owner of ${r.requirementId}`}
      submitLabel="Save owner"
      onClose={onClose}
      run={async () => {
        const res = await mutate('requirements.assign', { frameworkId: r.frameworkId, requirementId: r.requirementId, assignee: owner.trim() || null });
        return res.ok ? null : res.error.message;
      }}
    >
      <p className="muted">The owner sees to it that {r.requirementId} is assessed on time.</p>
      <UserPicker label="Owner" value={owner} onChange={setOwner} none="Nobody" hint="A username; leave empty for nobody." />
    </ActionDialog>
  );
}
