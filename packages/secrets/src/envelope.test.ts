import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyringWrapper, DecryptionError, fingerprint, newDataKey, openSecret, sealSecret } from './envelope';
import { parseKeyring } from './keyring';

const keyText = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const flip = (buffer: Buffer, index = 0) => {
  const copy = Buffer.from(buffer);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
};

describe('keyring', () => {
  it('parses ids and keys, newest last', () => {
    const keyring = parseKeyring(`${keyText('old')}, ${keyText('new')}`);
    expect(keyring.ids).toEqual(['old', 'new']);
    expect(keyring.currentId).toBe('new');
    expect(keyring.key('old')).toHaveLength(32);
  });

  it('refuses an empty keyring, a short key and a duplicate id without echoing key material', () => {
    expect(() => parseKeyring('')).toThrow(/empty/);
    const short = `k1:${randomBytes(16).toString('base64')}`;
    expect(() => parseKeyring(short)).toThrow(/32 bytes/);
    try {
      parseKeyring(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short.slice(3));
    }
    expect(() => parseKeyring(`${keyText('a')},${keyText('a')}`)).toThrow(/twice/);
    expect(() => parseKeyring('no-colon')).toThrow(/entry 1/);
  });
});

describe('envelope encryption', () => {
  const dataKey = newDataKey();
  const secretId = '0195f0a0-0000-7000-8000-000000000001';

  it('round-trips a value and uses a fresh nonce each time', () => {
    const a = sealSecret(dataKey, 'ghp_example-token', secretId, 1);
    const b = sealSecret(dataKey, 'ghp_example-token', secretId, 1);
    expect(a.nonce).toHaveLength(12);
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(openSecret(dataKey, a, secretId, 1)).toBe('ghp_example-token');
  });

  it('detects a changed ciphertext, nonce, tag or associated data', () => {
    const sealed = sealSecret(dataKey, 'value-to-protect', secretId, 3);
    expect(() => openSecret(dataKey, { ...sealed, ciphertext: flip(sealed.ciphertext) }, secretId, 3)).toThrow(DecryptionError);
    expect(() => openSecret(dataKey, { ...sealed, nonce: flip(sealed.nonce) }, secretId, 3)).toThrow(DecryptionError);
    expect(() => openSecret(dataKey, { ...sealed, tag: flip(sealed.tag, 15) }, secretId, 3)).toThrow(DecryptionError);
    expect(() => openSecret(dataKey, sealed, secretId, 4)).toThrow(DecryptionError); // other version
    expect(() => openSecret(dataKey, sealed, '0195f0a0-0000-7000-8000-000000000002', 3)).toThrow(DecryptionError); // other secret
    expect(openSecret(dataKey, sealed, secretId, 3)).toBe('value-to-protect');
  });

  it('fails with the wrong data key', () => {
    const sealed = sealSecret(dataKey, 'value', secretId, 1);
    expect(() => openSecret(newDataKey(), sealed, secretId, 1)).toThrow(DecryptionError);
  });

  it('gives a short keyed fingerprint: stable per key, different under another key, never a plain hash', () => {
    const print = fingerprint(dataKey, 'hunter22');
    expect(print).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(dataKey, 'hunter22')).toBe(print);
    expect(fingerprint(dataKey, 'hunter23')).not.toBe(print);
    expect(fingerprint(newDataKey(), 'hunter22')).not.toBe(print);
  });
});

describe('key wrapping and master key rotation', () => {
  it('wraps under the newest master key and refuses the wrong context or master key', async () => {
    const wrapper = createKeyringWrapper(parseKeyring(keyText('m1')));
    const dataKey = newDataKey();
    const wrapped = await wrapper.wrap(dataKey, 'team-a:1');
    expect(wrapped.keyId).toBe('m1');
    expect((await wrapper.unwrap(wrapped, 'team-a:1')).equals(dataKey)).toBe(true);
    await expect(wrapper.unwrap(wrapped, 'team-b:1')).rejects.toThrow(DecryptionError);
    const otherRing = createKeyringWrapper(parseKeyring(keyText('m1')));
    await expect(otherRing.unwrap(wrapped, 'team-a:1')).rejects.toThrow(DecryptionError);
  });

  it('keeps every secret readable through rotation, after which the old master key can be retired', async () => {
    const oldKey = keyText('m1');
    const newKey = keyText('m2');
    const before = createKeyringWrapper(parseKeyring(oldKey));
    const teamKeys = await Promise.all(
      ['team-a', 'team-b'].map(async (team) => {
        const dataKey = newDataKey();
        const secrets = Array.from({ length: 5 }, (_, i) => ({
          id: `${team}-s${i}`,
          value: `value-${team}-${i}`,
          sealed: sealSecret(dataKey, `value-${team}-${i}`, `${team}-s${i}`, 1),
        }));
        return { team, wrapped: await before.wrap(dataKey, `${team}:1`), secrets };
      }),
    );

    // Retiring m1 before rotation would strand every secret: prove the failure is real.
    const onlyNew = createKeyringWrapper(parseKeyring(newKey));
    await expect(onlyNew.unwrap(teamKeys[0]!.wrapped, 'team-a:1')).rejects.toThrow(/not in MANIFOLD_MASTER_KEYS/);

    const during = createKeyringWrapper(parseKeyring(`${oldKey},${newKey}`));
    for (const teamKey of teamKeys) {
      const dataKey = await during.unwrap(teamKey.wrapped, `${teamKey.team}:1`);
      teamKey.wrapped = await during.wrap(dataKey, `${teamKey.team}:1`);
      expect(teamKey.wrapped.keyId).toBe('m2');
    }

    for (const teamKey of teamKeys) {
      const dataKey = await onlyNew.unwrap(teamKey.wrapped, `${teamKey.team}:1`);
      for (const secret of teamKey.secrets) expect(openSecret(dataKey, secret.sealed, secret.id, 1)).toBe(secret.value);
    }
  });
});

describe('keyringFromEnvironment', () => {
  it('refuses production without a keyring and allows development without one', async () => {
    const { keyringFromEnvironment } = await import('./keyring-config');
    expect(() => keyringFromEnvironment({ NODE_ENV: 'production' })).toThrow(/required in production/);
    expect(keyringFromEnvironment({ NODE_ENV: 'development' })).toBeUndefined();
    expect(keyringFromEnvironment({ NODE_ENV: 'production', MANIFOLD_MASTER_KEYS: keyText('p1') })?.currentId).toBe('p1');
  });
});
