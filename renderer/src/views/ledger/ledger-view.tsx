import { useEffect } from 'react';
import { Icon } from '../../components/icons.js';
import { useAppStore } from '../../store/index.js';
import { EventDetailPane } from './event-detail.js';
import { FilterBar } from './filter-bar.js';
import { LedgerTable } from './ledger-table.js';
import { VerifyPanel } from './verify-panel.js';

/** The ledger viewer: filters, a virtualized list of every event, the selected event's detail and proof, and "Verify now". */
export function LedgerView() {
  const queryVersion = useAppStore((s) => s.queryVersion);
  const setFilter = useAppStore((s) => s.setFilter);
  const refreshList = useAppStore((s) => s.refreshList);
  const loadFacets = useAppStore((s) => s.loadFacets);
  const startVerify = useAppStore((s) => s.startVerify);
  const verifying = useAppStore((s) => s.verify?.status === 'running' || s.verify?.status === 'cancelling');
  const detailOpen = useAppStore((s) => s.detail !== null);

  useEffect(() => {
    if (queryVersion === 0) setFilter({});
    void loadFacets();
    // Only on first mount: later filter changes come from the filter bar.
  }, []);

  return (
    <div className="page page--fill ledger">
      <header className="page__header page__header--tight">
        <div>
          <h1 className="page__title">Ledger</h1>
          <p className="page__subtitle">Every action in this workspace, hash-chained and signed, newest first.</p>
        </div>
        <div className="page__actions">
          <button type="button" className="btn" onClick={() => refreshList()}>
            <Icon name="refresh" size={14} />
            Refresh
          </button>
          <button type="button" className="btn btn--primary" onClick={() => void startVerify()} disabled={verifying}>
            <Icon name="shieldCheck" size={14} />
            {verifying ? 'Verifying…' : 'Verify now'}
          </button>
        </div>
      </header>
      <VerifyPanel />
      <FilterBar />
      <div className={detailOpen ? 'ledger__split ledger__split--detail' : 'ledger__split'}>
        <LedgerTable />
        {detailOpen && <EventDetailPane />}
      </div>
    </div>
  );
}
