import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CustosError } from '../errors.js';
import { writeFileAtomic } from '../fs-atomic.js';
import type { ScryptParams } from '../policy.js';

export const KEYSLOTS_FILE = 'keyslots.json';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const slotSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.enum(['user', 'recovery']),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: b64 }),
  cipher: z.literal('aes-256-gcm'),
  iv: b64,
  tag: b64,
  wrapped: b64,
  failedAttempts: z.number().int().nonnegative(),
  lockedUntil: z.string().nullable(),
});
const pendingSchema = z.object({ ts: z.string(), slotId: z.string().nullable(), reason: z.string() });
const fileSchema = z.object({
  format: z.literal('custos-keyslots/1'),
  workspaceId: z.string(),
  workspaceName: z.string(),
  slots: z.array(slotSchema),
  /** Failed logins seen while the database was locked; ledgered at the next unlock. */
  pending: z.array(pendingSchema),
});

export type Keyslot = z.infer<typeof slotSchema>;
export type KeyslotFile = z.infer<typeof fileSchema>;
export type PendingFailure = z.infer<typeof pendingSchema>;

/** The slot id of a user: a hash, so keyslots.json does not list usernames in plaintext. */
export function userSlotId(workspaceId: string, username: string): string {
  return createHash('sha256').update(`custos-slot\0${workspaceId}\0${username.toLowerCase()}`).digest('hex');
}

/** The slot id of the recovery key. */
export function recoverySlotId(workspaceId: string): string {
  return createHash('sha256').update(`custos-recovery\0${workspaceId}`).digest('hex');
}

/** Bytes that bind a wrapped key to its slot, so a slot cannot be moved or its KDF cost silently lowered. */
function aad(workspaceId: string, slot: Pick<Keyslot, 'id' | 'kind' | 'kdf'>): Buffer {
  const { N, r, p, salt } = slot.kdf;
  return Buffer.from(`custos-keyslot/1\0${workspaceId}\0${slot.id}\0${slot.kind}\0${N}\0${r}\0${p}\0${salt}`);
}

function deriveKek(secret: string, salt: Buffer, params: ScryptParams): Buffer {
  return scryptSync(secret.normalize('NFC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 });
}

/** Wraps the database key under a passphrase-derived key (scrypt → AES-256-GCM). */
export function makeSlot(workspaceId: string, id: string, kind: Keyslot['kind'], dbKey: Buffer, secret: string, params: ScryptParams): Keyslot {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kdf = { name: 'scrypt' as const, N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') };
  const kek = deriveKek(secret, salt, params);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(workspaceId, { id, kind, kdf }));
  const wrapped = Buffer.concat([cipher.update(dbKey), cipher.final()]);
  kek.fill(0);
  return {
    id,
    kind,
    kdf,
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    wrapped: wrapped.toString('base64'),
    failedAttempts: 0,
    lockedUntil: null,
  };
}

/** Unwraps the database key; null when the secret is wrong (GCM authentication fails). */
export function openSlot(workspaceId: string, slot: Keyslot, secret: string): Buffer | null {
  const kek = deriveKek(secret, Buffer.from(slot.kdf.salt, 'base64'), slot.kdf);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(slot.iv, 'base64'));
    decipher.setAAD(aad(workspaceId, slot));
    decipher.setAuthTag(Buffer.from(slot.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(slot.wrapped, 'base64')), decipher.final()]);
  } catch {
    return null;
  } finally {
    kek.fill(0);
  }
}

/** Constant-time comparison of two keys. */
export function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads and validates keyslots.json of a workspace folder; null when there is none. */
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
  if (!parsed.success) {
    throw new CustosError('integrity', `The key file ${path} is damaged or from an unknown version; restore it from a backup.`);
  }
  return parsed.data;
}

/** Replaces keyslots.json atomically. */
export function writeKeyslots(dir: string, file: KeyslotFile): void {
  writeFileAtomic(join(dir, KEYSLOTS_FILE), `${JSON.stringify(file, null, 2)}\n`);
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
