import { useEffect, useState } from 'react';
import { Badge } from '../../components/badge.js';
import { Icon } from '../../components/icons.js';
import { Spinner } from '../../components/spinner.js';
import { formatCount, formatDateTime, plural } from '../../lib/format.js';
import { checkEventIndependently, type IndependentCheck } from '../../lib/independent-check.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import type { EventDetail } from '../../store/ledger-view-slice.js';
import { Check, EventDetails, EventFields, EventHashes, EventPane, HashRow } from './event-pane.js';

function ProofSection({ data, onCheckpoint }: { data: EventDetail; onCheckpoint: () => void }) {
  const head = useAppStore((s) => s.head);
  const canCheckpoint = useCan('ledger.checkpoint');
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
            This event is leaf {formatCount(data.event.seq - 1)} of the signed checkpoint of {plural(proof.treeSize, 'event')}
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
          <p>This event is newer than the latest signed checkpoint{head?.checkpoint ? ` (${plural(head.checkpoint.size, 'event')})` : ''}, so there is no proof for it yet. A checkpoint is signed on every lock and export.</p>
          {canCheckpoint && (
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
    notify('success', `Checkpoint signed over ${plural(r.value.size, 'event')}.`);
    await openDetail(detail.seq, true);
  }

  return (
    <EventPane className="detail" titleId="detail-title" testId="event-detail" seq={detail.seq} event={ev ?? null} loading={!data} error={detail.error} onClose={closeDetail}>
      {data && ev && (
        <>
          <EventFields event={ev} headingId="event-title" filter={filter} onFilter={setFilter} resourceLabel="Events of this resource" actorLabel={`Events by ${ev.actor}`} />
          <EventDetails event={ev} headingId="details-title" />
          <EventHashes event={ev} headingId="hashes-title" extra={<HashRow label="Leaf hash" value={data.leafHash} />} />
          <ProofSection data={data} onCheckpoint={() => void signCheckpoint()} />
        </>
      )}
    </EventPane>
  );
}
