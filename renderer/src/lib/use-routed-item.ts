import { useEffect } from 'react';
import { useAppStore } from '../store/index.js';
import { itemRoute, routeId } from './routes.js';
import { useLatest } from './use-latest.js';

/**
 * The item a list/detail screen shows follows the route: `#/<area>/<id>` opens that item (links from the
 * due list and the ledger), and selecting an item writes the route. `area` may have several segments
 * (`compliance/workflows`); the id is percent-encoded in the route. Returns the select function.
 */
export function useRoutedItem(area: string, currentId: string | null | undefined, open: (id: string | null) => Promise<void>): (id: string | null) => void {
  const segment = useAppStore((s) => s.route.split('/')[area.split('/').length] ?? null);
  const routed = segment === null ? null : routeId(segment);
  const navigate = useAppStore((s) => s.navigate);
  // Only a change of the route opens an item; the item shown and the opener are read as they are then.
  const latest = useLatest({ currentId, open });
  useEffect(() => {
    if (routed && routed !== latest.current.currentId) void latest.current.open(routed);
  }, [routed, latest]);
  return (id) => {
    navigate(id ? itemRoute(area, id) : area);
    void open(id);
  };
}
