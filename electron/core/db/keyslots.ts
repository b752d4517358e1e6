import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scryptSync,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CustosError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { ScryptParams } from '../policy.js';

export const KEYSLOTS_FILE = 'keyslots.json';
/** At most this many failures are kept while locked, and this many unknown names are counted. */
export const MAX_PENDING_FAILURES = 1000;
export const MAX_UNKNOWN_NAMES = 1000;
/** The generation of the database key every workspace starts with (and of every format-1 slot). */
export const FIRST_GENERATION = 1;

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
/** The database key of one generation, sealed to a slot's public key (X25519 → HKDF → AES-256-GCM). */
const wrapSchema = z.object({ generation: z.number().int().positive(), epk: b64, iv: b64, tag: b64, wrapped: b64 });
const slotSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.enum(['user', 'recovery']),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: b64 }),
  cipher: z.literal('aes-256-gcm'),
  iv: b64,
  tag: b64,
  /** Format 2: the slot's X25519 private key under the passphrase. Format 1 (no publicKey): the database key itself. */
  wrapped: b64,
  publicKey: b64.optional(),
  wraps: z.array(wrapSchema).default([]),
  failedAttempts: z.number().int().nonnegative(),
  lockedUntil: z.string().nullable(),
});
const pendingSchema = z.object({ ts: z.string(), slotId: z.string().nullable(), reason: z.string() });
const unknownSchema = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), failedAttempts: z.number().int().nonnegative(), lockedUntil: z.string().nullable() });
const rekeySchema = z.object({
  generation: z.number().int().positive(),
  previous: z.number().int().positive(),
  /** The recovery slot that replaces a format-1 one once the re-key completes. */
  recoverySlot: slotSchema.optional(),
});
const fileSchema = z.object({
  format: z.literal('custos-keyslots/2'),
  workspaceId: z.string(),
  workspaceName: z.string(),
  /** The generation of the key the database is encrypted with. */
  generation: z.number().int().positive(),
  /** A re-key under way: slots carry both generations until the database has the new key. */
  rekey: rekeySchema.nullable(),
  slots: z.array(slotSchema),
  /** Failed logins seen while the database was locked; ledgered at the next unlock. */
  pending: z.array(pendingSchema),
  /** Failures dropped from `pending` because it was full; ledgered as a count at the next unlock. */
  pendingDropped: z.number().int().nonnegative(),
  /** Failure counters of names that have no slot, so they lock out exactly like real accounts. */
  unknown: z.array(unknownSchema),
});
const legacyFileSchema = z.object({
  format: z.literal('custos-keyslots/1'),
  workspaceId: z.string(),
  workspaceName: z.string(),
  slots: z.array(slotSchema),
  pending: z.array(pendingSchema),
});

export type Keyslot = z.infer<typeof slotSchema>;
export type KeyWrap = z.infer<typeof wrapSchema>;
export type KeyslotFile = z.infer<typeof fileSchema>;
export type PendingFailure = z.infer<typeof pendingSchema>;
/** A database key and the generation it belongs to. */
export interface GenerationKey {
  generation: number;
  key: Buffer;
}

/** The slot id of a user: a hash, so keyslots.json does not list usernames in plaintext. */
export function userSlotId(workspaceId: string, username: string): string {
  return createHash('sha256').update(`custos-slot\0${workspaceId}\0${username.toLowerCase()}`).digest('hex');
}

/** The slot id of the recovery key. */
export function recoverySlotId(workspaceId: string): string {
  return createHash('sha256').update(`custos-recovery\0${workspaceId}`).digest('hex');
}

/** A format-1 slot: its passphrase unwraps the database key directly, so it cannot follow a re-key. */
export function isLegacySlot(slot: Keyslot): boolean {
  return slot.publicKey === undefined;
}

/** Bytes that bind a wrapped secret to its slot, so a slot cannot be moved or its KDF cost silently lowered. */
function aad(workspaceId: string, slot: Pick<Keyslot, 'id' | 'kind' | 'kdf' | 'publicKey'>): Buffer {
  const { N, r, p, salt } = slot.kdf;
  const base = `${workspaceId}\0${slot.id}\0${slot.kind}\0${N}\0${r}\0${p}\0${salt}`;
  return Buffer.from(slot.publicKey === undefined ? `custos-keyslot/1\0${base}` : `custos-keyslot/2\0${base}\0${slot.publicKey}`);
}

function wrapAad(workspaceId: string, slotId: string, publicKey: string, generation: number, epk: string): Buffer {
  return Buffer.from(`custos-dbkey/2\0${workspaceId}\0${slotId}\0${publicKey}\0${generation}\0${epk}`);
}

function deriveKek(secret: string, salt: Buffer, params: ScryptParams): Buffer {
  return scryptSync(secret.normalize('NFC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 });
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
}

function x25519Public(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
}

function x25519Private(d: Buffer, x: Buffer): KeyObject {
  return createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: d.toString('base64url'), x: x.toString('base64url') }, format: 'jwk' });
}

function wrapKeyFor(shared: Buffer, epk: Buffer, publicKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, publicKey]), 'custos/dbkey-wrap/v2', 32));
}

/**
 * Seals a database key to a slot's public key. Needs no passphrase: this is what lets a re-key
 * hand the new key to every remaining slot while the people behind them are not there.
 */
export function sealToSlot(workspaceId: string, slot: Keyslot, generation: number, dbKey: Buffer): KeyWrap {
  if (slot.publicKey === undefined) throw new CustosError('integrity', 'A format-1 keyslot cannot receive a new database key.');
  const pub = Buffer.from(slot.publicKey, 'base64');
  const eph = generateKeyPairSync('x25519');
  const epk = rawPublicKey(eph.publicKey);
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: x25519Public(pub) });
  const key = wrapKeyFor(shared, epk, pub);
  shared.fill(0);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(wrapAad(workspaceId, slot.id, slot.publicKey, generation, epk.toString('base64')));
  const wrapped = Buffer.concat([cipher.update(dbKey), cipher.final()]);
  key.fill(0);
  return { generation, epk: epk.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), wrapped: wrapped.toString('base64') };
}

/**
 * Makes a slot: a fresh X25519 key pair whose private half is wrapped under a passphrase-derived key
 * (scrypt → AES-256-GCM), and the given database keys sealed to its public half.
 */
export function makeSlot(workspaceId: string, id: string, kind: Keyslot['kind'], keys: GenerationKey[], secret: string, params: ScryptParams): Keyslot {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kdf = { name: 'scrypt' as const, N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') };
  const pair = generateKeyPairSync('x25519');
  const jwk = pair.privateKey.export({ format: 'jwk' });
  const d = Buffer.from(jwk.d as string, 'base64url');
  const publicKey = Buffer.from(jwk.x as string, 'base64url').toString('base64');
  const kek = deriveKek(secret, salt, params);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(workspaceId, { id, kind, kdf, publicKey }));
  const wrapped = Buffer.concat([cipher.update(d), cipher.final()]);
  kek.fill(0);
  d.fill(0);
  const slot: Keyslot = {
    id,
    kind,
    kdf,
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    wrapped: wrapped.toString('base64'),
    publicKey,
    wraps: [],
    failedAttempts: 0,
    lockedUntil: null,
  };
  slot.wraps = keys.map((k) => sealToSlot(workspaceId, slot, k.generation, k.key));
  return slot;
}

function unsealWrap(workspaceId: string, slot: Keyslot, privateKey: KeyObject, w: KeyWrap): Buffer | null {
  const pub = Buffer.from(slot.publicKey!, 'base64');
  const epk = Buffer.from(w.epk, 'base64');
  let key: Buffer | null = null;
  try {
    const shared = diffieHellman({ privateKey, publicKey: x25519Public(epk) });
    key = wrapKeyFor(shared, epk, pub);
    shared.fill(0);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(w.iv, 'base64'));
    decipher.setAAD(wrapAad(workspaceId, slot.id, slot.publicKey!, w.generation, w.epk));
    decipher.setAuthTag(Buffer.from(w.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(w.wrapped, 'base64')), decipher.final()]);
  } catch {
    return null;
  } finally {
    key?.fill(0);
  }
}

/**
 * Every database key a slot holds, by generation; null when the secret is wrong (GCM authentication
 * fails). A format-1 slot holds the key of the first generation.
 */
export function unlockSlot(workspaceId: string, slot: Keyslot, secret: string): Map<number, Buffer> | null {
  const kek = deriveKek(secret, Buffer.from(slot.kdf.salt, 'base64'), slot.kdf);
  let inner: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(slot.iv, 'base64'));
    decipher.setAAD(aad(workspaceId, slot));
    decipher.setAuthTag(Buffer.from(slot.tag, 'base64'));
    inner = Buffer.concat([decipher.update(Buffer.from(slot.wrapped, 'base64')), decipher.final()]);
  } catch {
    return null;
  } finally {
    kek.fill(0);
  }
  if (slot.publicKey === undefined) return new Map([[FIRST_GENERATION, inner]]);
  const privateKey = x25519Private(inner, Buffer.from(slot.publicKey, 'base64'));
  inner.fill(0);
  const keys = new Map<number, Buffer>();
  for (const w of slot.wraps) {
    const k = unsealWrap(workspaceId, slot, privateKey, w);
    if (k) keys.set(w.generation, k);
  }
  return keys;
}

/** The newest database key a slot holds; null when the secret is wrong. */
export function openSlot(workspaceId: string, slot: Keyslot, secret: string): Buffer | null {
  const keys = unlockSlot(workspaceId, slot, secret);
  if (!keys) return null;
  const newest = Math.max(...keys.keys());
  for (const [g, k] of keys) if (g !== newest) k.fill(0);
  return keys.get(newest) ?? null;
}

/** Constant-time comparison of two keys. */
export function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads and validates keyslots.json of a workspace folder (a format-1 file is read as format 2); null when there is none. */
export function readKeyslots(dir: string): KeyslotFile | null {
  const path = join(dir, KEYSLOTS_FILE);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new CustosError('integrity', `The key file ${path} is not valid JSON; restore it from a backup.`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const legacy = legacyFileSchema.safeParse(raw);
  if (legacy.success) {
    // Format 1 had one key generation and no counters for unknown names; its slots are upgraded one by one as their owners sign in.
    return { ...legacy.data, format: 'custos-keyslots/2', generation: FIRST_GENERATION, rekey: null, pendingDropped: 0, unknown: [] };
  }
  throw new CustosError('integrity', `The key file ${path} is damaged or from an unknown version; restore it from a backup.`);
}

/** Replaces keyslots.json atomically. */
export function writeKeyslots(dir: string, file: KeyslotFile): void {
  writeFileAtomic(join(dir, KEYSLOTS_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * Refuses to make a slot while a re-key is unfinished: a slot made now would hold only the old key
 * and be dropped when the re-key completes at the next unlock.
 */
export function assertNoRekeyPending(file: KeyslotFile): void {
  if (file.rekey) {
    throw new CustosError('conflict', 'A re-key of this workspace is unfinished; lock the workspace and sign in again to finish it first.');
  }
}

/** Keeps a failure for the next unlock; when the log is full the oldest entry goes and is counted. */
export function pushPendingFailure(file: KeyslotFile, failure: PendingFailure): void {
  file.pending.push(failure);
  const over = file.pending.length - MAX_PENDING_FAILURES;
  if (over > 0) {
    file.pending.splice(0, over);
    file.pendingDropped += over;
  }
}

/**
 * The failure counter of a name without a slot (created on first use). When the list is full, an
 * entry that a fresh counter would answer for identically goes first (no failures, no lock in
 * force), so flooding the list with names does not reset a locked-out name early.
 */
export function unknownCounter(file: KeyslotFile, id: string, now = new Date()): KeyslotFile['unknown'][number] {
  let entry = file.unknown.find((u) => u.id === id);
  if (!entry) {
    entry = { id, failedAttempts: 0, lockedUntil: null };
    if (file.unknown.length >= MAX_UNKNOWN_NAMES) {
      const inert = file.unknown.findIndex((u) => u.failedAttempts === 0 && (u.lockedUntil === null || new Date(u.lockedUntil) <= now));
      file.unknown.splice(inert >= 0 ? inert : 0, 1);
    }
    file.unknown.push(entry);
  }
  return entry;
}

/** Formats a recovery key for people: groups of five base32 characters. */
export function formatRecoveryKey(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out.match(/.{1,5}/g)!.join('-');
}

/** Normalises what a person typed as a recovery key (case, spaces, dashes). */
export function normaliseRecoveryKey(input: string): string {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.match(/.{1,5}/g)?.join('-') ?? '';
}
