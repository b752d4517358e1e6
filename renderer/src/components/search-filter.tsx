import { useId } from 'react';
import { Icon } from './icons.js';

/** A list's free-text search in a toolbar: a labelled search box with the magnifier inside it. */
export function SearchFilter({
  label,
  value,
  onChange,
  placeholder,
  id,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  /** The input's id; one is made up when the caller needs none of its own. */
  id?: string;
}) {
  const madeId = useId();
  const inputId = id ?? madeId;
  return (
    <div className="filter filter--search">
      <label className="filter__label" htmlFor={inputId}>
        {label}
      </label>
      <div className="input-icon">
        <Icon name="search" size={14} />
        <input id={inputId} className="input input--sm" type="search" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      </div>
    </div>
  );
}
