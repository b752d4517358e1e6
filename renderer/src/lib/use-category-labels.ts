import { useEffect, useState } from 'react';
import { client } from '../api/client.js';

let cache: Record<string, string> | null = null;
let loading: Promise<Record<string, string>> | null = null;

function load(): Promise<Record<string, string>> {
  loading ??= client.call('records.categories', {}).then((r) => {
    if (!r.ok) {
      loading = null;
      return {};
    }
    // "Grade records (scores, grading comments, adjustments)" → "Grade records": the short name people use.
    cache = Object.fromEntries(r.value.categories.map((c) => [c.key, c.label.split(' (')[0] ?? c.label]));
    return cache;
  });
  return loading;
}

/**
 * A record category's name in words ("Grade records") for its key (`grades`), never the key itself
 * on screen (issue 15.8); the key, tidied, until the names have loaded or when one is unknown.
 */
export function useCategoryLabels(): (key: string) => string {
  const [labels, setLabels] = useState<Record<string, string> | null>(cache);
  useEffect(() => {
    if (labels) return;
    let live = true;
    void load().then((l) => live && setLabels(l));
    return () => {
      live = false;
    };
  }, [labels]);
  return (key: string) => labels?.[key] ?? key.replace(/_/g, ' ');
}
