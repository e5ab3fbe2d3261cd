// The REST API end to end: real HTTP against the built app, worker, Temporal, Postgres and MCP servers.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { startEverythingHttpServer, type RunningHttpServer } from '@manifold/testing';
import { bootstrapTeam } from './support/cli';
import { waitForRunStatus } from './support/runs';

let apiKey: string;
let otherKey: string;
let remote: RunningHttpServer;

const auth = (key = apiKey) => ({ Authorization: `Bearer ${key}` });

const waitForRun = (request: APIRequestContext, id: string) => waitForRunStatus(request, apiKey, id);

test.beforeAll(async () => {
  [{ apiKey }, { apiKey: otherKey }, remote] = await Promise.all([
    bootstrapTeam('api'),
    bootstrapTeam('intruder'),
    startEverythingHttpServer(),
  ]);
});

test.afterAll(async () => {
  await remote?.stop();
});

test.describe.configure({ mode: 'serial' });

test('health reports the database and Temporal', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', database: 'up', temporal: 'up', workers: 'polling' });
});

test('adds a stdio and a Streamable HTTP server and lists their tools live', async ({ request }) => {
  const stdio = await request.post('/api/v1/installations', { headers: auth(), data: { server: 'server-everything', name: 'everything' } });
  expect(stdio.status()).toBe(201);
  expect(await stdio.json()).toMatchObject({ name: 'everything', server: 'server-everything', transport: 'stdio' });

  const http = await request.post('/api/v1/installations', {
    headers: auth(),
    data: { server: 'server-everything-http', name: 'remote', config: { url: remote.url } },
  });
  expect(http.status()).toBe(201);

  for (const name of ['everything', 'remote']) {
    const tools = await request.get(`/api/v1/installations/${name}/tools`, { headers: auth() });
    expect(tools.status()).toBe(200);
    const body = await tools.json();
    expect(body.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
  }

  const duplicate = await request.post('/api/v1/installations', {
    headers: auth(),
    data: { server: 'server-everything', name: 'everything' },
  });
  expect(duplicate.status()).toBe(409);
  expect((await duplicate.json()).errors).toEqual([{ path: 'name', message: 'Already in use in this team.' }]);
});

test('creates a workflow and runs it idempotently to success', async ({ request }) => {
  const created = await request.post('/api/v1/workflows', {
    headers: auth(),
    data: {
      slug: 'hello',
      name: 'Hello',
      definition: {
        steps: [
          { id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'hi' } },
          { id: 'add', type: 'tool', server: 'remote', tool: 'get-sum', args: { a: '{{ $length($steps.say.text) }}', b: 1 } },
        ],
      },
    },
  });
  expect(created.status()).toBe(201);
  expect((await request.get('/api/v1/workflows/hello', { headers: auth() })).status()).toBe(200);

  const headers = { ...auth(), 'Idempotency-Key': 'e2e-hello-1' };
  const first = await request.post('/api/v1/runs', { headers, data: { workflow: 'hello', input: {} } });
  expect(first.status()).toBe(201);
  const { id } = await first.json();

  const replay = await request.post('/api/v1/runs', { headers, data: { workflow: 'hello', input: {} } });
  expect(replay.status()).toBe(200);
  expect((await replay.json()).id).toBe(id);

  const run = await waitForRun(request, id);
  expect(run.status).toBe('succeeded');
  expect(run.output).toMatchObject({ text: 'The sum of 8 and 1 is 9.' });
  expect(
    (run.steps as Array<{ key: string; status: string; attempts: unknown[] }>).map((s) => [s.key, s.status, s.attempts.length]),
  ).toEqual([
    ['say', 'succeeded', 1],
    ['add', 'succeeded', 1],
  ]);

  const conflict = await request.post('/api/v1/runs', { headers, data: { workflow: 'hello', input: { other: true } } });
  expect(conflict.status()).toBe(409);
  expect(conflict.headers()['content-type']).toContain('application/problem+json');

  const list = await request.get('/api/v1/runs?workflow=hello&limit=10', { headers: auth() });
  expect((await list.json()).items.map((r: { id: string }) => r.id)).toEqual([id]);
});

test('a failing tool is retried, then the run fails with the error', async ({ request }) => {
  // A literal argument that breaks the tool's input schema is refused when saving…
  const literal = await request.post('/api/v1/workflows', {
    headers: auth(),
    data: {
      slug: 'bad-sum-literal',
      name: 'Bad sum',
      definition: { steps: [{ id: 'sum', type: 'tool', server: 'everything', tool: 'get-sum', args: { a: 'not a number', b: 1 } }] },
    },
  });
  expect(literal.status()).toBe(400);
  expect((await literal.json()).errors).toEqual([expect.objectContaining({ path: 'definition.steps[0].args.a' })]);
  // …one computed at run time reaches the tool, which refuses it (-32602): invalid_arguments, never retried.
  await request.post('/api/v1/workflows', {
    headers: auth(),
    data: {
      slug: 'bad-sum',
      name: 'Bad sum',
      definition: {
        steps: [
          {
            id: 'sum',
            type: 'tool',
            server: 'everything',
            tool: 'get-sum',
            args: { a: '{{ "not a number" }}', b: 1 },
            retry: { maxAttempts: 2, initialInterval: '100ms' },
          },
        ],
      },
    },
  });
  const response = await request.post('/api/v1/runs', { headers: auth(), data: { workflow: 'bad-sum' } });
  const run = await waitForRun(request, (await response.json()).id);
  expect(run.status).toBe('failed');
  expect(run.error).toMatchObject({ stepId: 'sum', errorClass: 'invalid_arguments' });
  const step = (run.steps as Array<{ status: string; attempts: Array<{ status: string; errorClass: string }> }>)[0]!;
  expect(step.status).toBe('failed');
  expect(step.attempts.map((a) => [a.status, a.errorClass])).toEqual([['failed', 'invalid_arguments']]);
});

test('another team’s key cannot see or run this team’s things', async ({ request }) => {
  const runs = await (await request.get('/api/v1/runs', { headers: auth() })).json();
  const runId = runs.items[0].id;
  expect((await request.get(`/api/v1/runs/${runId}`, { headers: auth(otherKey) })).status()).toBe(404);
  expect((await request.get('/api/v1/workflows/hello', { headers: auth(otherKey) })).status()).toBe(404);
  expect((await request.get('/api/v1/installations/everything/tools', { headers: auth(otherKey) })).status()).toBe(404);
  expect((await request.post('/api/v1/runs', { headers: auth(otherKey), data: { workflow: 'hello' } })).status()).toBe(404);
  expect((await (await request.get('/api/v1/runs', { headers: auth(otherKey) })).json()).items).toEqual([]);
});

test.describe('bad input answers with problem+json', () => {
  const cases: Array<{
    name: string;
    send: (r: APIRequestContext) => Promise<import('@playwright/test').APIResponse>;
    status: number;
    code: string;
    path?: string;
  }> = [
    {
      name: 'malformed JSON',
      send: (r) =>
        r.post('/api/v1/runs', { headers: { ...auth(), 'Content-Type': 'application/json' }, data: Buffer.from('{"workflow":') }),
      status: 400,
      code: 'invalid_json',
    },
    {
      name: 'not JSON at all',
      send: (r) => r.post('/api/v1/runs', { headers: { ...auth(), 'Content-Type': 'text/plain' }, data: 'hello' }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'unknown workflow',
      send: (r) => r.post('/api/v1/runs', { headers: auth(), data: { workflow: 'nope' } }),
      status: 404,
      code: 'not_found',
    },
    {
      name: 'a missing field',
      send: (r) => r.post('/api/v1/runs', { headers: auth(), data: { input: {} } }),
      status: 400,
      code: 'validation_failed',
      path: 'workflow',
    },
    {
      name: 'an unknown field',
      send: (r) => r.post('/api/v1/runs', { headers: auth(), data: { workflow: 'hello', inptu: {} } }),
      status: 400,
      code: 'validation_failed',
      path: 'inptu',
    },
    {
      name: 'a bad definition',
      send: (r) =>
        r.post('/api/v1/workflows', {
          headers: auth(),
          data: { slug: 'x', name: 'X', definition: { steps: [{ id: 'a', type: 'tool', server: 'ghost', tool: 'echo' }] } },
        }),
      status: 400,
      code: 'validation_failed',
      path: 'definition.steps[0].server',
    },
    { name: 'a missing key', send: (r) => r.get('/api/v1/runs'), status: 401, code: 'unauthenticated' },
    {
      name: 'an invalid key',
      send: (r) => r.get('/api/v1/runs', { headers: { Authorization: 'Bearer mfk_AAAAAAAAAAAA_' + 'x'.repeat(43) } }),
      status: 401,
      code: 'unauthenticated',
    },
    {
      name: 'a non-Bearer header',
      send: (r) => r.get('/api/v1/runs', { headers: { Authorization: 'Basic Zm9vOmJhcg==' } }),
      status: 401,
      code: 'unauthenticated',
    },
  ];

  for (const c of cases)
    test(c.name, async ({ request }) => {
      const response = await c.send(request);
      expect(response.status()).toBe(c.status);
      expect(response.headers()['content-type']).toContain('application/problem+json');
      const problem = await response.json();
      expect(problem).toMatchObject({
        status: c.status,
        code: c.code,
        type: expect.stringContaining('https://'),
        title: expect.any(String),
        detail: expect.any(String),
      });
      if (c.path) expect(problem.errors.map((e: { path: string }) => e.path)).toContain(c.path);
    });
});
