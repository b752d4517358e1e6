import { createHmac } from 'node:crypto';
import type { LedgerEvent } from '../../../shared/ledger-types.js';
import { CustosError } from '../errors.js';
import { EVENT_SHAPES } from '../event-catalog.js';
import { fieldsOfClass } from '../ledger/details-shape.js';
import type { ExportEvidenceItem } from './formats/types.js';

/*
 * Masking replaces chosen values of exported events before they are written.
 *
 * - pseudonymize: 'anon-' + the first 16 hex digits of HMAC-SHA256(key, value). The key is
 *   32 random bytes made for one export and never stored, so within that export the same
 *   person always gets the same token (rows stay linkable), while without the key a token
 *   cannot be reversed or matched against another export (a fresh key gives new tokens).
 * - redact: the value becomes '[REDACTED]'.
 *
 * `hash` and `prev_hash` are kept as recorded. A masked event no longer hashes to its `hash`,
 * but the hashes still tie each row to the signed checkpoint and to the unmasked ledger, so
 * the export proves which recorded events it shows without containing the masked values.
 * Caveat: a hash is a fixed function of the whole original event and every other field is in
 * the export, so someone holding a list of candidate values (a staff or student roster) can
 * test each candidate against it. Masking hides values from reading and from linking across
 * exports; it does not withstand that dictionary test.
 *
 * Field paths: 'actor', 'resource_id', or 'details.<key>[.<key>…]'. A details segment may be
 * '*' (any one key), '**' (any number of keys, including none) or contain '*' inside a key
 * ('*_email'); keys compare case-insensitively and arrays are transparent (a path names the
 * array's elements too). When a path names an object, everything inside it is masked.
 * `actionFields` adds details paths for the events of one action only: the same key names a
 * person in one action and something else in another (`from` of evidence.transfer is the
 * custodian who handed the item over; `from` of evidence.seal is the item's previous status).
 * The people profiles take them from each action's declared details shape (ledger/details-shape.ts).
 *
 * The evidence register of an export (Masker.evidence) is masked with the same key and rules:
 * the people it names (collector, custodian, from/to of custody hand-overs, who recorded them)
 * as the profile masks actors, so each gets the same pseudonym as in the events; free text
 * (title, description, source, file name, purposes, locations, hold titles) as the profile
 * masks details, i.e. redacted under redact-details and otherwise kept with masked and
 * opted-out values replaced inside it; ids, hashes, sizes, kinds, statuses and times are kept.
 *
 * Directory-information opt-outs (FERPA §99.37): the values in `optedOut` (subject ids,
 * names, e-mail addresses) are redacted wherever they occur in an event, even inside longer
 * text and even where the profile masks nothing; an event that mentions one also has its
 * directory-information fields (names, e-mail, phone, address, birth date, photo) redacted.
 */

export type MaskMode = 'pseudonymize' | 'redact';

/** Which fields a masking profile pseudonymizes or redacts. */
export interface MaskingProfile {
  name: string;
  description?: string;
  /** path → mode; see the paths described at the top of this file. */
  fields: Record<string, MaskMode>;
  /** resource_id is a person's identifier when resource_type is one of `types`: mask it with `mode`. */
  personResources?: { types: string[]; mode: MaskMode };
  /** action → (details path → mode): paths masked only in events of that action. */
  actionFields?: Record<string, Record<string, MaskMode>>;
}

export const REDACTED = '[REDACTED]';
export const PSEUDONYM_PREFIX = 'anon-';
/** Bytes of key a masker needs (one fresh random key per export). */
export const MASKING_KEY_BYTES = 32;

// Keys that hold a person's name. Not every '*_name' does (file_name, workspace_name,
// hold_name), so they are listed.
const NAME_KEYS = [
  'display_name',
  'full_name',
  'first_name',
  'last_name',
  'student_name',
  'subject_name',
  'custodian_name',
  'recipient_name',
  'requester_name',
  'parent_name',
  'guardian_name',
  'witness_name',
];

const CONTACT_KEYS = ['email', '*_email', 'phone', '*_phone', 'address', 'home_address', 'mailing_address', 'ip_address'];

// Keys under which the seeds' records name people: data subjects (students), custodians,
// requesters, recipients of disclosures, witnesses, users. Whatever sits under such a key
// (e.g. recipient: {name, email}) is masked whole.
const PEOPLE_KEYS = [
  'subject',
  'subjects',
  'subject_id',
  'student',
  'students',
  'student_id',
  'custodian',
  'custodians',
  'from_custodian',
  'to_custodian',
  'recipient',
  'recipients',
  'requester',
  'requested_by',
  'approver',
  'approved_by',
  'witness',
  'user',
  'username',
  'admin',
  'assignee',
  'parent',
  'guardian',
  'collected_by',
  'recorded_by',
  'disposed_by',
  ...NAME_KEYS,
  ...CONTACT_KEYS,
];

// FERPA directory information as schools usually define it; redacted in every event that
// mentions an opted-out person (a bare 'name' there is presumed to be theirs).
const DIRECTORY_KEYS = ['name', ...NAME_KEYS, ...CONTACT_KEYS, 'dob', 'date_of_birth', 'birth_date', 'birthdate', 'photo', '*_photo'];

const PERSON_RESOURCE_TYPES = ['user', 'student', 'subject', 'custodian', 'person', 'recipient'];

function peopleFields(mode: MaskMode): Record<string, MaskMode> {
  const fields: Record<string, MaskMode> = { actor: mode };
  for (const key of PEOPLE_KEYS) fields[`details.**.${key}`] = mode;
  return fields;
}

// The details fields that each action declares as naming a person or a data subject (each domain's
// events.ts, gathered in event-catalog.ts): the same key names a person in one action and something
// else in another (`to` of cases.assign is the new assignee; `to` of cases.setStatus is a status).
function peopleActionFields(mode: MaskMode): Record<string, Record<string, MaskMode>> {
  const out: Record<string, Record<string, MaskMode>> = {};
  for (const [action, shape] of Object.entries(EVENT_SHAPES)) {
    const fields = fieldsOfClass(shape, 'person', 'subject');
    if (fields.length > 0) out[action] = Object.fromEntries(fields.map((f) => [`details.${f}`, mode]));
  }
  return out;
}

/** The built-in profiles, by name. */
export const MASKING_PROFILES: Readonly<Record<string, MaskingProfile>> = Object.freeze({
  none: { name: 'none', description: 'Nothing is masked.', fields: {} },
  'pseudonymize-people': {
    name: 'pseudonymize-people',
    description: 'Actors and every person named in the details become stable pseudonyms (anon-…).',
    fields: peopleFields('pseudonymize'),
    personResources: { types: PERSON_RESOURCE_TYPES, mode: 'pseudonymize' },
    actionFields: peopleActionFields('pseudonymize'),
  },
  'redact-people': {
    name: 'redact-people',
    description: 'Actors and every person named in the details are replaced by [REDACTED].',
    fields: peopleFields('redact'),
    personResources: { types: PERSON_RESOURCE_TYPES, mode: 'redact' },
    actionFields: peopleActionFields('redact'),
  },
  'redact-details': {
    name: 'redact-details',
    description: 'Every value in the details is replaced by [REDACTED]; the keys stay.',
    fields: { details: 'redact' },
  },
});

/** The built-in profile called `name`. */
export function getMaskingProfile(name: string): MaskingProfile {
  const profile = MASKING_PROFILES[name];
  if (!profile) {
    throw new CustosError('validation', `There is no masking profile called "${name}"; choose one of ${Object.keys(MASKING_PROFILES).join(', ')}.`);
  }
  return profile;
}

/** A masker: call it on an event; `meta` masks the export's own description the same way. */
export interface Masker {
  (e: LedgerEvent): LedgerEvent;
  /** Filters and requester/approver masked consistently with the events (same tokens). */
  meta<M extends MaskableMeta>(meta: M): M;
  /** An evidence item of the register, masked consistently with the events (same tokens). */
  evidence(item: ExportEvidenceItem): ExportEvidenceItem;
  /** The pseudonym of a value under this masker's key. */
  token(value: string): string;
  readonly profile: MaskingProfile;
}

/** The parts of an export's meta that can name people. */
export interface MaskableMeta {
  title?: string;
  filters: Record<string, unknown>;
  requestedBy?: string;
  approvedBy?: string;
}

export interface MaskerOptions {
  /** Directory-information opt-outs: ids, names or e-mails that must never appear. */
  optedOut?: Iterable<string>;
}

/** The pseudonym of `value` under `key`: 'anon-' + 16 hex digits of HMAC-SHA256. */
export function pseudonym(key: Buffer, value: string): string {
  return PSEUDONYM_PREFIX + createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 16);
}

type Segment = { kind: 'any-depth' } | { kind: 'key'; test: (key: string) => boolean };

interface DetailsRule {
  segments: Segment[];
  mode: MaskMode;
}

function compileSegment(seg: string): Segment {
  if (seg === '**') return { kind: 'any-depth' };
  if (!seg.includes('*')) {
    const lower = seg.toLowerCase();
    return { kind: 'key', test: (k) => k.toLowerCase() === lower };
  }
  const re = new RegExp(`^${seg.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return { kind: 'key', test: (k) => re.test(k) };
}

function matches(segments: Segment[], path: string[], si = 0, pi = 0): boolean {
  if (si === segments.length) return pi === path.length;
  const seg = segments[si]!;
  if (seg.kind === 'any-depth') {
    for (let skip = pi; skip <= path.length; skip++) if (matches(segments, path, si + 1, skip)) return true;
    return false;
  }
  return pi < path.length && seg.test(path[pi]!) && matches(segments, path, si + 1, pi + 1);
}

interface CompiledProfile {
  actor?: MaskMode;
  resourceId?: MaskMode;
  details: DetailsRule[];
  /** action → the extra details rules of that action's events. */
  actions: Map<string, DetailsRule[]>;
}

function checkMode(profile: MaskingProfile, path: string, mode: MaskMode): void {
  if (mode !== 'pseudonymize' && mode !== 'redact') {
    throw new CustosError('validation', `Masking profile "${profile.name}" gives "${path}" the unknown mode "${String(mode)}"; use pseudonymize or redact.`);
  }
}

function compileProfile(profile: MaskingProfile): CompiledProfile {
  const out: CompiledProfile = { details: [], actions: new Map() };
  for (const [path, mode] of Object.entries(profile.fields)) {
    checkMode(profile, path, mode);
    const [root, ...rest] = path.split('.');
    if (root === 'actor' && rest.length === 0) out.actor = strongest(out.actor, mode);
    else if (root === 'resource_id' && rest.length === 0) out.resourceId = strongest(out.resourceId, mode);
    else if (root === 'details' && rest.every((s) => s.length > 0)) out.details.push({ segments: rest.map(compileSegment), mode });
    else {
      throw new CustosError('validation', `Masking profile "${profile.name}" names the field "${path}", which cannot be masked; use actor, resource_id or details.<key>.`);
    }
  }
  for (const [action, fields] of Object.entries(profile.actionFields ?? {})) {
    const rules: DetailsRule[] = [];
    for (const [path, mode] of Object.entries(fields)) {
      checkMode(profile, path, mode);
      const [root, ...rest] = path.split('.');
      if (root !== 'details' || rest.length === 0 || !rest.every((s) => s.length > 0)) {
        throw new CustosError('validation', `Masking profile "${profile.name}" names the field "${path}" for ${action}, which cannot be masked; use details.<key>.`);
      }
      rules.push({ segments: rest.map(compileSegment), mode });
    }
    if (rules.length > 0) out.actions.set(action, rules);
  }
  return out;
}

function strongest(a: MaskMode | undefined, b: MaskMode | undefined): MaskMode | undefined {
  return a === 'redact' || b === 'redact' ? 'redact' : (a ?? b);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A masked value is also replaced where it appears inside other text of the same event
// ("exported for Jane Roe"), but only whole words, and only values long enough not to be
// common fragments; bare numbers are left (they would garble dates and counts).
function scrubbable(value: string): boolean {
  return value.length >= 4 && !/^\d+$/.test(value);
}

const WORD_BOUNDARY_BEFORE = '(?<![\\p{L}\\p{N}_])';
const WORD_BOUNDARY_AFTER = '(?![\\p{L}\\p{N}_])';

function wordsRegExp(values: Iterable<string>, flags: string): RegExp | null {
  const list = [...values].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  if (list.length === 0) return null;
  return new RegExp(`${WORD_BOUNDARY_BEFORE}(?:${list.map(escapeRegExp).join('|')})${WORD_BOUNDARY_AFTER}`, `${flags}u`);
}

const TOKEN_CACHE_LIMIT = 100_000;
const PATH_CACHE_LIMIT = 10_000;
const FREE_TEXT_FILTERS = new Set(['text', 'q', 'query', 'search']);

/**
 * A function that masks events by `profile` with `key` (32 random bytes, one per export),
 * redacting the values of directory-information opt-outs wherever they appear.
 */
export function createMasker(profile: MaskingProfile, key: Buffer, opts: MaskerOptions = {}): Masker {
  if (!Buffer.isBuffer(key) || key.length < MASKING_KEY_BYTES) {
    throw new CustosError('validation', `A masking key must be at least ${MASKING_KEY_BYTES} random bytes.`);
  }
  const rules = compileProfile(profile);
  const personTypes = new Set((profile.personResources?.types ?? []).map((t) => t.toLowerCase()));
  const personMode = profile.personResources?.mode;
  const directoryRules: DetailsRule[] = DIRECTORY_KEYS.map((k) => ({ segments: [{ kind: 'any-depth' }, compileSegment(k)], mode: 'redact' }));
  const optedOut = [...(opts.optedOut ?? [])].map((v) => v.trim()).filter((v) => v.length > 0);
  const optedOutRe = wordsRegExp(optedOut, 'gi');
  const masksAnything =
    rules.actor !== undefined || rules.resourceId !== undefined || rules.details.length > 0 || personMode !== undefined || rules.actions.size > 0;

  const tokens = new Map<string, string>();
  const token = (value: string): string => {
    let t = tokens.get(value);
    if (t === undefined) {
      if (tokens.size >= TOKEN_CACHE_LIMIT) tokens.clear();
      t = pseudonym(key, value);
      tokens.set(value, t);
    }
    return t;
  };

  // Key paths repeat from event to event, so the rule that applies to one is remembered.
  const pathModes = new Map<string, MaskMode | null>();
  const modeAt = (path: string[], directory: boolean, action?: string): MaskMode | undefined => {
    const extra = action === undefined ? undefined : rules.actions.get(action);
    const cacheKey = `${directory ? 'D' : 'P'}${extra ? action : ''}\u0000${path.join('\u0000')}`;
    const cached = pathModes.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    let mode: MaskMode | undefined;
    for (const r of rules.details) if (matches(r.segments, path)) mode = strongest(mode, r.mode);
    if (extra) for (const r of extra) if (matches(r.segments, path)) mode = strongest(mode, r.mode);
    if (directory) for (const r of directoryRules) if (matches(r.segments, path)) mode = 'redact';
    if (pathModes.size >= PATH_CACHE_LIMIT) pathModes.clear();
    pathModes.set(cacheKey, mode ?? null);
    return mode;
  };

  const mentionsOptedOut = (value: string): boolean => {
    if (!optedOutRe) return false;
    optedOutRe.lastIndex = 0;
    return optedOutRe.test(value);
  };
  const stripOptedOut = (value: string): string => {
    if (!optedOutRe) return value;
    optedOutRe.lastIndex = 0;
    return value.replace(optedOutRe, REDACTED);
  };

  /** One event's masking state: what was replaced, so the same text elsewhere is replaced too. */
  class EventMask {
    readonly replacements = new Map<string, string>();

    /** `action`: the event's action, for the profile's action-specific paths. */
    constructor(readonly action?: string) {}

    apply(mode: MaskMode, value: string): string {
      // An opted-out person's value is redacted even where the profile would pseudonymize:
      // a stable pseudonym would still let their rows be linked.
      const out = mode === 'redact' || mentionsOptedOut(value) ? REDACTED : token(value);
      if (scrubbable(value)) this.replacements.set(value, out);
      return out;
    }

    leaf(mode: MaskMode | undefined, value: unknown): unknown {
      if (typeof value === 'string') return mode ? this.apply(mode, value) : value;
      if (mode === undefined || value === null) return value;
      if (typeof value === 'number' || typeof value === 'bigint') return this.apply(mode, String(value));
      // A boolean says nothing about who someone is, unless the whole value must go.
      return mode === 'redact' ? REDACTED : value;
    }

    walk(node: unknown, path: string[], inherited: MaskMode | undefined, directory: boolean): unknown {
      if (Array.isArray(node)) return node.map((item) => this.walk(item, path, inherited, directory));
      if (node !== null && typeof node === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
          const childPath = [...path, k];
          out[k] = this.walk(v, childPath, strongest(inherited, modeAt(childPath, directory, this.action)), directory);
        }
        return out;
      }
      return this.leaf(inherited, node);
    }

    /** Unmasked text with opted-out values and this event's masked values replaced inside it. */
    scrub(value: string): string {
      let out = stripOptedOut(value);
      if (this.replacements.size === 0) return out;
      const hits: string[] = [];
      for (const orig of this.replacements.keys()) if (out.includes(orig)) hits.push(orig);
      if (hits.length > 0) {
        const re = wordsRegExp(hits, 'g');
        if (re) out = out.replace(re, (found) => this.replacements.get(found) ?? found);
      }
      return out;
    }

    /**
     * Second pass, once every masked value of the event is known: strings the first pass left
     * as they were (compared with the original) are scrubbed; masked ones are kept.
     */
    scrubTree(original: unknown, masked: unknown): unknown {
      if (typeof original === 'string') return masked === original ? this.scrub(original) : masked;
      if (Array.isArray(original) && Array.isArray(masked)) return original.map((item, i) => this.scrubTree(item, masked[i]));
      if (isObject(original) && isObject(masked)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(original)) out[k] = this.scrubTree(v, masked[k]);
        return out;
      }
      return masked;
    }
  }

  const anyStringMentions = (node: unknown): boolean => {
    if (typeof node === 'string') return mentionsOptedOut(node);
    if (Array.isArray(node)) return node.some(anyStringMentions);
    if (isObject(node)) return Object.values(node).some(anyStringMentions);
    return typeof node === 'number' && mentionsOptedOut(String(node));
  };
  const eventMentionsOptedOut = (e: LedgerEvent): boolean =>
    optedOutRe !== null && (mentionsOptedOut(e.actor) || mentionsOptedOut(e.resource_id) || anyStringMentions(e.details));

  const mask = ((e: LedgerEvent): LedgerEvent => {
    if (!masksAnything && !optedOutRe) return e;
    const directory = eventMentionsOptedOut(e);
    if (!masksAnything && !directory) return e;
    const m = new EventMask(e.action);
    const actor = rules.actor ? m.apply(rules.actor, e.actor) : undefined;
    const resourceMode = strongest(rules.resourceId, personTypes.has(e.resource_type.toLowerCase()) ? personMode : undefined);
    const resourceId = resourceMode ? m.apply(resourceMode, e.resource_id) : undefined;
    const details = m.walk(e.details, [], modeAt([], directory, e.action), directory);
    return {
      seq: e.seq,
      ts: e.ts,
      actor: actor ?? m.scrub(e.actor),
      action: e.action,
      resource_type: e.resource_type,
      resource_id: resourceId ?? m.scrub(e.resource_id),
      outcome: e.outcome,
      details: m.scrubTree(e.details, details) as Record<string, unknown>,
      // Kept as recorded: see the note at the top of this file.
      prev_hash: e.prev_hash,
      hash: e.hash,
    };
  }) as Masker;

  const maskMeta = <M extends MaskableMeta>(meta: M): M => {
    const m = new EventMask();
    const filters: Record<string, unknown> = {};
    const filterResourceType = typeof meta.filters.resourceType === 'string' ? meta.filters.resourceType.toLowerCase() : '';
    for (const [k, v] of Object.entries(meta.filters)) {
      let mode: MaskMode | undefined;
      if (k === 'actor') mode = rules.actor;
      else if (k === 'resourceId' || k === 'resource_id') mode = strongest(rules.resourceId, personTypes.has(filterResourceType) ? personMode : undefined);
      else if (FREE_TEXT_FILTERS.has(k) && masksAnything) mode = 'redact';
      else mode = modeAt([k], false);
      filters[k] = m.walk(v, [k], mode, false);
    }
    const out: M = { ...meta, filters: m.scrubTree(meta.filters, filters) as Record<string, unknown> };
    if (meta.requestedBy !== undefined) out.requestedBy = rules.actor ? m.apply(rules.actor, meta.requestedBy) : stripOptedOut(meta.requestedBy);
    if (meta.approvedBy !== undefined) out.approvedBy = rules.actor ? m.apply(rules.actor, meta.approvedBy) : stripOptedOut(meta.approvedBy);
    // A title is free text ("Disclosures for Jane Roe"): values masked above are masked in it too.
    if (meta.title !== undefined) out.title = m.scrub(meta.title);
    return out;
  };

  /**
   * People first (so their masked values are known), then free text: masked by the profile's
   * details rules where they apply, otherwise scrubbed of masked and opted-out values.
   */
  const maskEvidence = (item: ExportEvidenceItem): ExportEvidenceItem => {
    if (!masksAnything && !optedOutRe) return item;
    const m = new EventMask();
    const later: (() => void)[] = [];
    const personMode = (key: string): MaskMode | undefined => strongest(rules.actor, modeAt([key], false));
    const textMode = (key: string): MaskMode | undefined => strongest(modeAt([], false), modeAt([key], false));
    const field = (mode: MaskMode | undefined, value: string, set: (v: string) => void): void => {
      // An empty value says nothing about anyone, and a pseudonym of it would suggest it did.
      if (value === '') return;
      if (mode) set(m.apply(mode, value));
      else later.push(() => set(m.scrub(value)));
    };
    const out: ExportEvidenceItem = {
      ...item,
      holds: item.holds.map((h) => ({ ...h })),
      custody: item.custody.map((c) => ({ ...c })),
    };
    field(personMode('collected_by'), item.collected_by, (v) => (out.collected_by = v));
    field(personMode('custodian'), item.custodian, (v) => (out.custodian = v));
    item.custody.forEach((c, i) => {
      const entry = out.custody[i]!;
      // The `from` of an intake is the item's source (free text), not a person.
      if (c.from !== null) field(c.kind === 'intake' ? textMode('source') : personMode('from'), c.from, (v) => (entry.from = v));
      if (c.to !== null) field(personMode('to'), c.to, (v) => (entry.to = v));
      field(personMode('recorded_by'), c.recorded_by, (v) => (entry.recorded_by = v));
    });
    for (const key of ['title', 'description', 'source', 'original_name', 'location'] as const) {
      field(textMode(key), item[key], (v) => (out[key] = v));
    }
    item.custody.forEach((c, i) => {
      const entry = out.custody[i]!;
      field(textMode('purpose'), c.purpose, (v) => (entry.purpose = v));
      field(textMode('location'), c.location, (v) => (entry.location = v));
    });
    item.holds.forEach((h, i) => field(textMode('title'), h.title, (v) => (out.holds[i]!.title = v)));
    for (const f of later) f();
    return out;
  };

  return Object.assign(mask, { meta: maskMeta, evidence: maskEvidence, token, profile });
}

/**
 * True unless `profile` masks every person an export can name: actors, the ids of person
 * resources (students, subjects, users…) and every details key that names people, at any depth.
 * Export approval depends on it: data that leaves people in clear needs a second person.
 */
export function leavesPeopleInClear(profile: MaskingProfile): boolean {
  const rules = compileProfile(profile);
  if (!rules.actor) return true;
  const covered = new Set((profile.personResources?.types ?? []).map((t) => t.toLowerCase()));
  if (!rules.resourceId && !PERSON_RESOURCE_TYPES.every((t) => covered.has(t))) return true;
  // A rule that matches a path or any of its prefixes masks it (what is under a masked key is masked whole).
  const masked = (path: string[]): boolean => path.some((_k, i) => rules.details.some((r) => matches(r.segments, path.slice(0, i + 1)))) || rules.details.some((r) => r.segments.length === 0);
  // '*_email' stands for any key ending in _email: check one such key.
  const keys = PEOPLE_KEYS.map((k) => k.replace(/\*/g, 'x'));
  return !keys.every((k) => masked([k]) && masked(['nested', k]));
}
