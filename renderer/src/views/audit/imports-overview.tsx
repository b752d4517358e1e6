import { useEffect, useState } from 'react';
import type { PinRevocation } from '../../../../shared/contract/bundles.js';
import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { EmptyState } from '../../components/empty-state.js';
import { Icon } from '../../components/icons.js';
import { Spinner } from '../../components/spinner.js';
import { formatCount, formatDateTime, formatShort } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import type { ImportList } from '../../store/audit-slice.js';
import { Fingerprint, periodText, StatusBadge } from './audit-ui.js';
import { PinRevokeDialog } from './pin-revoke-dialog.js';
import { CardHeader } from '../../components/card-header.js';
import { ListCountOf } from '../../components/list-toolbar.js';

function ImportsTable({ list, onOpen }: { list: ImportList; onOpen: (id: number) => void }) {
  return (
    <section className="card" aria-labelledby="audit-imports-title">
      <CardHeader id="audit-imports-title" title="Imported bundles" subtitle="Verified on import; open one to review its events, record findings and sign off.">
        <ListCountOf list="importList" noun="bundle" />
      </CardHeader>
      <div className="audit-table-wrap">
        <table className="table audit-table" data-testid="imports-table">
          <caption className="visually-hidden">Imported bundles, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Bundle</th>
              <th scope="col">Source workspace</th>
              <th scope="col">Status</th>
              <th scope="col">Signing key</th>
              <th scope="col" className="num">
                Events
              </th>
              <th scope="col">Period</th>
              <th scope="col">Imported</th>
              <th scope="col">Reviewed</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((i) => (
              <tr key={i.id} className="audit-table__row" onClick={() => onOpen(i.id)}>
                <td>
                  <a
                    className="audit-table__link"
                    href={`#/audit/${i.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      e.stopPropagation();
                      onOpen(i.id);
                    }}
                  >
                    Bundle {i.id}
                  </a>
                  <div className="muted audit-table__file" title={i.fileName}>
                    {i.fileName}
                  </div>
                </td>
                <td>
                  <div>{i.sourceWorkspaceName}</div>
                  <div className="muted mono audit-table__id">{i.sourceWorkspaceId}</div>
                </td>
                <td>
                  <StatusBadge status={i.status} />
                </td>
                <td>
                  <Fingerprint value={i.fingerprint} compact />
                </td>
                <td className="num">{formatCount(i.events)}</td>
                <td className="nowrap">{periodText(i.firstTs, i.lastTs)}</td>
                <td>
                  <div className="nowrap">{formatShort(i.importedAt)}</div>
                  <div className="muted">by {i.importedBy}</div>
                </td>
                <td>
                  {i.reviewedAt ? (
                    <>
                      <div className="nowrap">{formatShort(i.reviewedAt)}</div>
                      <div className="muted">by {i.reviewedBy}</div>
                    </>
                  ) : (
                    <span className="muted">Not yet</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function SourcesCard({ list, onChanged }: { list: ImportList; onChanged: () => void }) {
  const canListPins = useCan('imports.pins');
  const canRevoke = useCan('imports.pins.revoke');
  const [revoking, setRevoking] = useState<ImportList['sources'][number] | null>(null);
  const [revoked, setRevoked] = useState<PinRevocation[]>([]);
  useEffect(() => {
    if (!canListPins) return;
    let live = true;
    void client.call('imports.pins', {}).then((r) => {
      if (live && r.ok) setRevoked(r.value.revoked);
    });
    return () => {
      live = false;
    };
  }, [canListPins, list]);
  return (
    <section className="card" aria-labelledby="audit-sources-title">
      <CardHeader id="audit-sources-title" title="Pinned source keys" subtitle="The first bundle from a workspace pins its signing key once someone confirmed its fingerprint with the sender; later bundles must carry the same key." />
      {list.sources.length === 0 ? (
        <div className="card__body card__body--empty">
          <p className="muted">No key is pinned yet. The first bundle you import from a workspace asks you to confirm its key&apos;s fingerprint, then pins it.</p>
        </div>
      ) : (
        <ul className="audit-sources">
          {list.sources.map((s) => (
            <li key={s.workspaceId}>
              <div className="audit-sources__name">
                <Icon name="key" size={13} />
                <strong>{s.workspaceName}</strong>
              </div>
              <div className="mono audit-sources__fp">{s.fingerprint}</div>
              <div className="muted">
                Pinned {formatDateTime(s.pinnedAt)} by {s.pinnedBy}
              </div>
              {canRevoke && (
                <div className="audit-sources__actions">
                  <button type="button" className="btn btn--sm" onClick={() => setRevoking(s)} aria-label={`Revoke the pinned key of ${s.workspaceName}`}>
                    Revoke…
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {canListPins && revoked.length > 0 && (
        <>
          <h3 className="card__subtitle audit-sources__revoked-title">Revoked pins</h3>
          <ul className="audit-sources audit-sources--revoked" data-testid="revoked-pins">
            {revoked.map((r) => (
              <li key={`${r.workspaceId}-${r.revokedAt}`}>
                <div className="audit-sources__name">
                  <strong>{r.workspaceName}</strong>
                </div>
                <div className="mono audit-sources__fp">{r.fingerprint}</div>
                <div className="muted">
                  Revoked {formatDateTime(r.revokedAt)} by {r.revokedBy}: {r.reason}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      <PinRevokeDialog
        source={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={() => {
          setRevoking(null);
          onChanged();
        }}
      />
    </section>
  );
}

function RejectedCard({ list }: { list: ImportList }) {
  if (list.rejected.length === 0) return null;
  return (
    <section className="card" aria-labelledby="audit-rejected-title">
      <CardHeader id="audit-rejected-title" title="Rejected bundles" subtitle="Refused on import; nothing of them was kept but the ledger event that says why." />
      <ul className="audit-rejected" data-testid="rejected-list">
        {list.rejected.map((r) => (
          <li key={r.seq}>
            <div className="audit-rejected__head">
              <Icon name="shieldAlert" size={13} />
              <strong>{r.fileName ?? 'Unnamed file'}</strong>
              <span className="muted">
                {formatShort(r.ts)} · {r.actor} · ledger event {formatCount(r.seq)}
              </span>
            </div>
            <p>{r.reason}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The list of imported bundles, the pinned keys, and recent rejections; or the first step when there is nothing yet. */
export function ImportsOverview({
  list,
  error,
  onImport,
  onOpen,
  onChanged,
}: {
  list: ImportList | null;
  error: string | null;
  onImport: () => void;
  onOpen: (id: number) => void;
  /** The pins changed (one was revoked): load the list again. */
  onChanged: () => void;
}) {
  if (error) return <Alert kind="error">{error}</Alert>;
  if (!list) return <Spinner label="Loading imported bundles…" />;
  if (list.items.length === 0) {
    return (
      <div className="audit-overview audit-overview--empty">
        <div className="card audit-empty">
          <EmptyState
            icon="audit"
            title="No bundles imported yet"
            action={
              <button type="button" className="btn btn--primary" onClick={onImport}>
                <Icon name="plus" size={14} />
                Import a bundle…
              </button>
            }
          >
            Import a signed log bundle exported from another Custos workspace. It is verified (signature, file hashes, hash chain, Merkle proofs) before anyone reads it; then filter its events, chart the
            activity, record findings and sign off your review.
          </EmptyState>
        </div>
        {list.sources.length > 0 && <SourcesCard list={list} onChanged={onChanged} />}
        <RejectedCard list={list} />
      </div>
    );
  }
  return (
    <div className="audit-overview">
      <ImportsTable list={list} onOpen={onOpen} />
      <div className="audit-overview__side">
        <SourcesCard list={list} onChanged={onChanged} />
        <RejectedCard list={list} />
      </div>
    </div>
  );
}
