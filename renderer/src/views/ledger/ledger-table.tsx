import { useAppStore } from '../../store/index.js';
import { EventGrid } from './event-grid.js';

/** The ledger as a virtualized grid: the shared event grid bound to the ledger viewer's state. */
export function LedgerTable() {
  // A search's first page shows before its count arrives (a common term is counted after it).
  const rows = useAppStore((s) => s.total ?? s.pages[0]?.length ?? null);
  const pages = useAppStore((s) => s.pages);
  const queryVersion = useAppStore((s) => s.queryVersion);
  const listError = useAppStore((s) => s.listError);
  const selectedIndex = useAppStore((s) => s.selectedIndex);
  const detailSeq = useAppStore((s) => s.detail?.seq ?? null);
  const ensureRows = useAppStore((s) => s.ensureRows);
  const select = useAppStore((s) => s.select);
  const openDetail = useAppStore((s) => s.openDetail);
  const closeDetail = useAppStore((s) => s.closeDetail);
  const setFilter = useAppStore((s) => s.setFilter);

  return (
    <EventGrid
      label="Ledger events, newest first"
      idPrefix="ledger"
      testId="ledger-grid"
      total={rows}
      pages={pages}
      queryVersion={queryVersion}
      listError={listError}
      selectedIndex={selectedIndex}
      detailSeq={detailSeq}
      ensureRows={ensureRows}
      select={select}
      openDetail={openDetail}
      closeDetail={closeDetail}
      clearFilters={() => setFilter({})}
    />
  );
}
