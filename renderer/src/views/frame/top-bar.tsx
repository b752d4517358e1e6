import { ROLE_LABELS } from '../../../../shared/roles.js';
import { Icon } from '../../components/icons.js';
import { useAppStore } from '../../store/index.js';
import { LedgerStatus } from './ledger-status.js';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** Workspace name and page, the ledger's verification state, who is signed in, and Lock. */
export function TopBar({ title }: { title: string }) {
  const workspaceName = useAppStore((s) => s.workspace?.name ?? 'Workspace');
  const user = useAppStore((s) => s.user);
  const lock = useAppStore((s) => s.lock);
  return (
    <header className="topbar">
      <div className="topbar__crumbs">
        <span className="topbar__workspace" title={workspaceName}>
          {workspaceName}
        </span>
        <Icon name="chevronRight" size={14} className="topbar__sep" />
        <span className="topbar__page">{title}</span>
      </div>
      <div className="topbar__right">
        <LedgerStatus />
        {user && (
          <div className="topbar__user" aria-label={`Signed in as ${user.displayName}, ${ROLE_LABELS[user.role]}`} role="group">
            <span className="avatar" aria-hidden="true">
              {initials(user.displayName)}
            </span>
            <span className="topbar__user-text" aria-hidden="true">
              <span className="topbar__user-name">{user.displayName}</span>
              <span className="topbar__user-role">{ROLE_LABELS[user.role]}</span>
            </span>
          </div>
        )}
        <button type="button" className="btn btn--sm" onClick={() => void lock()} title="Lock the workspace (writes a signed checkpoint)">
          <Icon name="lock" size={14} />
          Lock
        </button>
      </div>
    </header>
  );
}
