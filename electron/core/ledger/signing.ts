import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** hex SHA-256 of the SPKI DER public key. */
  keyId: string;
  publicKeyPem: string;
}

/** A new Ed25519 workspace key, as PKCS#8 DER (kept inside the encrypted database). */
export function generateSigningKey(): Buffer {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'der', type: 'pkcs8' });
}

/** Loads the signing key from its PKCS#8 DER bytes. */
export function loadSigningKey(pkcs8: Buffer): SigningKey {
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, ...describePublicKey(publicKey) };
}

/** Key id (hex SHA-256 of SPKI DER) and PEM of a public key. */
export function describePublicKey(publicKey: KeyObject): { keyId: string; publicKeyPem: string } {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    keyId: createHash('sha256').update(spki).digest('hex'),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** Raw 64-byte Ed25519 signature. */
export function signBytes(key: SigningKey, data: Buffer): Buffer {
  return sign(null, data, key.privateKey);
}

/** Checks a raw Ed25519 signature; false rather than throwing on malformed input. */
export function verifyBytes(publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}
