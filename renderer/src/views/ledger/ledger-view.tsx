import { useEffect, useState } from 'react';
import { HeaderButton, PageHeader } from '../../components/page-header.js';
import { useAppStore } from '../../store/index.js';
import { isLive } from '../../store/job.js';
import { sameFilter } from '../../store/ledger-view-slice.js';
import { EventDetailPane } from './event-detail.js';
import { FilterBar } from './filter-bar.js';
import { ledgerRoute, parseLedgerRoute } from './ledger-route.js';
import { LedgerTable } from './ledger-table.js';
import { VerifyPanel } from './verify-panel.js';
import { WitnessesDialog } from './witnesses-dialog.js';

/** The ledger viewer: filters, a virtualized list of every event, the selected event's detail and proof, and "Verify now". */
export function LedgerView() {
  const setFilter = useAppStore((s) => s.setFilter);
  const refreshList = useAppStore((s) => s.refreshList);
  const loadFacets = useAppStore((s) => s.loadFacets);
  const startVerify = useAppStore((s) => s.startVerify);
  const verifying = useAppStore((s) => isLive(s.verify));
  const detailOpen = useAppStore((s) => s.detail !== null);

  const route = useAppStore((s) => s.route);
  const filter = useAppStore((s) => s.filter);
  const detailSeq = useAppStore((s) => s.detail?.seq ?? null);
  const replaceRoute = useAppStore((s) => s.replaceRoute);
  const [witnesses, setWitnesses] = useState(false);

  useEffect(() => {
    void loadFacets();
  }, [loadFacets]);

  // The route names the filters and the open event (ledger-route.ts): a link, a reload or Back shows them.
  useEffect(() => {
    const want = parseLedgerRoute(route);
    const state = useAppStore.getState();
    // Read when the route changes, not a reason to run: the first query is made from the route.
    if (state.queryVersion === 0 || !sameFilter(want.filter, state.filter)) setFilter(want.filter);
    if (want.seq !== null && state.detail?.seq !== want.seq) void state.openDetail(want.seq);
    if (want.seq === null && state.detail) state.closeDetail();
  }, [route, setFilter]);

  // …and what is chosen here is written back to it, without a history entry per keystroke.
  useEffect(() => {
    const state = useAppStore.getState();
    replaceRoute(ledgerRoute(state.filter, state.detail?.seq ?? null));
  }, [filter, detailSeq, replaceRoute]);

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
            <HeaderButton icon="users" onClick={() => setWitnesses(true)}>
              Witnesses
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
      <WitnessesDialog open={witnesses} onClose={() => setWitnesses(false)} />
    </div>
  );
}
