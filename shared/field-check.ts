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
 * field (`label`, as in "a username"); null when the contract accepts it. Messages written in the
 * contract (a pattern's explanation) are shown as they are; size limits are put in words.
 */
export function fieldProblem(channel: ChannelName, field: string, value: unknown, label: string): string | null {
  const r = fieldSchema(channel, field).safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  if (issue.code === 'too_small' && issue.origin === 'string') {
    return Number(issue.minimum) <= 1 || (typeof value === 'string' && value.trim() === '') ? `Enter ${label}.` : `${capital(label)} needs at least ${String(issue.minimum)} characters.`;
  }
  if (issue.code === 'too_big' && issue.origin === 'string') return `${capital(label)} takes at most ${String(issue.maximum)} characters.`;
  return issue.message;
}

function capital(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}
