import { useEffect, useId, useRef, useState } from 'react';
import { client } from '../api/client.js';
import { useUserChoices } from '../lib/use-users.js';
import { Field, Select, TextField } from './field.js';
import { useCategoryLabels } from '../lib/use-category-labels.js';

/** Pickers of the items a dialog is about: a subject, a case, an evidence item, a hold, and a subject's records. */

interface Option {
  id: string;
  label: string;
}

/**
 * Picks an item by name or id: a text box whose suggestions come from a list channel's search, and
 * whose hint names the chosen item. Ids are never typed from memory.
 */
function SearchPicker({
  value,
  onChange,
  label,
  empty,
  search,
  name,
}: {
  value: string;
  onChange: (id: string) => void;
  label: string;
  empty: string;
  search: (text: string) => Promise<Option[] | null>;
  /** The request field the chosen id feeds (see `Field`). */
  name?: string;
}) {
  const listId = useId();
  const [options, setOptions] = useState<Option[]>([]);
  const [text, setText] = useState('');
  // The latest search function (a fresh closure each render); the text is what changes the answer.
  const searchRef = useRef(search);
  searchRef.current = search;
  useEffect(() => {
    let live = true;
    const t = window.setTimeout(() => {
      void searchRef.current(text.trim()).then((found) => {
        if (live && found) setOptions(found);
      });
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [text]);
  const match = options.find((o) => o.id === value);
  return (
    <Field label={label} hint={match ? match.label : empty} name={name}>
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
              setText(e.target.value);
            }}
          />
          <datalist id={listId}>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

const query = (text: string) => ({ ...(text ? { search: text } : {}), limit: 50 });

/** Picks a subject by name or id (`subjects.list`). */
export function SubjectPicker({ value, onChange, label = 'Subject', name }: { value: string; onChange: (id: string) => void; label?: string; name?: string }) {
  return (
    <SearchPicker
      name={name}
      value={value}
      onChange={onChange}
      label={label}
      empty="Type a name or id and pick the subject."
      search={async (text) => {
        const r = await client.call('subjects.list', query(text));
        return r.ok ? r.value.items.map((x) => ({ id: x.id, label: x.displayName })) : null;
      }}
    />
  );
}

/** Picks a case by title or id (`cases.list`). */
export function CasePicker({ value, onChange, label = 'Case', name }: { value: string; onChange: (id: string) => void; label?: string; name?: string }) {
  return (
    <SearchPicker
      name={name}
      value={value}
      onChange={onChange}
      label={label}
      empty="Type a title or id and pick the case."
      search={async (text) => {
        const r = await client.call('cases.list', query(text));
        return r.ok ? r.value.items.map((x) => ({ id: x.id, label: x.title })) : null;
      }}
    />
  );
}

/** Picks an evidence item by title or id (`evidence.list`). */
export function EvidencePicker({ value, onChange, label = 'Evidence item', name }: { value: string; onChange: (id: string) => void; label?: string; name?: string }) {
  return (
    <SearchPicker
      name={name}
      value={value}
      onChange={onChange}
      label={label}
      empty="Type a title or id and pick the evidence item."
      search={async (text) => {
        const r = await client.call('evidence.list', query(text));
        return r.ok ? r.value.items.map((x) => ({ id: x.id, label: x.title })) : null;
      }}
    />
  );
}

/** Picks a legal hold by title or id (`holds.list`). */
export function HoldPicker({ value, onChange, label = 'Legal hold', name }: { value: string; onChange: (id: string) => void; label?: string; name?: string }) {
  return (
    <SearchPicker
      name={name}
      value={value}
      onChange={onChange}
      label={label}
      empty="Type a title or id and pick the hold."
      search={async (text) => {
        const r = await client.call('holds.list', query(text));
        return r.ok ? r.value.items.map((x) => ({ id: x.id, label: x.title })) : null;
      }}
    />
  );
}

/**
 * Picks a user of the workspace by name, for roles that may list users; the others type a username
 * (the core checks it either way). `none` labels the empty choice when nobody is allowed.
 */
export function UserPicker({ value, onChange, label, hint, none, name }: { value: string; onChange: (u: string) => void; label: string; hint?: string; none?: string; name?: string }) {
  const users = useUserChoices();
  if (users === null) return <p className="muted">Loading the workspace’s users…</p>;
  if (users === 'unlisted') return <TextField label={label} name={name} value={value} onChange={onChange} hint={hint ?? 'A username.'} />;
  const options: [string, string][] = users.map((u) => [u.username, `${u.displayName} (${u.username})`]);
  return <Select label={label} name={name} value={value} onChange={onChange} hint={hint} options={none === undefined ? options : [['', none], ...options]} />;
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
  const categoryName = useCategoryLabels();
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
              {categoryName(r.category)}
              {r.status !== 'active' ? ` · ${r.status}` : ''}
            </span>
          </label>
        ))
      )}
    </fieldset>
  );
}

/**
 * A person or office (a custodian, who collected an item): free text, since an office or an outside
 * person is not a user, with the workspace's users offered by name as you type.
 */
export function PartyPicker({ value, onChange, label, name, placeholder, hint }: { value: string; onChange: (v: string) => void; label: string; name?: string; placeholder?: string; hint?: string }) {
  const users = useUserChoices();
  const listId = useId();
  const known = Array.isArray(users) ? users : [];
  return (
    <Field label={label} name={name} hint={hint ?? 'Type a name, or pick a user of the workspace.'}>
      {(p) => (
        <>
          <input className="input" list={listId} autoComplete="off" placeholder={placeholder} {...p} value={value} onChange={(e) => onChange(e.target.value)} />
          <datalist id={listId}>
            {known.map((u) => (
              <option key={u.username} value={u.displayName}>
                {u.username}
              </option>
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

/** Several subjects, each picked by name or id (`subjects.list`), shown as removable chips. */
export function SubjectsPicker({ value, onChange, label, name }: { value: string[]; onChange: (ids: string[]) => void; label: string; name?: string }) {
  const [next, setNext] = useState('');
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    const missing = value.filter((id) => names[id] === undefined);
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map((id) => client.call('subjects.get', { id }))).then((rs) => {
      if (!live) return;
      const found: Record<string, string> = {};
      rs.forEach((r, i) => (found[missing[i]!] = r.ok ? r.value.subject.displayName : ''));
      setNames((n) => ({ ...n, ...found }));
    });
    return () => {
      live = false;
    };
  }, [value, names]);
  function add(): void {
    const id = next.trim();
    if (id && !value.includes(id)) onChange([...value, id]);
    setNext('');
  }
  return (
    <div className="subjects-picker">
      <div className="subjects-picker__add">
        <SubjectPicker label={label} name={name} value={next} onChange={setNext} />
        <button type="button" className="btn" onClick={add} disabled={!next.trim()}>
          Add subject
        </button>
      </div>
      {value.length > 0 && (
        <ul className="subjects-picker__chosen" aria-label={`${label}: chosen`}>
          {value.map((id) => (
            <li key={id} className="subjects-picker__chip">
              <span>{names[id] ? `${names[id]} (${id})` : id}</span>
              <button type="button" className="btn btn--ghost btn--sm" aria-label={`Remove ${names[id] || id}`} onClick={() => onChange(value.filter((x) => x !== id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
