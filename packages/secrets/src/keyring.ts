// The master keyring from MANIFOLD_MASTER_KEYS ("id:base64key[,id:base64key…]", newest last): the newest key
// wraps new team data keys, every listed key can still unwrap, so a key is retired by removing it from the list.
import { createHash } from 'node:crypto';

export interface Keyring {
  /** Id of the newest key: new wrapping and payload encryption use it. */
  readonly currentId: string;
  readonly ids: readonly string[];
  key(id: string): Buffer | undefined;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export class KeyringError extends Error {
  override readonly name = 'KeyringError';
}

/** Parses the keyring; the message names the bad entry by position and id, never by its key material. */
export function parseKeyring(text: string | undefined): Keyring {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyringError('MANIFOLD_MASTER_KEYS is empty: set "id:base64key" (32 random bytes, base64).');
  const keys = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!ID_PATTERN.test(id))
      throw new KeyringError(`MANIFOLD_MASTER_KEYS entry ${index + 1}: expected "id:base64key" with an id of letters, digits, "_" or "-".`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32)
      throw new KeyringError(`MANIFOLD_MASTER_KEYS key "${id}" must be 32 bytes (base64 of 32 random bytes), got ${key.length}.`);
    if (keys.has(id)) throw new KeyringError(`MANIFOLD_MASTER_KEYS lists key id "${id}" twice.`);
    keys.set(id, key);
  });
  const ids = [...keys.keys()];
  return { currentId: ids[ids.length - 1]!, ids, key: (id) => keys.get(id) };
}

/** A short, non-reversible tag of the keyring's ids (for logs: which keyring a process runs with). */
export const keyringSummary = (keyring: Keyring): string =>
  `${keyring.ids.join(',')}#${createHash('sha256').update(keyring.ids.join(',')).digest('hex').slice(0, 8)}`;
