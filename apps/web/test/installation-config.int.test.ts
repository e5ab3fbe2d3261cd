// POST /api/v1/installations and PATCH /api/v1/installations/:name through the real routes: a stdio server's
// arguments, environment and network are only what its catalog entry declares. Every refusal is
// problem+json naming the field, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let key: string;

interface Problem {
  status: number;
  errors?: Array<{ path: string; message: string }>;
}

const install = (body: unknown) => h.call('/api/v1/installations', 'POST', { key, body });
const patch = (name: string, body: unknown) => h.call('/api/v1/installations/[name]', 'PATCH', { key, params: { name }, body });

async function expectRefused(response: Response, field: string): Promise<Problem> {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as Problem;
  expect(problem.errors?.map((e) => e.path)).toContain(field);
  return problem;
}

beforeAll(async () => {
  h = await startApiHarness();
  key = (await h.key(h.a)).key;
  const secret = await h.call('/api/v1/secrets', 'POST', {
    key,
    body: { name: 'PG_URL', value: 'postgresql://reader:pw@db.example.com:5432/app' },
  });
  expect(secret.status).toBe(201);
  expect((await install({ server: 'server-filesystem', name: 'files', config: { args: { directory: ['docs'] } } })).status).toBe(201);
});

afterAll(async () => {
  await h?.stop();
});

describe('installation config: declared arguments and environment only', () => {
  it.each<[string, unknown, string]>([
    ['argv smuggled as an array', { server: 'server-filesystem', config: { args: ['/'] } }, 'config.args'],
    ['an undeclared argument', { server: 'server-filesystem', config: { args: { root: '.' } } }, 'config.args.root'],
    ['an absolute path', { server: 'server-filesystem', config: { args: { directory: ['/'] } } }, 'config.args.directory[0]'],
    ['path traversal', { server: 'server-filesystem', config: { args: { directory: ['docs/../../..'] } } }, 'config.args.directory[0]'],
    ['a NUL byte in a path', { server: 'server-filesystem', config: { args: { directory: 'a\u0000b' } } }, 'config.args.directory'],
    ['a number for a path', { server: 'server-filesystem', config: { args: { directory: 7 } } }, 'config.args.directory'],
    ['LD_PRELOAD', { server: 'server-everything', config: { env: { LD_PRELOAD: '/tmp/x.so' } } }, 'config.env.LD_PRELOAD'],
    ['NODE_OPTIONS', { server: 'server-everything', config: { env: { NODE_OPTIONS: '--require /tmp/x.js' } } }, 'config.env.NODE_OPTIONS'],
    ['PATH', { server: 'server-everything', config: { env: { PATH: '/tmp' } } }, 'config.env.PATH'],
    ['PYTHONPATH', { server: 'server-everything', config: { env: { PYTHONPATH: '/tmp' } } }, 'config.env.PYTHONPATH'],
    ['an undeclared variable', { server: 'server-everything', config: { env: { TOKEN: 'x' } } }, 'config.env.TOKEN'],
    [
      'the memory file moved out',
      { server: 'server-memory', config: { env: { MEMORY_FILE_PATH: '/tmp/all.jsonl' } } },
      'config.env.MEMORY_FILE_PATH',
    ],
    ['a missing connection string', { server: 'server-postgres', config: {} }, 'config.args.connectionString'],
    [
      'a plain password in the connection string',
      { server: 'server-postgres', config: { args: { connectionString: 'postgresql://u:pw@db/app' } } },
      'config.args.connectionString',
    ],
    [
      'extra network targets',
      {
        server: 'server-postgres',
        config: { args: { connectionString: '{{ secrets.PG_URL }}' }, network: { allow: [{ host: '127.0.0.1', port: 5432 }] } },
      },
      'config.network.allow',
    ],
    ['arguments for a remote server', { server: 'server-everything-http', config: { args: { x: 'y' } } }, 'config.args'],
  ])('POST refuses %s with its field path, storing nothing', async (_, body, field) => {
    const before = await h.services.installations.list({ teamId: h.a.teamId, actor: { type: 'system' } });
    await expectRefused(await install({ name: 'probe', ...(body as object) }), field);
    expect(await h.services.installations.list({ teamId: h.a.teamId, actor: { type: 'system' } })).toHaveLength(before.length);
  });

  it('accepts a secret-bound connection string, and never echoes a value in a refusal', async () => {
    expect(
      (await install({ server: 'server-postgres', name: 'pg', config: { args: { connectionString: '{{ secrets.PG_URL }}' } } })).status,
    ).toBe(201);
    const problem = await expectRefused(
      await install({ server: 'server-filesystem', name: 'leaky', config: { env: { LD_PRELOAD: 'canary-value-123' } } }),
      'config.env.LD_PRELOAD',
    );
    expect(JSON.stringify(problem)).not.toContain('canary-value-123');
  });

  it.each<[string, unknown, string]>([
    ['an absolute path', { config: { args: { directory: '/etc' } } }, 'config.args.directory'],
    ['traversal to another installation', { config: { args: { directory: ['../other-installation'] } } }, 'config.args.directory[0]'],
    ['LD_PRELOAD', { config: { env: { LD_PRELOAD: '/tmp/x.so' } } }, 'config.env.LD_PRELOAD'],
    ['an undeclared argument', { config: { args: { '--allow-root': true } } }, 'config.args.--allow-root'],
  ])('PATCH refuses %s with its field path and keeps the stored config', async (_, body, field) => {
    await expectRefused(await patch('files', body), field);
    const stored = await h.services.installations.get({ teamId: h.a.teamId, actor: { type: 'system' } }, 'files');
    expect(stored.config).toEqual({ args: { directory: ['docs'] } });
  });

  it('PATCH accepts declared folders inside the installation folder', async () => {
    expect((await patch('files', { config: { args: { directory: ['docs', 'data/in'] } } })).status).toBe(200);
    const stored = await h.services.installations.get({ teamId: h.a.teamId, actor: { type: 'system' } }, 'files');
    expect(stored.config).toEqual({ args: { directory: ['docs', 'data/in'] } });
  });
});

describe('team catalog entries: declarations that could never launch are refused', () => {
  const create = (body: Record<string, unknown>) =>
    h.call('/api/v1/servers', 'POST', {
      key,
      body: { name: 'x', transport: 'stdio', command: ['npx', '-y', '@modelcontextprotocol/server-everything@2026.1.26', 'stdio'], ...body },
    });

  it('refuses a declared loader variable and a duplicate argument, naming the field', async () => {
    await expectRefused(await create({ slug: 'preload', environmentVariables: [{ name: 'LD_PRELOAD' }] }), 'environmentVariables[0].name');
    await expectRefused(
      await create({
        slug: 'twice',
        packageArguments: [
          { type: 'named', name: '--root' },
          { type: 'named', name: '-root' },
        ],
      }),
      'packageArguments[1]',
    );
    const imported = await h.call('/api/v1/servers/import', 'POST', {
      key,
      body: {
        name: 'io.example/preload',
        description: 'd',
        version: '1.0.0',
        packages: [{ registryType: 'npm', identifier: 'x', environmentVariables: [{ name: 'NODE_OPTIONS' }] }],
      },
    });
    expect(imported.status).toBe(400);
    expect(JSON.stringify(await imported.json())).toContain('NODE_OPTIONS');
  });

  it('installs only what a team entry declares: its declared argument is taken, anything else refused', async () => {
    expect(
      (
        await create({
          slug: 'declared',
          packageArguments: [{ type: 'named', name: '--level', format: 'number' }],
          environmentVariables: [{ name: 'TOKEN', isSecret: true }],
        })
      ).status,
    ).toBe(201);
    expect(
      (await install({ server: 'declared', name: 'declared', config: { args: { level: 3 }, env: { TOKEN: '{{ secrets.PG_URL }}' } } }))
        .status,
    ).toBe(201);
    await expectRefused(await patch('declared', { config: { args: { level: 'high' } } }), 'config.args.level');
    await expectRefused(await patch('declared', { config: { env: { OTHER: 'x' } } }), 'config.env.OTHER');
  });
});
