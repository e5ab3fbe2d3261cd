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

  it("refuses Manifold's own endpoints to MCP servers even with loopback allowed, and keeps no password in them", () => {
    const config = loadWorkerConfig({
      DATABASE_URL: 'postgresql://postgres:pw-9f2@127.0.0.1:54329/manifold',
      TEMPORAL_ADDRESS: '127.0.0.1:7299',
      TEMPORAL_UI_PORT: '8299',
      TEMPORAL_HTTP_PORT: '7399',
      TEMPORAL_METRICS_PORT: '7499',
      WORKER_HEALTH_PORT: '3199',
      PORT: '3099',
      MANIFOLD_ALLOW_LOOPBACK: 'true',
    });
    expect(config.network.allowLoopback).toBe(true);
    expect(config.network.protectedEndpoints).toEqual([
      { host: '127.0.0.1', port: 54329 },
      { host: '127.0.0.1', port: 7299 },
      { host: '127.0.0.1', port: 8299 },
      { host: '127.0.0.1', port: 7399 },
      { host: '127.0.0.1', port: 7499 },
      { host: 'localhost', port: 3199 },
      { host: 'localhost', port: 3099 },
    ]);
    expect(JSON.stringify(config.network)).not.toContain('pw-9f2');
    expect(config.egressDir).toMatch(/\.data\/run\/egress$/);
  });
});

describe('sandbox settings', () => {
  const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/db' };
  const keys = `k1:${randomBytes(32).toString('base64')}`;

  it('requires the sandbox in production and makes it optional in development by default', () => {
    expect(loadWorkerConfig({ ...base, NODE_ENV: 'production', MANIFOLD_MASTER_KEYS: keys }).sandbox.mode).toBe('required');
    expect(loadWorkerConfig({ ...base, NODE_ENV: 'development' }).sandbox.mode).toBe('optional');
    expect(loadWorkerConfig({ ...base, MANIFOLD_SANDBOX: 'off' }).sandbox.mode).toBe('off');
  });

  it('refuses to turn the sandbox off (or optional) in production', () => {
    for (const mode of ['off', 'optional'])
      expect(() => loadWorkerConfig({ ...base, NODE_ENV: 'production', MANIFOLD_MASTER_KEYS: keys, MANIFOLD_SANDBOX: mode })).toThrow(
        new RegExp(`MANIFOLD_SANDBOX: "${mode}" is not allowed in production`),
      );
  });

  it('has the documented limit defaults, each overridable, and a bad one names its variable', () => {
    const config = loadWorkerConfig(base);
    expect(config.sandbox).toMatchObject({
      uidBase: 200_000,
      limits: { memoryMiB: 512, cpuSeconds: 3600, processes: 64, openFiles: 1024, fileSizeMiB: 256 },
    });
    expect(config.sandbox.readOnlyPaths.every((dir) => dir.endsWith('node_modules'))).toBe(true);
    expect(loadWorkerConfig({ ...base, MANIFOLD_SANDBOX_MEMORY_MIB: '1024' }).sandbox.limits.memoryMiB).toBe(1024);
    expect(() => loadWorkerConfig({ ...base, MANIFOLD_SANDBOX_PROCESSES: '2' })).toThrow(/MANIFOLD_SANDBOX_PROCESSES/);
  });
});
