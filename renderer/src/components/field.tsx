import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { useFieldError } from './form-errors.js';

/**
 * A labelled input with optional hint and error, wired with aria-describedby. `name` is the request
 * field it feeds (`title`, `caseId`): when the form's call is refused naming that field, the
 * sentence shows here and the focus comes here (form-errors.tsx); without it, the label is matched.
 */
export function Field({
  label,
  hint,
  error: ownError,
  name,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  name?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const fromForm = useFieldError(name, label, id);
  const error = ownError ?? fromForm.error;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field" onInput={fromForm.onInput}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint && (
        <div id={hintId} className="field__hint">
          {hint}
        </div>
      )}
      {error && (
        <div id={errorId} className="field__error">
          {error}
        </div>
      )}
    </div>
  );
}

export function TextField({
  label,
  hint,
  error,
  name,
  value,
  onChange,
  inputRef,
  ...rest
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  /** The request field this feeds (see `Field`). */
  name?: string;
  value: string;
  onChange: (v: string) => void;
  inputRef?: Ref<HTMLInputElement>;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'>) {
  return (
    <Field label={label} hint={hint} error={error} name={name}>
      {(p) => <input ref={inputRef} className="input" {...rest} {...p} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** A labelled multi-line text box. */
export function TextArea({ label, value, onChange, hint, rows = 3, name, error }: { label: string; value: string; onChange: (v: string) => void; hint?: ReactNode; rows?: number; name?: string; error?: string | null }) {
  return (
    <Field label={label} hint={hint} name={name} error={error}>
      {(p) => <textarea className="input ferpa-textarea" rows={rows} {...p} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** A labelled choice of `[value, label]` options. */
export function Select({ label, value, onChange, options, hint, name }: { label: string; value: string; onChange: (v: string) => void; options: [string, string][]; hint?: ReactNode; name?: string }) {
  return (
    <Field label={label} hint={hint} name={name}>
      {(p) => (
        <select className="select" {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
