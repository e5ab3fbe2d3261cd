import { describe, expect, it } from 'vitest';
import { apiKeyMatches, apiKeyPrefix, generateApiKey } from './api-keys';
import { canonicalJson } from './hashing';
import { hashPassword, verifyPassword } from './passwords';

describe('API keys', () => {
  it('generates a key whose prefix and hash identify it', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^mfk_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyPrefix(key)).toBe(prefix);
    expect(apiKeyMatches(key, hash)).toBe(true);
  });

  it('rejects a key with one character changed', () => {
    const { key, hash } = generateApiKey();
    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(apiKeyMatches(tampered, hash)).toBe(false);
  });

  it('has no prefix for malformed keys', () => {
    expect(apiKeyPrefix('Bearer nonsense')).toBeNull();
    expect(apiKeyPrefix('mfk_short_x')).toBeNull();
  });
});

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(stored, 'wrong horse')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
  });
});
