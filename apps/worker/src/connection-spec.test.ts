import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { InstallationWithServer } from '@manifold/db';
import { McpCallError } from '@manifold/mcp';
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

const HOST = { dataDir: tmpdir(), allowedCommands: [] };

describe('connectionSpecFor', () => {
  it('keeps the pool key when only bookkeeping changes, and changes it with the settings', () => {
    const a = connectionSpecFor(installation({ updatedAt: new Date(1) }), HOST);
    const b = connectionSpecFor(installation({ updatedAt: new Date(2) }), HOST);
    const c = connectionSpecFor(installation({ config: { args: ['--verbose'] } }), HOST);
    expect(a.key).toBe(b.key);
    expect(c.key).not.toBe(a.key);
  });

  it('starts stdio servers with their argument array, declared env only, in a folder of their own', () => {
    const spec = connectionSpecFor(installation({ config: { args: ['--x'], env: { LEVEL: '2' } } }), {
      dataDir: '/tmp/manifold-spec-test',
      allowedCommands: [],
    });
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
      HOST,
    );
    expect(spec).toMatchObject({ transport: 'http', url: 'http://mine/mcp' });
  });
});

describe('secret bindings', () => {
  const bound = (version: number, value: string) => ({ values: new Map([['API_KEY', value]]), versions: { API_KEY: version } });

  it('substitutes secrets into stdio env and http headers', () => {
    const stdio = connectionSpecFor(
      installation({ config: { env: { API_KEY: '{{ secrets.API_KEY }}', MODE: 'x' } } }),
      HOST,
      bound(1, 'v1-value'),
    );
    expect(stdio).toMatchObject({ env: { API_KEY: 'v1-value', MODE: 'x' } });
    const http = connectionSpecFor(
      installation({ transport: 'http', url: 'http://remote/mcp', config: { headers: { Authorization: 'Bearer {{ secrets.API_KEY }}' } } }),
      HOST,
      bound(1, 'v1-value'),
    );
    expect(http).toMatchObject({ headers: { Authorization: 'Bearer v1-value' } });
  });

  it('changes the pool key with a new secret version, and never puts the value in it', () => {
    const inst = installation({ config: { env: { API_KEY: '{{ secrets.API_KEY }}' } } });
    const v1 = connectionSpecFor(inst, HOST, bound(1, 'value-one'));
    const v1again = connectionSpecFor(inst, HOST, bound(1, 'value-one'));
    const v2 = connectionSpecFor(inst, HOST, bound(2, 'value-two'));
    expect(v1.key).toBe(v1again.key);
    expect(v2.key).not.toBe(v1.key);
    expect(v1.key).not.toContain('value-one');
  });
});

describe('the launch re-check (a team entry stored before the command rule, or edited in the database)', () => {
  const teamEntry = (command: string[]) =>
    ({
      id: 'inst-2',
      teamId: 'team-1',
      name: 'probe',
      config: {},
      updatedAt: new Date(0),
      server: { teamId: 'team-1', slug: 'probe', transport: 'stdio', command, url: null },
    }) as unknown as InstallationWithServer;

  it.each([
    [['/bin/sh', '-c', 'id >&2']],
    [['npx', '-y', 'pkg@latest']],
    [['env', 'LD_PRELOAD=/x.so', '/usr/bin/node']],
    [['node', '-e', '1']],
  ])('refuses %j with a config_error naming the element', (command) => {
    let thrown: unknown;
    try {
      connectionSpecFor(teamEntry(command), HOST);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(McpCallError);
    expect(thrown).toMatchObject({
      errorClass: 'config_error',
      message: expect.stringMatching(/"probe" was not started: its command\[\d\] is not allowed/),
    });
  });

  it('starts pinned runners and operator-listed programs; public entries run as the operator seeded them', () => {
    expect(connectionSpecFor(teamEntry(['npx', '-y', 'pkg@1.2.3']), HOST)).toMatchObject({ command: ['npx', '-y', 'pkg@1.2.3'] });
    expect(connectionSpecFor(teamEntry(['/usr/bin/node', 'server.js']), { ...HOST, allowedCommands: ['/usr/bin/node'] })).toMatchObject({
      command: ['/usr/bin/node', 'server.js'],
    });
    expect(connectionSpecFor(installation(), HOST)).toMatchObject({ command: ['mcp-server-everything', 'stdio'] });
  });
});
