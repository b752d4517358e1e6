import type { Assessment, EvidenceLink, RequirementState } from '../../../../shared/contract/compliance.js';
import { Badge, DueBadge } from '../../components/badge.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { formatDate, formatDateTime } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import type { RequirementDetail as Detail } from '../../store/lists.js';
import { ledgerRoute } from '../ledger/ledger-route.js';
import { EVIDENCE_MEANINGS, interval, PRIORITY_TONES, requirementKey, STATUS_LABELS } from './compliance-ui.js';
import { StatusBadge } from './status-badge.js';

/** An assessment's evidence link: ledger events and evidence items open where they live. */
function LinkTo({ link }: { link: EvidenceLink }) {
  const navigate = useAppStore((s) => s.navigate);
  const canLedger = useCan('ledger.query');
  if (link.type === 'event' && canLedger) {
    return (
      <button type="button" className="casework-link mono" onClick={() => navigate(ledgerRoute({}, Number(link.id)))}>
        ledger event {link.id}
      </button>
    );
  }
  if (link.type === 'evidence') {
    return (
      <button type="button" className="casework-link mono" onClick={() => navigate(`evidence/${link.id}`)}>
        {link.id}
      </button>
    );
  }
  return (
    <span className="mono">
      {link.type === 'event' ? 'ledger event ' : link.type === 'export' ? 'export ' : 'report '}
      {link.id}
    </span>
  );
}

function AssessmentItem({ a }: { a: Assessment }) {
  return (
    <li className="comp-assessment">
      <div className="comp-assessment__change">
        {a.previousStatus !== a.status ? (
          <>
            <StatusBadge status={a.previousStatus} />
            <span aria-label="to" className="muted">
              →
            </span>
          </>
        ) : null}
        <StatusBadge status={a.status} />
        {a.implemented && <span className="muted">implemented</span>}
      </div>
      <div className="muted comp-assessment__who">
        {a.assessedBy} · {formatDateTime(a.assessedAt)}
        {a.nextAssessmentAt ? ` · next ${formatDate(a.nextAssessmentAt)}` : ''}
      </div>
      <p className="comp-assessment__notes">{a.notes}</p>
      {a.evidence.length > 0 && (
        <ul className="comp-assessment__links" aria-label="Evidence">
          {a.evidence.map((l) => (
            <li key={`${l.type}:${l.id}`}>
              <LinkTo link={l} />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** The open requirement: what it asks, what Custos can prove, how it stands, its assessments and the controls shared with other frameworks. */
export function RequirementPane({
  detail,
  onClose,
  onAssess,
  onAssign,
  onOpen,
}: {
  detail: Detail;
  onClose: () => void;
  onAssess: () => void;
  onAssign: () => void;
  /** Opens another requirement (one a control also meets) by its list id. */
  onOpen: (id: string) => void;
}) {
  const r: RequirementState = detail.requirement;
  const canAssess = useCan('requirements.assess');
  const canAssign = useCan('requirements.assign');
  const frameworks = useAppStore((s) => s.frameworkList.items);
  const shortName = (id: string) => frameworks?.find((f) => f.id === id)?.shortName ?? id;
  return (
    <DetailPane title={r.requirementId} badge={<StatusBadge status={r.status} />} onClose={onClose} testId="requirement-detail">
      <p className="detail__lead">{r.title}</p>
      <p className="comp-framework muted">{r.frameworkName}</p>
      {(canAssess || canAssign) && (
        <div className="ferpa-actions">
          {canAssess && (
            <button type="button" className="btn btn--primary btn--sm" onClick={onAssess}>
              Assess…
            </button>
          )}
          {canAssign && (
            <button type="button" className="btn btn--sm" onClick={onAssign}>
              {r.assignedTo ? 'Change owner…' : 'Assign owner…'}
            </button>
          )}
        </div>
      )}
      <Section title="Requirement">
        <p className="comp-description">{r.description}</p>
        <Facts
          rows={[
            ['Type', r.type],
            ['Priority', <Badge key="p" tone={PRIORITY_TONES[r.priority]}>{r.priority}</Badge>],
            ['Assess every', interval(r.assessmentIntervalDays)],
          ]}
        />
      </Section>
      <Section title="Status">
        <Facts
          rows={[
            ['Status', STATUS_LABELS[r.status]],
            ['Implemented', r.implemented ? 'yes' : 'no'],
            ['Owner', r.assignedTo],
            ['Last assessed', r.lastAssessedAt ? formatDateTime(r.lastAssessedAt) : 'never'],
            ['Next assessment', r.nextAssessmentAt ? <DueBadge key="n" dueAt={r.nextAssessmentAt} /> : null],
          ]}
        />
      </Section>
      {r.custosEvidence.length > 0 && (
        <Section title="What Custos can prove">
          <ul className="comp-proofs">
            {r.custosEvidence.map((e) => {
              const proof = detail.proofs.find((p) => p.evidence === e);
              return (
                <li key={e}>
                  <span className="comp-proof">{e}</span>
                  <span>
                    <span className="muted">{EVIDENCE_MEANINGS[e]}</span>
                    <span className="comp-proof__latest">
                      {proof?.seq ? (
                        <>
                          {proof.what}: <LinkTo link={{ type: 'event', id: String(proof.seq) }} /> ({formatDateTime(proof.ts ?? '')})
                        </>
                      ) : (
                        'Nothing in this workspace shows it yet.'
                      )}
                    </span>
                  </span>
                </li>
              );
            })}
          </ul>
        </Section>
      )}
      <Section title={`Assessments (${detail.assessments.length})`}>
        {detail.assessments.length === 0 ? (
          <p className="muted">Not assessed yet.</p>
        ) : (
          <ol className="comp-assessments" aria-label={`Assessments of ${r.requirementId}`}>
            {detail.assessments.map((a) => (
              <AssessmentItem key={a.id} a={a} />
            ))}
          </ol>
        )}
      </Section>
      <Section title={`Controls (${detail.controls.length})`}>
        {detail.controls.length === 0 ? (
          <p className="muted">No shared control maps this requirement to other frameworks.</p>
        ) : (
          <ul className="comp-controls">
            {detail.controls.map((c) => (
              <li key={c.id} className="comp-control">
                <div>
                  <span className="mono">{c.id}</span> <strong>{c.title}</strong>
                </div>
                <p className="muted comp-control__description">{c.description}</p>
                {c.alsoMeets.length > 0 && (
                  <ul className="comp-control__meets" aria-label={`Also meets (${c.id})`}>
                    {c.alsoMeets.map((m) => (
                      <li key={`${m.frameworkId} ${m.requirementId}`}>
                        <span className="comp-control__fw">{shortName(m.frameworkId)}</span>
                        <button type="button" className="casework-link mono" onClick={() => onOpen(requirementKey(m.frameworkId, m.requirementId))} title={`Open ${m.frameworkId} ${m.requirementId}`}>
                          {m.requirementId}
                        </button>
                        {m.status ? <StatusBadge status={m.status} /> : <span className="muted">not tracked</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </DetailPane>
  );
}
