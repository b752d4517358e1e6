import type { z } from 'zod';
import { contract, readClasses, type ChannelName } from '../../shared/contract.js';
import { DATA_CLASS_LABELS, RESTRICTED, RESTRICTED_CLASSES, type ReadClasses, type RestrictedClass } from '../../shared/data-classes.js';
import { maySee } from '../../shared/roles.js';
import type { User } from '../../shared/contract/core.js';
import { CustosError } from './errors.js';
import type { Workspace } from './workspace.js';

/*
 * The one place where a role's view of a read channel is enforced (DESIGN §11). The dispatch calls
 * `roleView` after the handler and before answering: the fields of a class the role may not see
 * are replaced by a value the response schema still accepts ('[restricted]' for text, [] for a
 * list, {} for a record of details; null stays null, so "none" still reads as none), and a search
 * over such data is refused and ledgered. Mutating channels answer their own callers, who are the
 * case workers, and are left as they are.
 */

interface Redaction {
  segments: string[];
  value: unknown;
}

const compiled = new Map<string, Redaction[]>();

/** The answer of `channel` as `user` may see it; throws (ledgered) when the request searches data the role may not see. */
export function roleView(ws: Workspace, user: User, channel: ChannelName, request: unknown, answer: unknown): unknown {
  const def = contract[channel];
  if (def.mutates) return answer;
  const hidden = RESTRICTED_CLASSES.filter((c) => !maySee(user.role, c));
  if (hidden.length === 0) return answer;
  const decl = readClasses[channel];
  if (!decl) {
    // Fail closed: an undeclared read channel answers only those who may see every class.
    throw new Error(`The read channel ${channel} declares no data classes (shared/contract/*.ts), so it cannot answer a ${user.role}.`);
  }
  refuseHiddenSearches(ws, user, channel, decl, hidden, request);
  let out = answer;
  for (const r of redactionsFor(channel, decl, hidden)) out = redact(out, r.segments, 0, r.value);
  return out;
}

function refuseHiddenSearches(ws: Workspace, user: User, channel: ChannelName, decl: ReadClasses, hidden: RestrictedClass[], request: unknown): void {
  for (const cls of hidden) {
    for (const field of decl.searches?.[cls] ?? []) {
      const value = (request as Record<string, unknown> | null)?.[field];
      if (typeof value !== 'string' || value.trim() === '') continue;
      // Like a role denial: the attempt is ledgered without the searched text, which may be what it probes for.
      ws.record({ actor: user.username, action: channel, resource_type: 'channel', resource_id: channel, outcome: 'denied', details: { reason: 'data-class', role: user.role, class: cls, field } });
      throw new CustosError('forbidden', `Your role (${user.role}) may not search ${channel} by ${field}: it searches ${DATA_CLASS_LABELS[cls]}, which your role does not see. Filter by id or status instead.`);
    }
  }
}

/** The fields to replace for a role that may not see `hidden`, with their replacements (cached per channel and role view). */
function redactionsFor(channel: ChannelName, decl: ReadClasses, hidden: RestrictedClass[]): Redaction[] {
  const key = `${channel}|${hidden.join(',')}`;
  let out = compiled.get(key);
  if (!out) {
    out = declaredPaths(decl, hidden).map((path) => {
      const segments = path.split('.');
      return { segments, value: replacementFor(channel, path, schemaAt(contract[channel].response, segments)) };
    });
    compiled.set(key, out);
  }
  return out;
}

/** The paths of `decl` under any of `classes`, each once. */
export function declaredPaths(decl: ReadClasses, classes: readonly RestrictedClass[]): string[] {
  return [...new Set(classes.flatMap((c) => decl[c] ?? []))];
}

/** What replaces a field of schema `schema`: text where text fits, else null, an empty list or an empty record. */
export function replacementFor(channel: string, path: string, schema: z.ZodType | undefined): unknown {
  if (!schema) throw new Error(`${channel} declares ${path}, which its response does not have.`);
  for (const candidate of [RESTRICTED, null, [], {}]) {
    if (schema.safeParse(candidate).success) return candidate;
  }
  throw new Error(`${channel} declares ${path}, whose schema accepts no restricted value.`);
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The sub-schema a dotted path (`*`: every element or value) names in `schema`, or undefined. */
export function schemaAt(schema: z.ZodType, segments: readonly string[]): z.ZodType | undefined {
  if (segments.length === 0) return schema;
  const def = defOf(schema);
  const [head, ...rest] = segments as [string, ...string[]];
  switch (def.type) {
    case 'nullable':
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
      return def.innerType && schemaAt(def.innerType, segments);
    case 'pipe':
      return def.out && schemaAt(def.out, segments);
    case 'union':
      for (const option of def.options ?? []) {
        const found = schemaAt(option, segments);
        if (found) return found;
      }
      return undefined;
    case 'object':
      return head !== '*' && def.shape && Object.prototype.hasOwnProperty.call(def.shape, head) ? schemaAt(def.shape[head]!, rest) : undefined;
    case 'array':
      return head === '*' && def.element ? schemaAt(def.element, rest) : undefined;
    case 'record':
      return head === '*' && def.valueType ? schemaAt(def.valueType, rest) : undefined;
    default:
      return undefined;
  }
}

/** A copy of `value` with the field at `segments` replaced (null and absent values are left: "none" says nothing). */
function redact(value: unknown, segments: readonly string[], i: number, replacement: unknown): unknown {
  if (value === null || value === undefined) return value;
  // A fresh copy each time: the empty list or record must not be shared between answers.
  if (i === segments.length) return structuredClone(replacement);
  const seg = segments[i]!;
  if (seg === '*') {
    if (Array.isArray(value)) return value.map((v) => redact(v, segments, i + 1, replacement));
    if (typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, segments, i + 1, replacement)]));
    }
    return value;
  }
  if (typeof value !== 'object' || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, seg)) return value;
  return { ...(value as Record<string, unknown>), [seg]: redact((value as Record<string, unknown>)[seg], segments, i + 1, replacement) };
}
