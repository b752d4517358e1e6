import { useEffect, useState } from 'react';
import { LEDGER_READERS } from '../../../../shared/roles.js';
import { Alert } from '../../components/alert.js';
import { Badge, OutcomeBadge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { Icon } from '../../components/icons.js';
import { Spinner } from '../../components/spinner.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import { checkEventIndependently, type IndependentCheck } from '../../lib/independent-check.js';
import { useAppStore } from '../../store/index.js';
import type { EventDetail } from '../../store/ledger-view-slice.js';

function HashRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="kv__hash">
        <span className="hash">{value}</span>
        <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} compact />
      </dd>
    </>
  );
}

function Check({ ok, label }: { ok: boolean | null; label: string }) {
  if (ok === null) return null;
  return (
    <li className={ok ? 'check check--ok' : 'check check--bad'}>
      <Icon name={ok ? 'check' : 'x'} size={13} />
      {label}
      <span className="visually-hidden">{ok ? ': matches' : ': does not match'}</span>
    </li>
  );
}

function ProofSection({ data, onCheckpoint }: { data: EventDetail; onCheckpoint: () => void }) {
  const head = useAppStore((s) => s.head);
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  const [check, setCheck] = useState<IndependentCheck | null>(null);
  useEffect(() => {
    let live = true;
    setCheck(null);
    void checkEventIndependently(data.event, data.leafHash, data.proof).then((c) => {
      if (live) setCheck(c);
    });
    return () => {
      live = false;
    };
  }, [data]);

  const { proof } = data;
  return (
    <section className="detail__section" aria-labelledby="proof-title">
      <div className="detail__section-head">
        <h3 id="proof-title">Inclusion proof</h3>
        {proof ? (
          proof.verified ? (
            <Badge tone="ok" size="lg">
              <Icon name="shieldCheck" size={13} />
              Verified
            </Badge>
          ) : (
            <Badge tone="danger" size="lg">
              <Icon name="shieldAlert" size={13} />
              Proof does not verify
            </Badge>
          )
        ) : (
          <Badge tone="warn">Not yet checkpointed</Badge>
        )}
      </div>
      {proof ? (
        <>
          <p className="detail__text">
            This event is leaf {formatCount(data.event.seq - 1)} of the signed checkpoint of {formatCount(proof.treeSize)} events
            {head?.checkpoint?.size === proof.treeSize ? `, signed ${formatDateTime(head.checkpoint.ts)}` : ''}. The audit path below
            recomputes that checkpoint's root from this event alone (RFC 6962).
          </p>
          <dl className="kv">
            <HashRow label="Checkpoint root" value={proof.root} />
            <dt>Tree size</dt>
            <dd className="num">{formatCount(proof.treeSize)}</dd>
          </dl>
          <ol className="proof-path" aria-label={`Audit path, ${proof.path.length} hashes`}>
            {proof.path.map((h, i) => (
              <li key={`${i}-${h}`}>
                <span className="proof-path__n num">{i + 1}</span>
                <span className="hash">{h}</span>
              </li>
            ))}
            {proof.path.length === 0 && <li className="muted">The checkpoint holds only this event; its leaf hash is the root.</li>}
          </ol>
        </>
      ) : (
        <div className="detail__text">
          <p>This event is newer than the latest signed checkpoint{head?.checkpoint ? ` (${formatCount(head.checkpoint.size)} events)` : ''}, so there is no proof for it yet. A checkpoint is signed on every lock and export.</p>
          {LEDGER_READERS.includes(role) && (
            <button type="button" className="btn btn--sm detail__cta" onClick={onCheckpoint}>
              <Icon name="key" size={13} />
              Sign a checkpoint now
            </button>
          )}
        </div>
      )}
      <div className="independent">
        <div className="independent__title">Recomputed in this window</div>
        {check ? (
          <ul className="checks">
            <Check ok={check.hashMatches} label="Event hash" />
            <Check ok={check.leafMatches} label="Leaf hash" />
            <Check ok={check.proofMatches} label="Root from audit path" />
          </ul>
        ) : (
          <Spinner label="Recomputing hashes…" />
        )}
      </div>
    </section>
  );
}

/** The selected event: every field, its hashes, and its inclusion proof against the latest checkpoint. */
export function EventDetailPane() {
  const detail = useAppStore((s) => s.detail);
  const closeDetail = useAppStore((s) => s.closeDetail);
  const openDetail = useAppStore((s) => s.openDetail);
  const setFilter = useAppStore((s) => s.setFilter);
  const filter = useAppStore((s) => s.filter);
  const signCheckpointNow = useAppStore((s) => s.signCheckpoint);
  const notify = useAppStore((s) => s.notify);
  if (!detail) return null;
  const data = detail.data;
  const ev = data?.event;

  async function signCheckpoint() {
    if (!detail) return;
    const r = await signCheckpointNow();
    if (!r.ok) {
      notify('error', r.error.message);
      return;
    }
    notify('success', `Checkpoint signed over ${formatCount(r.value.size)} events.`);
    await openDetail(detail.seq, true);
  }

  return (
    <aside className="detail" aria-labelledby="detail-title" data-testid="event-detail">
      <header className="detail__header">
        <div className="detail__heading">
          <h2 id="detail-title">Event {formatCount(detail.seq)}</h2>
          {ev && <OutcomeBadge outcome={ev.outcome} />}
        </div>
        <button type="button" className="btn btn--ghost btn--sm btn--icon" onClick={closeDetail} aria-label="Close event detail">
          <Icon name="x" />
        </button>
      </header>
      <div className="detail__body">
        {detail.error && <Alert kind="error">{detail.error}</Alert>}
        {!data && !detail.error && <Spinner label="Loading the event…" />}
        {data && ev && (
          <>
            <section className="detail__section" aria-labelledby="event-title">
              <h3 id="event-title" className="visually-hidden">
                Fields
              </h3>
              <p className="detail__action mono">{ev.action}</p>
              <dl className="kv">
                <dt>Time</dt>
                <dd>
                  {formatDateTime(ev.ts)}
                  <div className="hash muted">{ev.ts}</div>
                </dd>
                <dt>Actor</dt>
                <dd>{ev.actor}</dd>
                <dt>Resource</dt>
                <dd>
                  <span className="lt__rtype">{ev.resource_type}</span> {ev.resource_id}
                </dd>
                <dt>Outcome</dt>
                <dd>{ev.outcome}</dd>
              </dl>
              <div className="detail__links">
                <button type="button" className="btn btn--sm" onClick={() => setFilter({ ...filter, resourceType: ev.resource_type, resourceId: ev.resource_id })}>
                  <Icon name="filter" size={13} />
                  Events of this resource
                </button>
                <button type="button" className="btn btn--sm" onClick={() => setFilter({ ...filter, actor: ev.actor })}>
                  <Icon name="user" size={13} />
                  Events by {ev.actor}
                </button>
              </div>
            </section>
            <section className="detail__section" aria-labelledby="details-title">
              <h3 id="details-title">Details</h3>
              {Object.keys(ev.details).length === 0 ? (
                <p className="muted">No details recorded.</p>
              ) : (
                <pre className="json" tabIndex={0} aria-label="Event details as JSON">
                  {JSON.stringify(ev.details, null, 2)}
                </pre>
              )}
            </section>
            <section className="detail__section" aria-labelledby="hashes-title">
              <h3 id="hashes-title">Hash chain</h3>
              <dl className="kv">
                <HashRow label="Hash" value={ev.hash} />
                <HashRow label="Previous hash" value={ev.prev_hash} />
                <HashRow label="Leaf hash" value={data.leafHash} />
              </dl>
            </section>
            <ProofSection data={data} onCheckpoint={() => void signCheckpoint()} />
          </>
        )}
      </div>
    </aside>
  );
}
