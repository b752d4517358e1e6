import { useEffect, useId, useState } from 'react';
import { client } from '../api/client.js';
import { Field } from './field.js';

/** Pickers of the items a dialog is about: a subject, and that subject's records. */

interface SubjectOption {
  id: string;
  displayName: string;
}

/** Picks a subject by name or id: a text box with suggestions from `subjects.list`. */
export function SubjectPicker({ value, onChange, label = 'Subject' }: { value: string; onChange: (id: string) => void; label?: string }) {
  const listId = useId();
  const [options, setOptions] = useState<SubjectOption[]>([]);
  const [search, setSearch] = useState('');
  useEffect(() => {
    let live = true;
    const t = window.setTimeout(() => {
      void client.call('subjects.list', { ...(search.trim() ? { search: search.trim() } : {}), limit: 50 }).then((r) => {
        if (live && r.ok) setOptions(r.value.items.map((s) => ({ id: s.id, displayName: s.displayName })));
      });
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [search]);
  const match = options.find((o) => o.id === value);
  return (
    <Field label={label} hint={match ? match.displayName : 'Type a name or id and pick the subject.'}>
      {(p) => (
        <>
          <input
            className="input"
            list={listId}
            autoComplete="off"
            {...p}
            value={value}
            onChange={(e) => {
              onChange(e.target.value);
              setSearch(e.target.value);
            }}
          />
          <datalist id={listId}>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.displayName}
              </option>
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

interface RecordOption {
  id: string;
  title: string;
  category: string;
  status: string;
}

/** The subject's records as checkboxes (several) or radio buttons (one); only active records can be chosen. */
export function RecordChooser({
  subjectId,
  value,
  onChange,
  multiple,
  legend,
}: {
  subjectId: string;
  value: string[];
  onChange: (ids: string[]) => void;
  multiple: boolean;
  legend: string;
}) {
  const [records, setRecords] = useState<RecordOption[] | null>(null);
  const name = useId();
  useEffect(() => {
    let live = true;
    setRecords(null);
    if (!subjectId.trim()) return;
    const t = window.setTimeout(() => {
      void client.call('subjects.get', { id: subjectId.trim() }).then((r) => {
        if (live) setRecords(r.ok ? r.value.records.map((x) => ({ id: x.id, title: x.title, category: x.category, status: x.status })) : []);
      });
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [subjectId]);
  return (
    <fieldset className="ferpa-records">
      <legend className="field__label">{legend}</legend>
      {!subjectId.trim() ? (
        <p className="muted">Choose the subject first.</p>
      ) : records === null ? (
        <p className="muted">Loading records…</p>
      ) : records.length === 0 ? (
        <p className="muted">No records found for {subjectId}.</p>
      ) : (
        records.map((r) => (
          <label key={r.id} className="ferpa-check">
            <input
              type={multiple ? 'checkbox' : 'radio'}
              name={name}
              disabled={r.status !== 'active'}
              checked={value.includes(r.id)}
              onChange={(e) => {
                if (!multiple) onChange([r.id]);
                else onChange(e.target.checked ? [...value, r.id] : value.filter((x) => x !== r.id));
              }}
            />
            <span className="mono">{r.id}</span>
            <span>{r.title}</span>
            <span className="muted">
              {r.category}
              {r.status !== 'active' ? ` · ${r.status}` : ''}
            </span>
          </label>
        ))
      )}
    </fieldset>
  );
}
