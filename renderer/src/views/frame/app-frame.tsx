import { useEffect, useRef } from 'react';
import { useAppStore } from '../../store/index.js';
import { AreaPlaceholder } from './area-placeholder.js';
import { viewForRoute } from '../registry.js';
import { SideNav } from './side-nav.js';
import { TopBar } from './top-bar.js';

/** The signed-in app: navigation on the left, top bar, and the current view. */
export function AppFrame() {
  const route = useAppStore((s) => s.route);
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  const loadHead = useAppStore((s) => s.loadHead);
  const mainRef = useRef<HTMLElement>(null);
  const view = viewForRoute(route, role);
  const View = view.component;

  // The top bar's ledger state is refreshed on navigation (never polled: polling would keep
  // the session from ever going idle and defeat auto-lock).
  useEffect(() => {
    void loadHead();
  }, [loadHead, view.id]);

  useEffect(() => {
    document.title = `${view.label} · Custos`;
  }, [view.label]);

  return (
    <div className="frame">
      <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
        Skip to content
      </button>
      <SideNav current={view.id} />
      <div className="frame__main">
        <TopBar title={view.label} />
        <main id="main" ref={mainRef} className="frame__content" tabIndex={-1} aria-label={view.label}>
          {View ? <View /> : <AreaPlaceholder view={view} />}
        </main>
      </div>
    </div>
  );
}
