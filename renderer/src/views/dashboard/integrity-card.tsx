import { Badge } from '../../components/badge.js';
import { CopyButton } from '../../components/copy-button.js';
import { formatDateTime, plural } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';
import { CardHeader } from '../../components/card-header.js';

/** The ledger's tree head and latest signed checkpoint: what an auditor would write down. */
export function IntegrityCard() {
  const head = useAppStore((s) => s.head);
  const canOpen = useCan('ledger.query');
  const navigate = useAppStore((s) => s.navigate);
  const cp = head?.checkpoint ?? null;
  const v = head?.lastVerification ?? null;
  return (
    <section className="card" aria-labelledby="integrity-title">
      <CardHeader id="integrity-title" title="Ledger integrity" subtitle="Merkle tree head and signed checkpoint">
        {v ? <Badge tone={v.valid ? 'ok' : 'danger'}>{v.valid ? 'Valid' : 'INVALID'}</Badge> : <Badge>Not verified</Badge>}
      </CardHeader>
      <div className="card__body">
        {head ? (
          <dl className="kv kv--tight">
            <dt>Size</dt>
            <dd className="num">{plural(head.size, 'event')}</dd>
            <dt>Root</dt>
            <dd className="kv__hash">
              <span className="hash">{head.root}</span>
              <CopyButton text={head.root} label="Copy root hash" compact />
            </dd>
            <dt>Checkpoint</dt>
            <dd>{cp ? `${plural(cp.size, 'event')}, ${formatDateTime(cp.ts)}` : 'None yet'}</dd>
            <dt>Signing key</dt>
            <dd className="kv__hash">
              <span className="hash">{head.keyId.slice(0, 32)}…</span>
              <CopyButton text={head.keyId} label="Copy signing key id" compact />
            </dd>
          </dl>
        ) : (
          <p className="muted">Loading…</p>
        )}
        {canOpen && (
          <button type="button" className="btn btn--sm integrity__open" onClick={() => navigate('ledger')}>
            Open the ledger
          </button>
        )}
      </div>
    </section>
  );
}
