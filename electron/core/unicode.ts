// Well-formed Unicode and bounded nesting for every value that crosses a trust boundary. A lone
// surrogate is hashed by JSON.stringify as "\ud800" but stored by SQLite (UTF-8) as U+FFFD, so a
// ledger event holding one could never verify again; RFC 8785 §3.2.2.2 requires refusing it.

/** ES2024 String methods (Node ≥ 20 has them; the project's TypeScript lib is ES2023). */
interface Es2024String {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Deepest nesting of objects and lists a request may have (the contract's deepest shape is far shallower). */
export const MAX_REQUEST_DEPTH = 32;

/** Deepest nesting a ledger event's details or any JSON read from a bundle may have. */
export const MAX_JSON_DEPTH = 64;

/** True when `s` holds no lone surrogate, so its UTF-8 encoding decodes back to the same string. */
export function isWellFormed(s: string): boolean {
  return (s as unknown as Es2024String).isWellFormed();
}

/** `s` with every lone surrogate replaced by U+FFFD (for messages that may quote hostile input). */
export function toWellFormed(s: string): string {
  return (s as unknown as Es2024String).toWellFormed();
}

/** What is wrong with a value and where: `path` holds object keys and list indexes from the root. */
export interface ValueProblem {
  path: (string | number)[];
  kind: 'text' | 'key' | 'depth';
}

/**
 * The first string or object key that is not well-formed Unicode, or the first place nested deeper
 * than `maxDepth` objects and lists, in a JSON-like value. Only plain data is walked (what
 * JSON.parse and structured clone produce); the walk never goes deeper than `maxDepth + 1`, so
 * hostile nesting cannot exhaust the stack.
 */
export function valueProblem(value: unknown, maxDepth: number): ValueProblem | null {
  const path: (string | number)[] = [];
  const visit = (v: unknown, depth: number): ValueProblem['kind'] | null => {
    if (typeof v === 'string') return isWellFormed(v) ? null : 'text';
    if (typeof v !== 'object' || v === null) return null;
    if (depth >= maxDepth) return 'depth';
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        const kind = visit(v[i], depth + 1);
        if (kind) return kind;
        path.pop();
      }
      return null;
    }
    // Buffers, dates and other non-plain objects are not JSON data; the schemas judge them.
    if (ArrayBuffer.isView(v) || v instanceof Date) return null;
    for (const key of Object.keys(v)) {
      if (!isWellFormed(key)) return 'key';
      path.push(key);
      const kind = visit((v as Record<string, unknown>)[key], depth + 1);
      if (kind) return kind;
      path.pop();
    }
    return null;
  };
  const kind = visit(value, 0);
  return kind ? { path, kind } : null;
}

const MAX_SEGMENT = 40;

/** A path as `a.b.0.c` for messages; long keys are shortened so a message never echoes a whole hostile key. */
export function pathText(path: readonly (string | number)[]): string {
  return path
    .map((p) => {
      const s = String(p);
      if (s.length <= MAX_SEGMENT) return s;
      // Do not cut a surrogate pair in half: the message itself must stay well-formed.
      const end = /[\ud800-\udbff]/.test(s[MAX_SEGMENT - 1]!) ? MAX_SEGMENT - 1 : MAX_SEGMENT;
      return `${s.slice(0, end)}…`;
    })
    .join('.');
}

/** One sentence for a value problem, naming the field but never quoting the offending text. */
export function describeValueProblem(p: ValueProblem, maxDepth: number): string {
  const where = pathText(p.path);
  if (p.kind === 'depth') return `${where || 'the value'} nests objects and lists more than ${maxDepth} levels deep`;
  if (p.kind === 'key') return `${where ? `an object at ${where}` : 'the top-level object'} has a field name that is not well-formed Unicode (it holds a lone surrogate)`;
  return `${where || 'the value'} is not well-formed Unicode text (it holds a lone surrogate)`;
}
