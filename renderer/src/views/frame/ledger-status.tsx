import { Icon } from '../../components/icons.js';
import { formatCount, formatRelative, plural } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import { useAppStore } from '../../store/index.js';

/** The ledger's state at a glance: last verification (valid / INVALID), size, last checkpoint. */
export function LedgerStatus() {
  const head = useAppStore((s) => s.head);
  const canOpen = useCan('ledger.query');
  const navigate = useAppStore((s) => s.navigate);
  if (!head) return null;
  const v = head.lastVerification;
  const tone = !v ? 'neutral' : v.valid ? 'ok' : 'danger';
  const state = !v ? 'Not verified yet' : v.valid ? 'Ledger valid' : 'Ledger INVALID';
  const cp = head.checkpoint;
  const detail = [
    `${plural(head.size, 'event')}`,
    cp ? `checkpoint ${formatCount(cp.size)} · ${formatRelative(cp.ts)}` : 'no checkpoint yet',
  ].join(' · ');
  const long = `${state}${v ? ` (verified ${formatRelative(v.at)}, ${plural(v.size, 'event')})` : ''}. ${detail}.`;
  const content = (
    <>
      <Icon name={tone === 'danger' ? 'shieldAlert' : tone === 'ok' ? 'shieldCheck' : 'shield'} size={15} />
      <span className="ledger-status__state">{state}</span>
      <span className="ledger-status__detail">{detail}</span>
    </>
  );
  return canOpen ? (
    <button
      type="button"
      className={`ledger-status ledger-status--${tone}`}
      onClick={() => navigate('ledger')}
      title={long}
      aria-label={`${long} Open the ledger.`}
      data-testid="ledger-status"
    >
      {content}
    </button>
  ) : (
    <div className={`ledger-status ledger-status--${tone}`} title={long} role="status" aria-label={long} data-testid="ledger-status">
      {content}
    </div>
  );
}
