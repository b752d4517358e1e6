import { useId, type ReactNode } from 'react';

/**
 * A labelled choice in a list's toolbar. The choices are `options` (after `any`, the empty value,
 * when given), each shown through `optionLabel`; or, when they need more, the `children`.
 */
export function SelectFilter<T extends string>({
  label,
  value,
  onChange,
  id,
  any,
  options,
  optionLabel,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The select's id; one is made up when the caller needs none of its own. */
  id?: string;
  any?: string;
  options?: readonly T[];
  optionLabel?: (option: T) => string;
  children?: ReactNode;
}) {
  const madeId = useId();
  const selectId = id ?? madeId;
  return (
    <div className="filter">
      <label className="filter__label" htmlFor={selectId}>
        {label}
      </label>
      <select id={selectId} className="select select--sm" value={value} onChange={(e) => onChange(e.target.value)}>
        {any !== undefined && <option value="">{any}</option>}
        {options?.map((o) => (
          <option key={o} value={o}>
            {optionLabel ? optionLabel(o) : o}
          </option>
        ))}
        {children}
      </select>
    </div>
  );
}
