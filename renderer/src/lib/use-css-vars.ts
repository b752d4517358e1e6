import { useEffect, useState } from 'react';
import { useAppStore } from '../store/index.js';
import { useLatest } from './use-latest.js';

function readVars<K extends string>(names: readonly K[]): Record<K, string> {
  const style = getComputedStyle(document.documentElement);
  return Object.fromEntries(names.map((n) => [n, style.getPropertyValue(n).trim()])) as Record<K, string>;
}

/** Current values of CSS custom properties, re-read when the theme changes (charts draw with them). */
export function useCssVars<K extends string>(names: readonly K[]): Record<K, string> {
  const theme = useAppStore((s) => s.theme);
  const latestNames = useLatest(names);
  const [values, setValues] = useState(() => readVars(names));
  useEffect(() => {
    const read = () => setValues(readVars(latestNames.current));
    read();
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', read);
    return () => media.removeEventListener('change', read);
  }, [theme, latestNames]);
  return values;
}
