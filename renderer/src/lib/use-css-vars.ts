import { useEffect, useState } from 'react';
import { useAppStore } from '../store/index.js';

/** Current values of CSS custom properties, re-read when the theme changes (charts draw with them). */
export function useCssVars<K extends string>(names: readonly K[]): Record<K, string> {
  const theme = useAppStore((s) => s.theme);
  const read = () => {
    const style = getComputedStyle(document.documentElement);
    return Object.fromEntries(names.map((n) => [n, style.getPropertyValue(n).trim()])) as Record<K, string>;
  };
  const [values, setValues] = useState(read);
  useEffect(() => {
    setValues(read());
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => setValues(read());
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, [theme]);
  return values;
}
