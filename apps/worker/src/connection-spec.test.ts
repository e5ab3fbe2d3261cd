import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { InstallationWithServer } from '@manifold/db';
import { connectionSpecFor } from './connection-spec';

function installation(overrides: { config?: unknown; transport?: 'stdio' | 'http'; url?: string | null; updatedAt?: Date } = {}) {
  return {
    id: 'inst-1',
    teamId: 'team-1',
    name: 'everything',
    config: overrides.config ?? {},
    updatedAt: overrides.updatedAt ?? new Date(0),
    server: { transport: overrides.transport ?? 'stdio', command: ['mcp-server-everything', 'stdio'], url: overrides.url ?? null },
  } as unknown as InstallationWithServer;
}

describe('connectionSpecFor', () => {
  it('keeps the pool key when only bookkeeping changes, and changes it with the settings', () => {
    const a = connectionSpecFor(installation({ updatedAt: new Date(1) }), tmpdir());
    const b = connectionSpecFor(installation({ updatedAt: new Date(2) }), tmpdir());
    const c = connectionSpecFor(installation({ config: { args: ['--verbose'] } }), tmpdir());
    expect(a.key).toBe(b.key);
    expect(c.key).not.toBe(a.key);
  });

  it('starts stdio servers with their argument array, declared env only, in a folder of their own', () => {
    const spec = connectionSpecFor(installation({ config: { args: ['--x'], env: { LEVEL: '2' } } }), '/tmp/manifold-spec-test');
    expect(spec).toMatchObject({
      transport: 'stdio',
      command: ['mcp-server-everything', 'stdio', '--x'],
      env: { LEVEL: '2' },
      cwd: '/tmp/manifold-spec-test/servers/team-1/inst-1',
    });
  });

  it('uses the installation URL over the catalog default for remote servers', () => {
    const spec = connectionSpecFor(
      installation({ transport: 'http', url: 'http://default/mcp', config: { url: 'http://mine/mcp' } }),
      tmpdir(),
    );
    expect(spec).toMatchObject({ transport: 'http', url: 'http://mine/mcp' });
  });
});

describe('secret bindings', () => {
  const bound = (version: number, value: string) => ({ values: new Map([['API_KEY', value]]), versions: { API_KEY: version } });

  it('substitutes secrets into stdio env and http headers', () => {
    const stdio = connectionSpecFor(
      installation({ config: { env: { API_KEY: '{{ secrets.API_KEY }}', MODE: 'x' } } }),
      tmpdir(),
      bound(1, 'v1-value'),
    );
    expect(stdio).toMatchObject({ env: { API_KEY: 'v1-value', MODE: 'x' } });
    const http = connectionSpecFor(
      installation({ transport: 'http', url: 'http://remote/mcp', config: { headers: { Authorization: 'Bearer {{ secrets.API_KEY }}' } } }),
      tmpdir(),
      bound(1, 'v1-value'),
    );
    expect(http).toMatchObject({ headers: { Authorization: 'Bearer v1-value' } });
  });

  it('changes the pool key with a new secret version, and never puts the value in it', () => {
    const inst = installation({ config: { env: { API_KEY: '{{ secrets.API_KEY }}' } } });
    const v1 = connectionSpecFor(inst, tmpdir(), bound(1, 'value-one'));
    const v1again = connectionSpecFor(inst, tmpdir(), bound(1, 'value-one'));
    const v2 = connectionSpecFor(inst, tmpdir(), bound(2, 'value-two'));
    expect(v1.key).toBe(v1again.key);
    expect(v2.key).not.toBe(v1.key);
    expect(v1.key).not.toContain('value-one');
  });
});
