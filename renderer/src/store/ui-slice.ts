import type { SliceCreator } from './types.js';

export type ThemeChoice = 'system' | 'light' | 'dark';
export interface Notice {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
}

const THEME_KEY = 'custos.theme';

function readTheme(): ThemeChoice {
  try {
    const v = window.localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/**
 * The route lives in the URL fragment (`#/ledger`), so reload and back/forward behave. Item ids in it
 * are percent-encoded (lib/routes.ts); anything else falls back to the dashboard.
 */
function readRoute(): string {
  const m = /^#\/([a-z0-9/_.~%-]*)$/i.exec(window.location.hash);
  return m?.[1] || 'dashboard';
}

export interface UiSlice {
  route: string;
  theme: ThemeChoice;
  notices: Notice[];
  navigate(route: string): void;
  /** Changes the route without a new history entry (a screen writing its own state into the URL). */
  replaceRoute(route: string): void;
  syncRouteFromUrl(): void;
  setTheme(theme: ThemeChoice): void;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
}

let nextNotice = 1;

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  route: readRoute(),
  theme: readTheme(),
  notices: [],
  navigate(route) {
    if (route === get().route) return;
    window.history.pushState(null, '', `#/${route}`);
    set({ route });
  },
  replaceRoute(route) {
    if (route === get().route) return;
    window.history.replaceState(null, '', `#/${route}`);
    set({ route });
  },
  syncRouteFromUrl() {
    set({ route: readRoute() });
  },
  setTheme(theme) {
    try {
      if (theme === 'system') window.localStorage.removeItem(THEME_KEY);
      else window.localStorage.setItem(THEME_KEY, theme);
    } catch {
      // Storage may be unavailable; the choice still applies for this window.
    }
    set({ theme });
  },
  notify(kind, text) {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices.slice(-3), { id, kind, text }] }));
    if (kind !== 'error') window.setTimeout(() => get().dismissNotice(id), 5000);
  },
  dismissNotice(id) {
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
});
