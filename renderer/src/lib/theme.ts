import type { ThemeChoice } from '../store/ui-slice.js';

const media = typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
let follow: (() => void) | null = null;

/** Sets data-theme on <html>; "system" follows the OS setting live. */
export function applyTheme(choice: ThemeChoice): void {
  const set = () => {
    const dark = choice === 'dark' || (choice === 'system' && media?.matches === true);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  };
  if (follow) media?.removeEventListener('change', follow);
  follow = choice === 'system' ? set : null;
  if (follow) media?.addEventListener('change', follow);
  set();
}
