import { useEffect } from 'react';
import { useAppStore } from '../store/index.js';

/**
 * The item a list/detail screen shows follows the route: `#/<area>/<id>` opens that item (links from the
 * due list and the ledger), and selecting an item writes the route. `area` may have several segments
 * (`compliance/workflows`). Returns the select function.
 */
export function useRoutedItem(area: string, currentId: string | null | undefined, open: (id: string | null) => Promise<void>): (id: string | null) => void {
  const routed = useAppStore((s) => s.route.split('/')[area.split('/').length] ?? null);
  const navigate = useAppStore((s) => s.navigate);
  useEffect(() => {
    if (routed && routed !== currentId) void open(routed);
  }, [routed]);
  return (id) => {
    navigate(id ? `${area}/${id}` : area);
    void open(id);
  };
}
