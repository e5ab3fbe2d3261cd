import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { McpCallError } from '@manifold/mcp';
import type { InstallationWithServer } from '@manifold/db';
import { connectionSpecFor } from './connection-spec';

// What the entry lets an installation set: a repeated path, a secret token argument, two variables.
const METADATA = {
  packages: [
    {
      registryType: 'npm',
      identifier: 'x',
      packageArguments: [
        { type: 'named', name: '--token', isSecret: true },
        { type: 'positional', valueHint: 'directory', format: 'filepath', resolve: 'folder', isRepeated: true, default: '.' },
      ],
      environmentVariables: [{ name: 'API_KEY', isSecret: true }, { name: 'MODE' }],
    },
  ],
};

function installation(
  overrides: { config?: unknown; transport?: 'stdio' | 'http'; url?: string | null; updatedAt?: Date; id?: string; sandboxUid?: number } = {},
) {
  return {
    id: overrides.id ?? 'inst-1',
    sandboxUid: overrides.sandboxUid ?? 7,
    teamId: 'team-1',
    name: 'everything',
    config: overrides.config ?? {},
    updatedAt: overrides.updatedAt ?? new Date(0),
    server: {
      transport: overrides.transport ?? 'stdio',
      command: ['mcp-server-x', 'stdio'],
      url: overrides.url ?? null,
      metadata: METADATA,
    },
  } as unknown as InstallationWithServer;
}

const HOST = { dataDir: tmpdir(), allowedCommands: [] };

describe('connectionSpecFor', () => {
  it('keeps the pool key when only bookkeeping changes, and changes it with the settings', () => {
    const a = connectionSpecFor(installation({ updatedAt: new Date(1) }), HOST);
    const b = connectionSpecFor(installation({ updatedAt: new Date(2) }), HOST);
    const c = connectionSpecFor(installation({ config: { args: { directory: 'docs' } } }), HOST);
    expect(a.key).toBe(b.key);
    expect(c.key).not.toBe(a.key);
  });

  it('starts stdio servers with their declared arguments resolved in a folder of their own, declared env only', () => {
    const spec = connectionSpecFor(
      installation({ config: { args: { directory: ['docs'] }, env: { MODE: '2' } } }),
      { dataDir: '/tmp/manifold-spec-test', allowedCommands: [] },
    );
    const folder = '/tmp/manifold-spec-test/servers/team-1/inst-1';
    expect(spec).toMatchObject({
      transport: 'stdio',
      command: ['mcp-server-x', 'stdio', `${folder}/docs`],
      env: { MODE: '2' },
      cwd: folder,
      launchEgress: [],
    });
  });

  it('fails a stored config that does not fit the declarations as a config error naming the field', () => {
    for (const config of [{ args: ['--x'] }, { env: { LD_PRELOAD: '/tmp/x.so' } }, { args: { directory: '../inst-2' } }]) {
      let thrown: unknown;
      try {
        connectionSpecFor(installation({ config }), HOST);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(McpCallError);
      expect(thrown).toMatchObject({ errorClass: 'config_error', message: /config\.(args|env)/ });
    }
  });

  it('refuses a path that a symlink planted in the folder leads out of', () => {
    const dataDir = path.join(tmpdir(), `manifold-spec-${process.pid}-${Date.now()}`);
    const folder = path.join(dataDir, 'servers', 'team-1', 'inst-9');
    mkdirSync(folder, { recursive: true });
    symlinkSync('/etc', path.join(folder, 'etc'));
    expect(() => connectionSpecFor(installation({ id: 'inst-9', config: { args: { directory: 'etc' } } }), { dataDir, allowedCommands: [] })).toThrow(/symlink/);
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

  it('substitutes secrets into declared arguments, stdio env and http headers', () => {
    const stdio = connectionSpecFor(
      installation({ config: { args: { token: '{{ secrets.API_KEY }}' }, env: { API_KEY: '{{ secrets.API_KEY }}', MODE: 'x' } } }),
      HOST,
      bound(1, 'v1-value'),
    );
    expect(stdio).toMatchObject({ env: { API_KEY: 'v1-value', MODE: 'x' } });
    expect(stdio.transport === 'stdio' && stdio.command.slice(2, 4)).toEqual(['--token', 'v1-value']);
    const http = connectionSpecFor(
      installation({ transport: 'http', url: 'http://remote/mcp', config: { headers: { Authorization: 'Bearer {{ secrets.API_KEY }}' } } }),
      HOST,
      bound(1, 'v1-value'),
    );
    expect(http).toMatchObject({ headers: { Authorization: 'Bearer v1-value' } });
  });

  it('changes the pool key with a new secret version, and never puts the value in it', () => {
    const inst = installation({ config: { args: { token: '{{ secrets.API_KEY }}' } } });
    const v1 = connectionSpecFor(inst, HOST, bound(1, 'value-one'));
    const v1again = connectionSpecFor(inst, HOST, bound(1, 'value-one'));
    const v2 = connectionSpecFor(inst, HOST, bound(2, 'value-two'));
    expect(v1.key).toBe(v1again.key);
    expect(v2.key).not.toBe(v1.key);
    expect(v1.key).not.toContain('value-one');
  });
});

describe('sandbox policy', () => {
  const limits = { memoryMiB: 512, cpuSeconds: 3600, processes: 64, openFiles: 1024, fileSizeMiB: 256 };
  const host = (dataDir: string) => ({ dataDir, allowedCommands: [], sandbox: { uidBase: 200_000, limits, readOnlyPaths: ['/srv/app/node_modules'] } });
  const isRoot = process.getuid?.() === 0;

  it('gives each stdio installation its own uid and private folder, with no network', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'manifold-spec-'));
    const spec = connectionSpecFor(installation({ sandboxUid: 42 }), host(dataDir));
    const folder = path.join(dataDir, 'servers/team-1/inst-1');
    expect(spec).toMatchObject({
      cwd: folder,
      sandbox: { uid: 200_042, folder, network: { mode: 'none' }, limits, readOnlyPaths: ['/srv/app/node_modules'] },
    });
    const stat = statSync(folder);
    expect(stat.mode & 0o777).toBe(0o700);
    // The parents let the sandbox uid pass (bwrap mounts the folder as that uid) but not list the teams.
    expect(statSync(path.dirname(folder)).mode & 0o777).toBe(0o711);
    if (isRoot) expect(stat.uid).toBe(200_042);
    expect(connectionSpecFor(installation({ transport: 'http', url: 'http://remote/mcp' }), host(dataDir))).not.toHaveProperty('sandbox');
  });

  it('changes the pool key when the policy changes', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'manifold-spec-'));
    const a = connectionSpecFor(installation(), host(dataDir));
    const b = connectionSpecFor(installation(), { ...host(dataDir), sandbox: { ...host(dataDir).sandbox, limits: { ...limits, memoryMiB: 256 } } });
    expect(b.key).not.toBe(a.key);
    expect(connectionSpecFor(installation(), { dataDir, allowedCommands: [] }).key).not.toBe(a.key);
  });

  it.skipIf(!isRoot)('makes folders inside the data dir searchable, and names a folder above it that is not', () => {
    const above = mkdtempSync(path.join(tmpdir(), 'manifold-spec-'));
    chmodSync(above, 0o755);
    const dataDir = path.join(above, 'data');
    mkdirSync(path.join(dataDir, 'servers'), { recursive: true, mode: 0o700 });
    chmodSync(path.join(dataDir, 'servers'), 0o700);
    connectionSpecFor(installation({ sandboxUid: 11 }), host(dataDir));
    expect(statSync(path.join(dataDir, 'servers')).mode & 0o001).toBe(0o001);
    chmodSync(above, 0o700);
    expect(() => connectionSpecFor(installation({ sandboxUid: 12 }), host(dataDir))).toThrow(
      new RegExp(`"${above}" \\(above MANIFOLD_DATA_DIR\\) is not searchable by other users. Run: chmod o\\+x`),
    );
  });

  it.skipIf(!isRoot)("hands files left in the folder to the installation's uid, but never follows a planted symlink", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'manifold-spec-'));
    const folder = path.join(dataDir, 'servers/team-1/inst-1');
    const victim = path.join(dataDir, 'victim');
    writeFileSync(victim, 'root-owned');
    connectionSpecFor(installation({ sandboxUid: 1 }), { dataDir, allowedCommands: [] }); // creates the folder unsandboxed
    writeFileSync(path.join(folder, 'old.json'), '{}');
    symlinkSync(victim, path.join(folder, 'link'));
    connectionSpecFor(installation({ sandboxUid: 9 }), host(dataDir));
    expect(statSync(path.join(folder, 'old.json')).uid).toBe(200_009);
    expect(statSync(victim).uid).toBe(0);
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
    const publicEntry = connectionSpecFor(installation(), HOST);
    expect(publicEntry.transport === 'stdio' && publicEntry.command.slice(0, 2)).toEqual(['mcp-server-x', 'stdio']);
  });
});
