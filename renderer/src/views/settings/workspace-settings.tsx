import { plural } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';
import { CardHeader } from '../../components/card-header.js';

/** Facts about the workspace an administrator or auditor may need to quote. */
export function WorkspaceSettings() {
  const workspace = useAppStore((s) => s.workspace);
  const head = useAppStore((s) => s.head);
  const timeZone = useAppStore((s) => s.timeZone);
  return (
    <section className="card" aria-labelledby="ws-title">
      <CardHeader id="ws-title" title="Workspace" />
      <div className="card__body">
        <dl className="kv">
          <dt>Name</dt>
          <dd>{workspace?.name ?? '—'}</dd>
          <dt>Workspace id</dt>
          <dd className="hash">{workspace?.id ?? '—'}</dd>
          <dt>Auto-lock</dt>
          <dd>After {workspace?.idleLockMinutes ?? '—'} minutes without activity</dd>
          <dt>Deadlines</dt>
          <dd>Counted in calendar days in {timeZone ?? '—'}</dd>
          <dt>Ledger</dt>
          <dd>{head ? `${plural(head.size, 'event')}` : '—'}</dd>
          <dt>Signing key id</dt>
          <dd className="hash">{head?.keyId ?? '—'}</dd>
        </dl>
        {head && (
          <details className="pem">
            <summary>Public key (PEM)</summary>
            <pre className="json">{head.publicKeyPem}</pre>
          </details>
        )}
      </div>
    </section>
  );
}
