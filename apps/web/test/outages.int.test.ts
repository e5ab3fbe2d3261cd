// The API during outages, through the real route handlers: Temporal unreachable (this harness points at a closed port)
// and Postgres unreachable. Clients are told to come back (503 + Retry-After) quickly, never a 500; a run triggered
// while Temporal is down is accepted (202, queued) for the run sweep to start; /api/health answers within a second.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '@manifold/db';
import { createServices, createTemporalGateway, type Services } from '@manifold/services';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let key: string;
const holder = globalThis as typeof globalThis & { manifoldServices?: Services };

beforeAll(async () => {
  h = await startApiHarness({ API_RATE_LIMIT: '100000' });
  key = (await h.key(h.a)).key;
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('Temporal unreachable', () => {
  it('POST /runs accepts the run (202, queued) within seconds; a repeat with the same key is the same run', async () => {
    const idempotencyKey = `outage-${randomUUID()}`;
    const began = Date.now();
    const response = await h.call('/api/v1/runs', 'POST', { key, body: { workflow: h.a.workflow, input: {} }, headers: { 'idempotency-key': idempotencyKey } });
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(response.status).toBe(202);
    const run = (await response.json()) as { id: string; status: string };
    expect(run.status).toBe('queued');
    expect(response.headers.get('location')).toBe(`/api/v1/runs/${run.id}`);
    const again = await h.call('/api/v1/runs', 'POST', { key, body: { workflow: h.a.workflow, input: {} }, headers: { 'idempotency-key': idempotencyKey } });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { id: string }).id).toBe(run.id);
  });

  it('a call that needs Temporal now (cancel) answers 503 with Retry-After, not 500', async () => {
    const began = Date.now();
    const response = await h.call('/api/v1/runs/[id]/cancel', 'POST', { key, params: { id: h.a.runId } });
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ status: 503, detail: expect.stringMatching(/Temporal/) });
  });

  it('/api/health says degraded within a second', async () => {
    const { GET } = await import('../src/app/api/health/route');
    const began = Date.now();
    const response = await GET();
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'degraded', database: 'up', temporal: 'down', workers: 'unknown' });
  });
});

describe('Postgres unreachable', () => {
  it('API calls answer 503 with Retry-After quickly, and health answers within a second', async () => {
    await h.call('/api/v1/runs', 'GET', { key }); // the route modules' own services exist now
    const saved = holder.manifoldServices;
    const down = createDatabase('postgresql://postgres@127.0.0.1:1/manifold');
    const temporal = createTemporalGateway({ address: '127.0.0.1:1', namespace: 'default', taskQueue: 'unused' });
    holder.manifoldServices = createServices({ db: down, temporal });
    try {
      for (const [pattern, method] of [
        ['/api/v1/runs', 'GET'],
        ['/api/v1/runs', 'POST'],
        ['/api/v1/workflows', 'GET'],
      ] as const) {
        const began = Date.now();
        const response = await h.call(pattern, method, { key, ...(method === 'POST' ? { body: { workflow: h.a.workflow, input: {} } } : {}) });
        expect(Date.now() - began, `${method} ${pattern}`).toBeLessThan(5_000);
        expect(response.status, `${method} ${pattern}`).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        const problem = (await response.json()) as { detail: string };
        expect(problem.detail).toMatch(/database is not reachable/);
        expect(problem.detail).not.toMatch(/127\.0\.0\.1|Prisma|P1001/);
      }
      const { GET } = await import('../src/app/api/health/route');
      const began = Date.now();
      const health = await GET();
      expect(Date.now() - began).toBeLessThan(1_000);
      expect(await health.json()).toMatchObject({ status: 'degraded', database: 'down' });
    } finally {
      holder.manifoldServices = saved;
      await down.$disconnect();
      await temporal.close();
    }
  });
});
