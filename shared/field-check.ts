import type { z } from 'zod';
import { contract, type ChannelName } from './contract.js';

/**
 * A form field checked by the very schema its channel's request is parsed with (shared/contract/),
 * so a form never holds a rule of its own that can drift from the contract: the page says what
 * the core would refuse, next to the field, before the call.
 */

/** The schema of one field of a channel's request; throws when the channel has no such field (a typo fails at once). */
function fieldSchema(channel: ChannelName, field: string): z.ZodType {
  const request = contract[channel].request as z.ZodType & { shape?: Record<string, z.ZodType> };
  const schema = request.shape?.[field];
  if (!schema) throw new Error(`The request of ${channel} has no field ${field}.`);
  return schema;
}

/**
 * The first problem with `value` as field `field` of `channel`'s request, in a sentence naming the
 * field (`label`, as in "a username"); null when the contract accepts it. The same sentences as a
 * whole request's check (`issueSentence`): one path from a zod issue to words.
 */
export function fieldProblem(channel: ChannelName, field: string, value: unknown, label: string): string | null {
  const r = fieldSchema(channel, field).safeParse(value);
  if (r.success) return null;
  return issueSentence(r.error.issues[0]!, { label, blank: typeof value === 'string' && value.trim() === '' });
}

function capital(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** A request field's name in words: `caseId` → "case id", `recordIds` → "record ids". */
export function fieldWords(path: readonly PropertyKey[]): string {
  const last = [...path].reverse().find((p) => typeof p === 'string') as string | undefined;
  if (!last) return 'value';
  return last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Where a zod issue points in the request, as the dotted path the core's answers use (`scope.subjectIds.0`). */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * A zod issue about a request as one sentence for people ("Enter a title.", "A purpose takes at
 * most 2000 characters.", "Choose a type from the list."), never the schema's own wording; a message
 * written in the contract (a pattern's explanation) is kept as it is. `label` names the field as a
 * form shows it ("a title for the export"); by default the field's name in words with its article.
 * `blank` says the value was empty, so any length minimum reads "Enter …".
 */
export function issueSentence(
  issue: { code: string; path: readonly PropertyKey[]; message: string; minimum?: unknown; maximum?: unknown; origin?: unknown },
  opts: { label?: string; blank?: boolean } = {},
): string {
  const words = fieldWords(issue.path);
  const label = opts.label ?? `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return Number(issue.minimum) <= 1 || opts.blank ? `Enter ${label}.` : `${capital(label)} needs at least ${String(issue.minimum)} characters.`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `${capital(label)} takes at most ${String(issue.maximum)} characters.`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `Choose at least ${String(issue.minimum)} ${words}.`;
  if (issue.code === 'too_big' && issue.origin === 'array') return `Choose at most ${String(issue.maximum)} ${words}.`;
  if (issue.code === 'invalid_value') return `Choose ${label} from the list.`;
  if (issue.code === 'invalid_type') return `Enter ${label}.`;
  if (issue.code === 'unrecognized_keys') return 'The request has a field Custos does not know.';
  if (/^(Too (small|big)|Invalid |Expected |Unrecognized )/.test(issue.message)) return `Check ${label}: it is not in a form Custos accepts.`;
  return issue.message;
}
