// Reads the keyring from configuration. Production refuses to run without one; development without one runs,
// but every secret operation then fails with a message saying how to set it.
import { KeyringError, parseKeyring, type Keyring } from './keyring';

export function keyringFromEnvironment(env: Readonly<Record<string, string | undefined>>): Keyring | undefined {
  const text = env['MANIFOLD_MASTER_KEYS']?.trim();
  if (!text) {
    if (env['NODE_ENV'] === 'production')
      throw new KeyringError(
        'MANIFOLD_MASTER_KEYS is required in production: set a keyring "id:base64key" (32 random bytes each, newest last).',
      );
    return undefined;
  }
  return parseKeyring(text);
}

/** The keyring, or the error every secret operation gives while none is configured. */
export function requireKeyring(keyring: Keyring | undefined): Keyring {
  if (!keyring) throw new KeyringError('Secrets are unavailable: MANIFOLD_MASTER_KEYS is not set (run `npm run setup`, or set it).');
  return keyring;
}
