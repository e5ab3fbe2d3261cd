import { mkdirSync, symlinkSync } from 'node:fs';
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
  overrides: { config?: unknown; transport?: 'stdio' | 'http'; url?: string | null; updatedAt?: Date; id?: string } = {},
) {
  return {
    id: overrides.id ?? 'inst-1',
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

describe('connectionSpecFor', () => {
  it('keeps the pool key when only bookkeeping changes, and changes it with the settings', () => {
    const a = connectionSpecFor(installation({ updatedAt: new Date(1) }), tmpdir());
    const b = connectionSpecFor(installation({ updatedAt: new Date(2) }), tmpdir());
    const c = connectionSpecFor(installation({ config: { args: { directory: 'docs' } } }), tmpdir());
    expect(a.key).toBe(b.key);
    expect(c.key).not.toBe(a.key);
  });

  it('starts stdio servers with their declared arguments resolved in a folder of their own, declared env only', () => {
    const spec = connectionSpecFor(
      installation({ config: { args: { directory: ['docs'] }, env: { MODE: '2' } } }),
      '/tmp/manifold-spec-test',
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
        connectionSpecFor(installation({ config }), tmpdir());
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
    expect(() => connectionSpecFor(installation({ id: 'inst-9', config: { args: { directory: 'etc' } } }), dataDir)).toThrow(/symlink/);
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

  it('substitutes secrets into declared arguments, stdio env and http headers', () => {
    const stdio = connectionSpecFor(
      installation({ config: { args: { token: '{{ secrets.API_KEY }}' }, env: { API_KEY: '{{ secrets.API_KEY }}', MODE: 'x' } } }),
      tmpdir(),
      bound(1, 'v1-value'),
    );
    expect(stdio).toMatchObject({ env: { API_KEY: 'v1-value', MODE: 'x' } });
    expect(stdio.transport === 'stdio' && stdio.command.slice(2, 4)).toEqual(['--token', 'v1-value']);
    const http = connectionSpecFor(
      installation({ transport: 'http', url: 'http://remote/mcp', config: { headers: { Authorization: 'Bearer {{ secrets.API_KEY }}' } } }),
      tmpdir(),
      bound(1, 'v1-value'),
    );
    expect(http).toMatchObject({ headers: { Authorization: 'Bearer v1-value' } });
  });

  it('changes the pool key with a new secret version, and never puts the value in it', () => {
    const inst = installation({ config: { args: { token: '{{ secrets.API_KEY }}' } } });
    const v1 = connectionSpecFor(inst, tmpdir(), bound(1, 'value-one'));
    const v1again = connectionSpecFor(inst, tmpdir(), bound(1, 'value-one'));
    const v2 = connectionSpecFor(inst, tmpdir(), bound(2, 'value-two'));
    expect(v1.key).toBe(v1again.key);
    expect(v2.key).not.toBe(v1.key);
    expect(v1.key).not.toContain('value-one');
  });
});
