import { useEffect, useId, useState } from 'react';
import type { LedgerFilter } from '../../../../shared/contract/core.js';
import type { ExportFormatName, ExportRequest } from '../../../../shared/contract/exports.js';
import { client } from '../../api/client.js';
import { Field } from '../../components/field.js';
import { Spinner } from '../../components/spinner.js';
import { formatCount } from '../../lib/format.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { activeFilters, cleanScope } from './export-ui.js';

export interface Scope {
  filters: LedgerFilter;
  caseId: string;
}

export const EMPTY_SCOPE: Scope = { filters: {}, caseId: '' };

/** Problems with a scope the core would refuse or that select nothing, by field. */
export function scopeErrors(s: Scope): Partial<Record<keyof LedgerFilter | 'caseId', string>> {
  const e: Partial<Record<keyof LedgerFilter | 'caseId', string>> = {};
  if (s.filters.from && s.filters.to && s.filters.from > s.filters.to) e.to = 'The end date is before the start date.';
  return e;
}

/** Null when the case exists (or none is given), else the sentence to show under the field. */
export async function checkCase(caseId: string): Promise<string | null> {
  const id = caseId.trim();
  if (!id) return null;
  const r = await client.call('cases.get', { id });
  if (r.ok) return null;
  return r.error.code === 'not_found' ? `There is no case ${id}; pick one from the list.` : r.error.message;
}

/** Actors, actions and resource types for suggestions; fetched per dialog, so nothing outlives a lock. */
function useFacets() {
  const [facets, setFacets] = useState<{ actors: string[]; actions: string[]; resourceTypes: string[] } | null>(null);
  useEffect(() => {
    let live = true;
    void client.call('ledger.facets', {}).then((r) => {
      if (live && r.ok) setFacets(r.value);
    });
    return () => {
      live = false;
    };
  }, []);
  return facets;
}

/**
 * How many events the filters and the case select right now: the core counts with the case's scope
 * (the one its timeline, exports and bundles use), so the preview is what the file will hold.
 */
export function useMatchCount(filters: LedgerFilter, caseId: string | null, enabled = true): { count: number | null; loading: boolean; error: string | null } {
  const key = JSON.stringify({ ...cleanScope(filters), ...(caseId?.trim() ? { caseId: caseId.trim() } : {}) });
  const debounced = useDebounced(key, 300);
  const [state, setState] = useState<{ key: string; count: number | null; error: string | null }>({ key: '', count: null, error: null });
  useEffect(() => {
    let live = true;
    if (!enabled) return;
    const f = JSON.parse(debounced) as LedgerFilter & { caseId?: string };
    if (f.from && f.to && f.from > f.to) {
      setState({ key: debounced, count: 0, error: null });
      return;
    }
    void client.call('ledger.query', { ...f, limit: 1, withTotal: true }).then((r) => {
      if (live) setState({ key: debounced, count: r.ok ? r.value.total : null, error: r.ok ? null : r.error.message });
    });
    return () => {
      live = false;
    };
  }, [debounced, enabled]);
  return { count: state.count, loading: state.key !== key, error: state.key === key ? state.error : null };
}

interface CaseOption {
  id: string;
  title: string;
}

/**
 * The ledger filters of an export or bundle (the fields of ledgerFilterSchema) and the case, with
 * suggestions from the ledger and a live count of what they select.
 */
export function ScopeFields({
  value,
  onChange,
  errors,
  onCount,
}: {
  value: Scope;
  onChange: (s: Scope) => void;
  errors: Partial<Record<keyof LedgerFilter | 'caseId', string>>;
  /** Hears the settled count of matching events (null while counting). */
  onCount?: (count: number | null) => void;
}) {
  const facets = useFacets();
  const ids = { actors: useId(), actions: useId(), types: useId(), cases: useId() };
  const [cases, setCases] = useState<CaseOption[]>([]);
  const caseSearch = useDebounced(value.caseId, 200);
  const { count, loading, error } = useMatchCount(value.filters, value.caseId);
  const settled = loading ? null : count;
  useEffect(() => {
    onCount?.(settled);
  }, [settled, onCount]);

  useEffect(() => {
    let live = true;
    const search = caseSearch.trim();
    void client.call('cases.list', { ...(search ? { search } : {}), limit: 50, sort: 'updated_at', dir: 'desc' }).then((r) => {
      if (live && r.ok) setCases(r.value.items.map((c) => ({ id: c.id, title: c.title })));
    });
    return () => {
      live = false;
    };
  }, [caseSearch]);

  const set = (k: keyof LedgerFilter) => (v: string) => onChange({ ...value, filters: { ...value.filters, [k]: v || undefined } });
  const f = value.filters;
  const caseMatch = cases.find((c) => c.id === value.caseId.trim());

  return (
    <div className="exp-scope">
      <div className="exp-grid exp-grid--3">
        <Field label="From" error={errors.from}>
          {(p) => <input className="input" type="date" {...p} value={f.from ?? ''} max={f.to} onChange={(e) => set('from')(e.target.value)} />}
        </Field>
        <Field label="To" error={errors.to}>
          {(p) => <input className="input" type="date" {...p} value={f.to ?? ''} min={f.from} onChange={(e) => set('to')(e.target.value)} />}
        </Field>
        <Field label="Outcome">
          {(p) => (
            <select className="select" {...p} value={f.outcome ?? ''} onChange={(e) => set('outcome')(e.target.value)}>
              <option value="">Any outcome</option>
              <option value="success">Success</option>
              <option value="denied">Denied</option>
              <option value="failure">Failure</option>
            </select>
          )}
        </Field>
        <Field label="Actor">
          {(p) => (
            <>
              <input className="input" list={ids.actors} autoComplete="off" spellCheck={false} placeholder="Anyone" {...p} value={f.actor ?? ''} onChange={(e) => set('actor')(e.target.value)} />
              <datalist id={ids.actors}>{facets?.actors.map((a) => <option key={a} value={a} />)}</datalist>
            </>
          )}
        </Field>
        <Field label="Action" hint="End with * to match a prefix.">
          {(p) => (
            <>
              <input className="input" list={ids.actions} autoComplete="off" spellCheck={false} placeholder="e.g. evidence.*" {...p} value={f.action ?? ''} onChange={(e) => set('action')(e.target.value)} />
              <datalist id={ids.actions}>
                {facets && [...new Set(facets.actions.map((a) => `${a.split('.')[0]}.*`))].map((a) => <option key={a} value={a} />)}
                {facets?.actions.map((a) => <option key={a} value={a} />)}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Resource type">
          {(p) => (
            <>
              <input className="input" list={ids.types} autoComplete="off" spellCheck={false} placeholder="Any" {...p} value={f.resourceType ?? ''} onChange={(e) => set('resourceType')(e.target.value)} />
              <datalist id={ids.types}>{facets?.resourceTypes.map((t) => <option key={t} value={t} />)}</datalist>
            </>
          )}
        </Field>
      </div>
      <div className="exp-grid exp-grid--2">
        <Field label="Resource id">
          {(p) => <input className="input input--mono" autoComplete="off" spellCheck={false} placeholder="Exact id" {...p} value={f.resourceId ?? ''} onChange={(e) => set('resourceId')(e.target.value)} />}
        </Field>
        <Field label="Text">
          {(p) => <input className="input" autoComplete="off" placeholder="Anywhere in the event" {...p} value={f.text ?? ''} onChange={(e) => set('text')(e.target.value)} />}
        </Field>
      </div>
      <Field label="Case" error={errors.caseId} hint={caseMatch ? caseMatch.title : 'Optional: only events about this case and what is linked to it.'}>
        {(p) => (
          <>
            <input
              className="input input--mono"
              list={ids.cases}
              autoComplete="off"
              spellCheck={false}
              placeholder="Any case"
              {...p}
              value={value.caseId}
              onChange={(e) => onChange({ ...value, caseId: e.target.value })}
            />
            <datalist id={ids.cases}>
              {cases.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </datalist>
          </>
        )}
      </Field>
      <div className="exp-scope__count" aria-live="polite" data-testid="scope-count">
        {error ? (
          <span className="muted">{error}</span>
        ) : loading || count === null ? (
          <>
            <Spinner label="Counting matching events" /> <span className="muted">Counting matching events…</span>
          </>
        ) : (
          <span>
            <strong className="num">{formatCount(count)}</strong> {count === 1 ? 'event matches' : 'events match'}{' '}
            {value.caseId.trim() ? (activeFilters(value.filters).length > 0 ? 'these filters within the case' : 'the case') : 'these filters'} now.
          </span>
        )}
      </div>
    </div>
  );
}

/** What an export request and a schedule both ask for: the content, its masking, for whom and why. */
export interface ExportContentDraft {
  type: ExportRequest['type'];
  format: ExportFormatName;
  scope: Scope;
  includeEvidence: boolean;
  includeAuditTrail: boolean;
  masking: string;
  purpose: string;
  recipient: string;
}

/** Those fields as the core receives them: filters and texts trimmed, no evidence register in a CSV. */
export function contentInput(d: ExportContentDraft) {
  return {
    type: d.type,
    format: d.format,
    filters: cleanScope(d.scope.filters),
    ...(d.scope.caseId.trim() ? { caseId: d.scope.caseId.trim() } : {}),
    includeEvidence: d.includeEvidence && d.format !== 'csv',
    includeAuditTrail: d.includeAuditTrail,
    masking: d.masking,
    purpose: d.purpose.trim(),
    recipient: d.recipient.trim(),
  };
}

/** The form's own errors, then, when it has none, whether the case it names exists (one call). */
export async function withCaseCheck<E extends { caseId?: string }>(errors: E, caseId: string): Promise<E> {
  if (Object.keys(errors).length > 0) return errors;
  const caseProblem = await checkCase(caseId);
  return caseProblem ? { ...errors, caseId: caseProblem } : errors;
}
