import { createHmac, randomBytes } from 'node:crypto';

// RFC 4226 (HOTP) and RFC 6238 (TOTP) with the parameters every authenticator app supports:
// HMAC-SHA-1, 30-second steps from the Unix epoch. Secrets travel as RFC 4648 base32.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (what otpauth:// URIs carry). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32, ignoring case, spaces and padding; throws on any other character. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error('not base32');
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: the `digits`-digit code of `counter` under `key`. */
export function hotp(key: Uint8Array, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = (mac[19] as number) & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The RFC 6238 time step of an instant. */
export function timeStep(at: Date, periodSeconds = 30): number {
  return Math.floor(at.getTime() / 1000 / periodSeconds);
}

/** RFC 6238 TOTP: the code for the instant `at`. */
export function totp(key: Uint8Array, at: Date, opts: { digits?: number; periodSeconds?: number } = {}): string {
  return hotp(key, timeStep(at, opts.periodSeconds), opts.digits);
}

/**
 * The time step whose code `code` is, looking `window` steps either side of `at` (clock drift
 * between the phone and this machine), or null. Steps at or before `after` are not accepted, so a
 * code works once.
 */
export function matchStep(key: Uint8Array, code: string, at: Date, opts: { window: number; after: number | null; periodSeconds?: number }): number | null {
  const now = timeStep(at, opts.periodSeconds);
  for (let step = now - opts.window; step <= now + opts.window; step++) {
    if (opts.after !== null && step <= opts.after) continue;
    if (hotp(key, step, code.length) === code) return step;
  }
  return null;
}

/** A fresh 160-bit secret (RFC 4226 recommends the HMAC-SHA-1 block size's 20 bytes). */
export function newTotpSecret(): Buffer {
  return randomBytes(20);
}

/** The `otpauth://totp/…` URI authenticator apps read from a QR code (Google Authenticator's key URI format). */
export function otpauthUri(opts: { issuer: string; account: string; secret: string; digits: number; periodSeconds: number }): string {
  const label = `${encodeURIComponent(opts.issuer)}:${encodeURIComponent(opts.account)}`;
  const q = new URLSearchParams({ secret: opts.secret, issuer: opts.issuer, algorithm: 'SHA1', digits: String(opts.digits), period: String(opts.periodSeconds) });
  return `otpauth://totp/${label}?${q.toString()}`;
}
