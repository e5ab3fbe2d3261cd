import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config';

describe('loadWorkerConfig', () => {
  const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/db' };

  it('refuses production mode without a master keyring', () => {
    expect(() => loadWorkerConfig({ ...base, NODE_ENV: 'production' })).toThrow(/MANIFOLD_MASTER_KEYS is required in production/);
  });

  it('starts in production with a keyring, and in development without one', () => {
    const keys = `k1:${randomBytes(32).toString('base64')}`;
    expect(loadWorkerConfig({ ...base, NODE_ENV: 'production', MANIFOLD_MASTER_KEYS: keys }).keyring?.currentId).toBe('k1');
    expect(loadWorkerConfig({ ...base, NODE_ENV: 'development' }).keyring).toBeUndefined();
  });

  it('names a malformed key without printing it', () => {
    const short = randomBytes(8).toString('base64');
    expect(() => loadWorkerConfig({ ...base, MANIFOLD_MASTER_KEYS: `k1:${short}` })).toThrow(/"k1" must be 32 bytes/);
    try {
      loadWorkerConfig({ ...base, MANIFOLD_MASTER_KEYS: `k1:${short}` });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });
});
