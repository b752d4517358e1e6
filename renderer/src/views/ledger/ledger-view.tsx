import { useEffect } from 'react';
import { HeaderButton, PageHeader } from '../../components/page-header.js';
import { useAppStore } from '../../store/index.js';
import { isLive } from '../../store/job.js';
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
  const verifying = useAppStore((s) => isLive(s.verify));
  const detailOpen = useAppStore((s) => s.detail !== null);

  useEffect(() => {
    if (queryVersion === 0) setFilter({});
    void loadFacets();
    // Only on first mount: later filter changes come from the filter bar.
  }, []);

  return (
    <div className="page page--fill ledger">
      <PageHeader
        tight
        title="Ledger"
        subtitle="Every action in this workspace, hash-chained and signed, newest first."
        actions={
          <>
            <HeaderButton icon="refresh" onClick={() => refreshList()}>
              Refresh
            </HeaderButton>
            <HeaderButton icon="shieldCheck" primary onClick={() => void startVerify()} disabled={verifying}>
              {verifying ? 'Verifying…' : 'Verify now'}
            </HeaderButton>
          </>
        }
      />
      <VerifyPanel />
      <FilterBar />
      <div className={detailOpen ? 'ledger__split ledger__split--detail' : 'ledger__split'}>
        <LedgerTable />
        {detailOpen && <EventDetailPane />}
      </div>
    </div>
  );
}
