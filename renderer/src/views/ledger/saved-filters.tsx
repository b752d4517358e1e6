import { useState } from 'react';
import type { LedgerFilter } from '../../../../shared/contract/core.js';
import { Dialog } from '../../components/dialog.js';
import { TextField } from '../../components/field.js';
import { Icon } from '../../components/icons.js';
import { useAppStore } from '../../store/index.js';
import { cleanFilter } from '../../store/ledger-view-slice.js';

interface Saved {
  name: string;
  filter: LedgerFilter;
}

/** Saved filters are a personal convenience, kept in this browser profile per workspace (never secret data). */
function storageKey(workspaceId: string | null | undefined): string {
  return `custos.savedFilters.${workspaceId ?? 'default'}`;
}

function load(key: string): Saved[] {
  try {
    const v = JSON.parse(window.localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as Saved[]).filter((s) => typeof s?.name === 'string' && typeof s.filter === 'object') : [];
  } catch {
    return [];
  }
}

export function SavedFilters({ current, onApply }: { current: LedgerFilter; onApply: (f: LedgerFilter) => void }) {
  const workspaceId = useAppStore((s) => s.workspace?.id);
  const key = storageKey(workspaceId);
  const [saved, setSaved] = useState<Saved[]>(() => load(key));
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const hasFilter = Object.keys(cleanFilter(current)).length > 0;

  function persist(next: Saved[]) {
    setSaved(next);
    try {
      window.localStorage.setItem(key, JSON.stringify(next));
    } catch {
      // Without storage the list lasts for this window only.
    }
  }

  return (
    <div className="saved-filters">
      {saved.length > 0 && (
        <>
          <label htmlFor="saved-filter" className="visually-hidden">
            Apply a saved filter
          </label>
          <select
            id="saved-filter"
            className="select select--sm"
            value=""
            onChange={(e) => {
              const s = saved.find((x) => x.name === e.target.value);
              if (s) onApply(s.filter);
            }}
          >
            <option value="">Saved filters…</option>
            {saved.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </>
      )}
      <button type="button" className="btn btn--ghost btn--sm" disabled={!hasFilter} onClick={() => setNaming(true)}>
        <Icon name="bookmark" size={13} />
        Save filter
      </button>
      <Dialog
        open={naming}
        title="Save this filter"
        onClose={() => {
          setNaming(false);
          setError(null);
        }}
        onSubmit={() => {
          const n = name.trim();
          if (!n) {
            setError('Enter a name for the filter.');
            return;
          }
          persist([...saved.filter((s) => s.name !== n), { name: n, filter: cleanFilter(current) }]);
          setNaming(false);
          setName('');
          setError(null);
        }}
        footer={
          <>
            <button type="button" className="btn" onClick={() => setNaming(false)}>
              Cancel
            </button>
            <button type="submit" className="btn btn--primary">
              Save
            </button>
          </>
        }
      >
        <TextField label="Name" value={name} onChange={setName} error={error} placeholder="e.g. Denied evidence actions" autoFocus />
        <p className="field__hint">Saved on this computer for this workspace. A saved filter holds only the filter values, never events.</p>
      </Dialog>
    </div>
  );
}
