// Envelope encryption: a secret value is sealed with its team's data key (AES-256-GCM, random 96-bit nonce,
// the secret's id and version as associated data); the data key is stored wrapped by a KeyWrapper.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  ciphertext: Buffer;
  nonce: Buffer;
  tag: Buffer;
}

export interface WrappedKey {
  /** Which master key wrapped it (a keyring id, or a KMS key reference). */
  keyId: string;
  wrapped: Buffer;
}

/** Wraps and unwraps team data keys. The local keyring implements it; a KMS can replace it. */
export interface KeyWrapper {
  /** The key id new wraps use; a wrapped key under another id is due for re-wrapping. */
  currentKeyId(): string;
  wrap(dataKey: Buffer, context: string): Promise<WrappedKey>;
  unwrap(key: WrappedKey, context: string): Promise<Buffer>;
}

export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
}

export function seal(key: Buffer, plaintext: Buffer, associatedData: string): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, nonce, tag: cipher.getAuthTag() };
}

/** Opens a sealed value; any change to ciphertext, nonce, tag, associated data or key throws DecryptionError. */
export function open(key: Buffer, sealed: Sealed, associatedData: string): Buffer {
  if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) throw new DecryptionError('Malformed nonce or tag.');
  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new DecryptionError('Decryption failed: wrong key or tampered data.');
  }
}

/** Wrapped form: nonce | tag | ciphertext, sealed with the master key, bound to `context` (team + version). */
export function createKeyringWrapper(keyring: Keyring): KeyWrapper {
  const masterKey = (id: string) => {
    const key = keyring.key(id);
    if (!key) throw new DecryptionError(`Master key "${id}" is not in MANIFOLD_MASTER_KEYS; add it back or restore the keyring.`);
    return key;
  };
  return {
    currentKeyId: () => keyring.currentId,
    async wrap(dataKey, context) {
      const sealed = seal(masterKey(keyring.currentId), dataKey, `manifold:team-key:${context}`);
      return { keyId: keyring.currentId, wrapped: Buffer.concat([sealed.nonce, sealed.tag, sealed.ciphertext]) };
    },
    async unwrap({ keyId, wrapped }, context) {
      const sealed = {
        nonce: wrapped.subarray(0, NONCE_BYTES),
        tag: wrapped.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES),
        ciphertext: wrapped.subarray(NONCE_BYTES + TAG_BYTES),
      };
      return open(masterKey(keyId), sealed, `manifold:team-key:${context}`);
    },
  };
}

export const newDataKey = (): Buffer => randomBytes(32);

/** Associated data of a secret version: moving ciphertext to another secret or version makes it unreadable. */
export const secretAssociatedData = (secretId: string, version: number): string => `manifold:secret:${secretId}:${version}`;

export const sealSecret = (dataKey: Buffer, value: string, secretId: string, version: number): Sealed =>
  seal(dataKey, Buffer.from(value, 'utf8'), secretAssociatedData(secretId, version));

export const openSecret = (dataKey: Buffer, sealed: Sealed, secretId: string, version: number): string =>
  open(dataKey, sealed, secretAssociatedData(secretId, version)).toString('utf8');

/**
 * A short keyed hash that lets people tell versions apart without revealing anything: a plain hash of a
 * low-entropy value could be brute-forced, an HMAC under a key derived from the team's data key cannot.
 */
export function fingerprint(dataKey: Buffer, value: string): string {
  const fingerprintKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'manifold:secret-fingerprint', 32));
  return createHmac('sha256', fingerprintKey).update(value, 'utf8').digest('hex').slice(0, 16);
}
