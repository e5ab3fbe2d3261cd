// Team API keys: "mfk_<prefix>_<secret>". The prefix is public and indexed for lookup; only a SHA-256 of the
// whole key is stored (256 random bits need no slow hash), and comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PATTERN = /^mfk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const byte = bytes[i]!;
    if (byte < 248) out += ALPHANUMERIC[byte % 62]; // 248 = 4 * 62: no modulo bias
  }
  return out.length === length ? out : randomAlphanumeric(length);
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomAlphanumeric(12);
  const key = `mfk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The lookup prefix of a well-formed key, or null. */
export const apiKeyPrefix = (key: string): string | null => PATTERN.exec(key)?.[1] ?? null;

export function apiKeyMatches(key: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKey(key), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
