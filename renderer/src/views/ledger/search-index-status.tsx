import { useEffect } from 'react';
import { formatCount } from '../../lib/format.js';
import { useAppStore } from '../../store/index.js';

/** How often the viewer asks again while the search index catches up. */
const POLL_MS = 2000;

/**
 * While a search runs and the free-text index has not reached the newest events, says so (the
 * answer is complete either way: the rest is read directly, only more slowly), and keeps asking
 * until the index has caught up.
 */
export function SearchIndexStatus() {
  const searching = useAppStore((s) => Boolean(s.filter.text));
  const index = useAppStore((s) => s.searchIndex);
  const refreshSearchIndex = useAppStore((s) => s.refreshSearchIndex);
  const behind = searching && index !== null && index.indexedThrough < index.size;

  useEffect(() => {
    if (!behind) return;
    const timer = window.setInterval(() => void refreshSearchIndex(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [behind, refreshSearchIndex]);

  if (!behind) return null;
  return (
    <span className="filters__index" role="status" data-testid="ledger-index-status" title="Results are complete; searching is slower until the index has caught up.">
      Search index catching up ({formatCount(index.indexedThrough)} of {formatCount(index.size)} events)
    </span>
  );
}
