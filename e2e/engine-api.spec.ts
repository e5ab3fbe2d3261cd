// The orchestration engine's REST surface end to end: the published definition schema, installation limits,
// workflow versions and archiving, run cancel and retry — with problem+json errors and team isolation.
import { expect, test } from '@playwright/test';
import { bootstrapTeam } from './support/cli';
import { waitForRunStatus } from './support/runs';

let apiKey: string;
let otherKey: string;
const auth = (key = apiKey) => ({ Authorization: `Bearer ${key}` });

test.beforeAll(async () => {
  [{ apiKey }, { apiKey: otherKey }] = await Promise.all([bootstrapTeam('engine'), bootstrapTeam('engine-intruder')]);
});

test.describe.configure({ mode: 'serial' });

test('publishes the workflow definition JSON Schema', async ({ request }) => {
  const response = await request.get('/api/v1/workflow-schema.json');
  expect(response.status()).toBe(200);
  const schema = await response.json();
  const kinds = schema.$defs.Step.oneOf.map((ref: { $ref: string }) => schema.$defs[ref.$ref.split('/').pop()!].properties.type.const);
  expect(kinds).toEqual(['tool', 'map', 'parallel', 'choice', 'wait']);
});

test('sets installation limits, with problem+json paths for bad values and 404 for another team', async ({ request }) => {
  expect(
    (await request.post('/api/v1/installations', { headers: auth(), data: { server: 'server-everything', name: 'everything' } })).status(),
  ).toBe(201);
  const bad = await request.patch('/api/v1/installations/everything', { headers: auth(), data: { limits: { ratePerSecond: 0 } } });
  expect(bad.status()).toBe(400);
  expect(bad.headers()['content-type']).toContain('application/problem+json');
  expect((await bad.json()).errors).toEqual([expect.objectContaining({ path: 'limits.ratePerSecond' })]);

  const ok = await request.patch('/api/v1/installations/everything', {
    headers: auth(),
    data: { limits: { ratePerSecond: 50, breaker: { consecutiveFailures: 3 } } },
  });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).limits).toMatchObject({ ratePerSecond: 50, breaker: { consecutiveFailures: 3, coolDownMs: 30000 } });
  expect((await request.patch('/api/v1/installations/everything', { headers: auth(otherKey), data: { limits: {} } })).status()).toBe(404);
});

test('versions a workflow, runs pin their version, cancel and retry answer per team', async ({ request }) => {
  const step = (message: string) => ({ id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message } });
  expect(
    (
      await request.post('/api/v1/workflows', {
        headers: auth(),
        data: { slug: 'greet', name: 'Greet', definition: { steps: [step('v1')] } },
      })
    ).status(),
  ).toBe(201);
  const put = await request.put('/api/v1/workflows/greet', { headers: auth(), data: { definition: { steps: [step('v2')] } } });
  expect(put.status()).toBe(200);
  expect((await put.json()).version).toBe(2);
  const versions = await (await request.get('/api/v1/workflows/greet/versions', { headers: auth() })).json();
  expect(versions.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);

  const run = await (await request.post('/api/v1/runs', { headers: auth(), data: { workflow: 'greet' } })).json();
  const done = await waitForRunStatus(request, apiKey, run.id, /succeeded|failed/);
  expect(done).toMatchObject({ status: 'succeeded', workflowVersion: 2 });
  expect((await request.post(`/api/v1/runs/${run.id}/cancel`, { headers: auth() })).status()).toBe(409);
  expect((await request.post(`/api/v1/runs/${run.id}/retry`, { headers: auth() })).status()).toBe(409);
  expect((await request.post(`/api/v1/runs/${run.id}/cancel`, { headers: auth(otherKey) })).status()).toBe(404);

  expect((await request.delete('/api/v1/workflows/greet', { headers: auth() })).status()).toBe(204);
  expect((await request.get('/api/v1/workflows/greet', { headers: auth() })).status()).toBe(404);
});
