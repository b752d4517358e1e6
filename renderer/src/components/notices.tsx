import { useAppStore } from '../store/index.js';
import { Icon } from './icons.js';

/** Transient confirmations and errors, in a live region screen readers announce. */
export function Notices() {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismissNotice);
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice--${n.kind}`}>
          <Icon name={n.kind === 'error' ? 'alert' : n.kind === 'success' ? 'check' : 'info'} />
          <div className="notice__text">{n.text}</div>
          <button type="button" className="btn btn--ghost btn--sm btn--icon" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
