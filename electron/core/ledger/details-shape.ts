/**
 * What each field of an event's `details` holds, declared once per action beside the code that
 * writes the event (`<domain>/events.ts`), and read by masking (exports/masking.ts) and by the
 * test that fails when an emitted field is undeclared (test/unit/event-shapes.test.ts).
 *
 * - `person`: names a user or another person (a username, a custodian's or recipient's name) —
 *   masked like the actor; an object under such a key is masked whole.
 * - `subject`: identifies a data subject (a student's id or external id) — masked like a person.
 * - `text`: free text someone typed (a reason, a purpose, a note) — kept, but masked values and
 *   opted-out values are scrubbed from it, and redact-details redacts it.
 * - `data`: ids of records, hashes, sizes, counts, states, times, flags — kept.
 *
 * A key may be a dotted path into an object field (`filters.actor`) to class one part of it.
 */
export type FieldClass = 'person' | 'subject' | 'text' | 'data';

export type DetailsShape = Readonly<Record<string, FieldClass>>;

/** action → the shape of its details when it succeeds. */
export type EventShapes = Readonly<Record<string, DetailsShape>>;

/**
 * The details of a refused or failed call, whatever its action (dispatch.ts, evidence access,
 * exports and imports that fail): why, in words and as a code, with the role that was refused.
 */
export const REFUSAL_SHAPE: DetailsShape = Object.freeze({
  code: 'data',
  message: 'text',
  reason: 'text',
  role: 'data',
  holds: 'data',
  issues: 'text',
  attempted_at: 'data',
  recorded: 'data',
  dropped: 'data',
  kept: 'data',
});

/** Declares a domain's event shapes (identity; keeps the literal keys for the catalog). */
export function eventShapes<T extends EventShapes>(shapes: T): T {
  return shapes;
}

/** The fields of `shape` (and, for refusals, of REFUSAL_SHAPE) of class `cls`. */
export function fieldsOfClass(shape: DetailsShape, ...classes: FieldClass[]): string[] {
  return Object.entries(shape)
    .filter(([, c]) => classes.includes(c))
    .map(([k]) => k);
}
