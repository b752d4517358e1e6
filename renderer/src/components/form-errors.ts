import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { fieldWords, issueSentence } from '../../../shared/field-check.js';

/**
 * Errors at the field, for every form (issue 15.8). Each `Field` inside a `Dialog` registers the
 * request field it feeds (`name`, e.g. `title`, `caseId`) and its label. When a call is refused as
 * ill-formed — by the client's check against the contract or by the core — and the answer names a
 * field (`details.field`, or the core's first `details.issues` path), the sentence appears under
 * that field (aria-invalid, aria-describedby) and the focus moves there; any other error stays in
 * the form's alert.
 */

/** What a refused call looks like to a form (a Result's error, or any part of one). */
export interface FormProblem {
  code?: string;
  message: string;
  details?: Record<string, unknown>;
}

interface Entry {
  name: string | undefined;
  label: string;
  focus: () => void;
}

interface FieldErrorState {
  key: number;
  message: string;
}

export interface FormErrors {
  /** The error shown at a field, if any: the key of the field (as registered) and the sentence. */
  readonly current: FieldErrorState | null;
  register(entry: Entry): { key: number; unregister: () => void };
  /** Puts `problem` at its field when one of this form's fields feeds it; returns the sentence left for the alert, or null. */
  route(problem: FormProblem | string | null): string | null;
  clear(key?: number): void;
}

export const FormErrorsContext = createContext<FormErrors | null>(null);

/** The field a refused call names, as a dotted request path, with the sentence to show there. */
export function problemField(problem: FormProblem): { field: string; message: string } | null {
  const details = problem.details ?? {};
  if (typeof details.field === 'string' && details.field) return { field: details.field, message: problem.message };
  const issues = details.issues;
  if (problem.code === 'validation' && Array.isArray(issues) && issues.length > 0) {
    const first = issues[0] as { path?: unknown; message?: unknown };
    if (typeof first.path === 'string' && first.path && typeof first.message === 'string') {
      const path = first.path.split('.');
      return { field: first.path, message: issueSentence({ code: 'custom', path, message: first.message }) };
    }
  }
  return null;
}

/**
 * The client's sentence said with the field's own label ("Enter a note." rather than "Enter a body."):
 * a short label is used as a noun ("a note", "an incident title"), a longer one is quoted.
 */
export function inLabelWords(problem: FormProblem, at: { field: string; message: string }, label: string): string {
  const issue = problem.details?.issue as { code?: unknown; message?: unknown; origin?: unknown; minimum?: unknown; maximum?: unknown } | undefined;
  if (!issue || typeof issue.code !== 'string' || typeof issue.message !== 'string') return at.message;
  const plain = label.replace(/\s*\(.*?\)\s*/g, ' ').trim();
  if (!plain) return at.message;
  const short = plain.split(/\s+/).length <= 3 && !/^(what|why|how|who|when|where|which)\b/i.test(plain);
  const noun = short ? `${/^[aeiou]/i.test(plain) ? 'an' : 'a'} ${plain.toLowerCase()}` : `“${plain}”`;
  return issueSentence({ code: issue.code, message: issue.message, origin: issue.origin, minimum: issue.minimum, maximum: issue.maximum, path: at.field.split('.') }, { label: noun });
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True when one list of words begins the other ("case id" and "Case", "title" and "Title of the hold"). */
function wordsAgree(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).join(' ') === b.slice(0, n).join(' ');
}

/** The registered field that feeds request path `field`: by declared name first, then by label. */
export function matchField(entries: readonly (Entry & { key: number })[], field: string): (Entry & { key: number }) | null {
  const byName = entries.find((e) => e.name !== undefined && (field === e.name || field.startsWith(`${e.name}.`)));
  if (byName) return byName;
  const segments = field.split('.').filter((s) => !/^\d+$/.test(s));
  const candidates = [fieldWords([segments[segments.length - 1] ?? field]), fieldWords([segments[0] ?? field])].map(words);
  return entries.find((e) => e.name === undefined && candidates.some((c) => wordsAgree(c, words(e.label)))) ?? null;
}

/** The state behind one form's field errors; give it to `Dialog` (`form`) or a `FormErrorsContext.Provider`. */
export function useFormErrors(): FormErrors {
  const entries = useRef(new Map<number, Entry>());
  const nextKey = useRef(1);
  const [current, setCurrent] = useState<FieldErrorState | null>(null);
  const pendingFocus = useRef<number | null>(null);

  useEffect(() => {
    if (current === null || pendingFocus.current !== current.key) return;
    pendingFocus.current = null;
    entries.current.get(current.key)?.focus();
  }, [current]);

  const register = useCallback((entry: Entry) => {
    const key = nextKey.current++;
    entries.current.set(key, entry);
    return {
      key,
      unregister: () => {
        entries.current.delete(key);
      },
    };
  }, []);

  const route = useCallback((problem: FormProblem | string | null): string | null => {
    if (problem === null) {
      setCurrent(null);
      return null;
    }
    if (typeof problem === 'string') {
      setCurrent(null);
      return problem;
    }
    const at = problemField(problem);
    const entry = at ? matchField([...entries.current].map(([key, e]) => ({ ...e, key })), at.field) : null;
    if (!at || !entry) {
      setCurrent(null);
      return problem.message;
    }
    pendingFocus.current = entry.key;
    setCurrent({ key: entry.key, message: inLabelWords(problem, at, entry.label) });
    return null;
  }, []);

  const clear = useCallback((key?: number) => {
    setCurrent((c) => (c === null || key === undefined || c.key === key ? null : c));
  }, []);

  return useMemo(() => ({ current, register, route, clear }), [current, register, route, clear]);
}

/** For `Field`: registers the field with the form around it (if any) and says the error to show there. */
export function useFieldError(name: string | undefined, label: string, id: string): { error: string | null; onInput: () => void } {
  const form = useContext(FormErrorsContext);
  const [key, setKey] = useState<number | null>(null);
  const register = form?.register;
  useEffect(() => {
    if (!register) return;
    const r = register({
      name,
      label,
      focus: () => {
        const el = document.getElementById(id);
        el?.focus();
        el?.scrollIntoView({ block: 'nearest' });
      },
    });
    setKey(r.key);
    return r.unregister;
  }, [register, name, label, id]);
  const error = form?.current && key !== null && form.current.key === key ? form.current.message : null;
  return {
    error,
    onInput: () => {
      if (error && key !== null) form?.clear(key);
    },
  };
}

/** A form's own check, said at the field it is about (`field` as the request names it). */
export function atField(field: string, message: string): FormProblem {
  return { code: 'validation', message, details: { field } };
}
