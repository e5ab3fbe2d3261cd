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
