/*
 * Data classes of what the read channels answer (DESIGN §11). Every non-mutating channel of the
 * contract declares, beside its definition, which fields of its answer hold which class; a field it
 * does not name is operational (ids, states, dates, counts, hashes, categories). Each role sees the
 * classes shared/roles.ts gives it, and the dispatch removes the rest before an answer leaves the
 * core (electron/core/read-view.ts).
 */

/**
 * - operational: how the work stands, visible to every role.
 * - personal: people other than the subjects: user display names, custodians, recipients, officers.
 * - student_record: the education records and who they are about (FERPA): subject names, e-mail,
 *   date of birth, student ids, record titles and contents, and the free text written about them.
 * - security: what the ledger says about refused and failed calls and what every event carries.
 */
export const DATA_CLASSES = ['operational', 'personal', 'student_record', 'security'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];
/** The classes a declaration names (operational is whatever it does not). */
export type RestrictedClass = Exclude<DataClass, 'operational'>;
export const RESTRICTED_CLASSES: readonly RestrictedClass[] = ['personal', 'student_record', 'security'];

export const DATA_CLASS_LABELS: Record<DataClass, string> = {
  operational: 'operational data',
  personal: 'personal data of staff and other people',
  student_record: 'student records',
  security: 'security details',
};

/**
 * Where one read channel's answer holds restricted data. Paths name answer fields with dots;
 * `*` steps into every element of an array or every value of a record (`items.*.email`). A path
 * may be named under several classes: a role then sees it only when it may see all of them.
 */
export interface ReadClasses {
  personal?: readonly string[];
  student_record?: readonly string[];
  security?: readonly string[];
  /**
   * Request fields that match or search data of a class (a free-text search over names): a role
   * that may not see the class may not use them, or the count of matches would tell it the data.
   */
  searches?: Partial<Record<RestrictedClass, readonly string[]>>;
}

/** The declarations of one contract file: every read channel of it, by name. */
export type ReadClassMap<Channels> = { readonly [C in keyof Channels]?: ReadClasses };

/** What a string field the role may not see reads instead (it still satisfies the response schema). */
export const RESTRICTED = '[restricted]';
