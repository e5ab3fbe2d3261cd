// Team A's API key must never see or change team B's data through any /api/v1 route: another team's id
// answers exactly like a missing one (404), lists never include it, and nothing in team B changes.
// The meta-test at the end fails when a route (or a method of one) is added without a case here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING_PINNED, listRouteFiles, loadRoute, startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let keyA: string;

beforeAll(async () => {
  h = await startApiHarness({ API_RATE_LIMIT: '100000' });
  keyA = (await h.key(h.a)).key;
});
afterAll(async () => {
  await h?.stop();
});

async function expectNotFound(response: Response) {
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as { code: string };
  expect(problem.code).toBe('not_found');
}

/** A snapshot of everything team B owns, to prove a request changed nothing. */
async function teamBState() {
  const ctx = { teamId: h.b.teamId, actor: { type: 'user' as const, id: h.b.userId }, role: 'owner' as const };
  const [keys, runs, workflows, installations, secrets, catalog, policy] = await Promise.all([
    h.services.apiKeys.list(ctx),
    h.services.runs.list(ctx, {}),
    h.services.workflows.list(ctx),
    h.services.installations.list(ctx),
    h.services.secrets.list(ctx),
    h.services.catalog.list(ctx, {}),
    h.services.certification.policy(ctx),
  ]);
  return JSON.stringify({
    keys,
    runs: runs.items,
    workflows,
    installations: installations.map((i) => [i.id, i.name, i.updatedAt, i.config]),
    secrets,
    catalog,
    policy,
  });
}

type Case = () => Promise<void>;

/** Route pattern → method → the isolation check. Every route file and exported method must appear. */
const CASES: Record<string, Record<string, Case>> = {
  '/api/v1/runs/[id]': {
    GET: async () => expectNotFound(await h.call('/api/v1/runs/[id]', 'GET', { key: keyA, params: { id: h.b.runId } })),
  },
  '/api/v1/runs': {
    GET: async () => {
      const body = (await (await h.call('/api/v1/runs', 'GET', { key: keyA })).json()) as { items: Array<{ id: string }> };
      expect(body.items.map((r) => r.id)).not.toContain(h.b.runId);
      expect(body.items.length).toBeGreaterThan(0);
    },
    POST: async () => {
      // Triggering team B's workflow by slug from team A: not found, and no run appears in team B.
      const before = await teamBState();
      const response = await h.call('/api/v1/runs', 'POST', { key: keyA, body: { workflow: h.b.workflow, input: {} } });
      await expectNotFound(response);
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/workflows/[slug]': {
    GET: async () => expectNotFound(await h.call('/api/v1/workflows/[slug]', 'GET', { key: keyA, params: { slug: h.b.workflow } })),
    PUT: async () => {
      const before = await teamBState();
      const response = await h.call('/api/v1/workflows/[slug]', 'PUT', {
        key: keyA,
        params: { slug: h.b.workflow },
        body: { definition: { steps: [{ id: 's', type: 'tool', server: h.a.installation, tool: 'echo', args: { message: 'x' } }] } },
      });
      await expectNotFound(response);
      expect(await teamBState()).toBe(before);
    },
    DELETE: async () => {
      const before = await teamBState();
      await expectNotFound(await h.call('/api/v1/workflows/[slug]', 'DELETE', { key: keyA, params: { slug: h.b.workflow } }));
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/workflows/[slug]/versions': {
    GET: async () =>
      expectNotFound(await h.call('/api/v1/workflows/[slug]/versions', 'GET', { key: keyA, params: { slug: h.b.workflow } })),
  },
  '/api/v1/runs/[id]/cancel': {
    POST: async () => {
      const before = await teamBState();
      await expectNotFound(await h.call('/api/v1/runs/[id]/cancel', 'POST', { key: keyA, params: { id: h.b.runId } }));
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/runs/[id]/retry': {
    POST: async () => {
      const before = await teamBState();
      await expectNotFound(await h.call('/api/v1/runs/[id]/retry', 'POST', { key: keyA, params: { id: h.b.runId } }));
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/workflow-schema.json': {
    // Public and team-independent, like the OpenAPI document.
    GET: async () => {
      const route = await import('../src/app/api/v1/workflow-schema.json/route');
      const response = route.GET();
      expect(response.status).toBe(200);
      expect(JSON.stringify(await response.json())).not.toContain(h.b.teamId);
    },
  },
  '/api/v1/workflows': {
    GET: async () => {
      const body = (await (await h.call('/api/v1/workflows', 'GET', { key: keyA })).json()) as { items: Array<{ slug: string }> };
      expect(body.items.map((w) => w.slug)).toEqual([h.a.workflow]);
    },
    POST: async () => {
      // A definition that calls team B's installation is invalid in team A (unknown server).
      const before = await teamBState();
      const response = await h.call('/api/v1/workflows', 'POST', {
        key: keyA,
        body: { slug: 'uses-bravo', name: 'x', definition: { steps: [{ id: 's', type: 'tool', server: h.b.installation, tool: 'echo' }] } },
      });
      expect(response.status).toBe(400);
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/installations/[name]': {
    GET: async () => expectNotFound(await h.call('/api/v1/installations/[name]', 'GET', { key: keyA, params: { name: h.b.installation } })),
    PATCH: async () => {
      const before = await teamBState();
      const response = await h.call('/api/v1/installations/[name]', 'PATCH', {
        key: keyA,
        params: { name: h.b.installation },
        body: { config: { env: { TOKEN: `{{ secrets.${h.b.secret} }}` } } },
      });
      await expectNotFound(response);
      expect(await teamBState()).toBe(before);
    },
    DELETE: async () => {
      const before = await teamBState();
      await expectNotFound(
        await h.call('/api/v1/installations/[name]', 'DELETE', { key: keyA, params: { name: h.b.installation }, query: 'force=true' }),
      );
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/secrets/[name]': {
    GET: async () => expectNotFound(await h.call('/api/v1/secrets/[name]', 'GET', { key: keyA, params: { name: h.b.secret } })),
    PUT: async () => {
      const before = await teamBState();
      await expectNotFound(
        await h.call('/api/v1/secrets/[name]', 'PUT', { key: keyA, params: { name: h.b.secret }, body: { value: 'overwritten' } }),
      );
      expect(await teamBState()).toBe(before);
    },
    DELETE: async () => {
      const before = await teamBState();
      await expectNotFound(
        await h.call('/api/v1/secrets/[name]', 'DELETE', { key: keyA, params: { name: h.b.secret }, query: 'force=true' }),
      );
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/installations/[name]/test-connection': {
    POST: async () =>
      expectNotFound(
        await h.call('/api/v1/installations/[name]/test-connection', 'POST', { key: keyA, params: { name: h.b.installation }, body: {} }),
      ),
  },
  '/api/v1/installations/[name]/oauth': {
    GET: async () =>
      expectNotFound(await h.call('/api/v1/installations/[name]/oauth', 'GET', { key: keyA, params: { name: h.b.installation } })),
    DELETE: async () => {
      const before = await teamBState();
      await expectNotFound(await h.call('/api/v1/installations/[name]/oauth', 'DELETE', { key: keyA, params: { name: h.b.installation } }));
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/installations/[name]/tools/approve': {
    POST: async () => {
      const before = await teamBState();
      await expectNotFound(
        await h.call('/api/v1/installations/[name]/tools/approve', 'POST', { key: keyA, params: { name: h.b.installation }, body: {} }),
      );
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/installations/[name]/tools/snapshots': {
    GET: async () =>
      expectNotFound(
        await h.call('/api/v1/installations/[name]/tools/snapshots', 'GET', { key: keyA, params: { name: h.b.installation } }),
      ),
  },
  '/api/v1/servers/[slug]': {
    GET: async () => expectNotFound(await h.call('/api/v1/servers/[slug]', 'GET', { key: keyA, params: { slug: h.b.privateServer } })),
    PATCH: async () => {
      const before = await teamBState();
      await expectNotFound(
        await h.call('/api/v1/servers/[slug]', 'PATCH', {
          key: keyA,
          params: { slug: h.b.privateServer },
          body: { command: ['npx', '-y', 'evil@6.6.6'] },
        }),
      );
      expect(await teamBState()).toBe(before);
    },
    DELETE: async () => {
      const before = await teamBState();
      await expectNotFound(
        await h.call('/api/v1/servers/[slug]', 'DELETE', { key: keyA, params: { slug: h.b.privateServer }, query: 'force=true' }),
      );
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/servers/[slug]/versions': {
    GET: async () =>
      expectNotFound(await h.call('/api/v1/servers/[slug]/versions', 'GET', { key: keyA, params: { slug: h.b.privateServer } })),
  },
  '/api/v1/servers/[slug]/server.json': {
    GET: async () =>
      expectNotFound(await h.call('/api/v1/servers/[slug]/server.json', 'GET', { key: keyA, params: { slug: h.b.privateServer } })),
  },
  '/api/v1/servers/[slug]/certifications': {
    GET: async () =>
      expectNotFound(await h.call('/api/v1/servers/[slug]/certifications', 'GET', { key: keyA, params: { slug: h.b.privateServer } })),
    POST: async () => {
      const before = await teamBState();
      await expectNotFound(
        await h.call('/api/v1/servers/[slug]/certifications', 'POST', { key: keyA, params: { slug: h.b.privateServer }, body: {} }),
      );
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/certifications/[id]': {
    // No certification exists in this harness (it has no worker): an unknown id is the 404 every other team's id gets.
    GET: async () => expectNotFound(await h.call('/api/v1/certifications/[id]', 'GET', { key: keyA, params: { id: h.b.runId } })),
  },
  '/api/v1/servers/import': {
    POST: async () => {
      // Importing under B's private slug creates A's own entry; B's catalog is untouched.
      const before = await teamBState();
      const response = await h.call('/api/v1/servers/import', 'POST', {
        key: keyA,
        body: {
          name: `io.example/${h.b.privateServer}-imported`,
          description: 'imported',
          version: '1.0.0',
          packages: [
            { registryType: 'npm', identifier: '@modelcontextprotocol/server-everything', version: '1.0.0', transport: { type: 'stdio' } },
          ],
        },
      });
      expect([200, 201]).toContain(response.status);
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/policy': {
    GET: async () => {
      const body = (await (await h.call('/api/v1/policy', 'GET', { key: keyA })).json()) as { minTier: string };
      expect(body.minTier).toBe('unverified');
    },
    PUT: async () => {
      const before = await teamBState();
      const response = await h.call('/api/v1/policy', 'PUT', { key: keyA, body: { minTier: 'community' } });
      expect(response.status).toBe(200);
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/secrets': {
    GET: async () => {
      const body = (await (await h.call('/api/v1/secrets', 'GET', { key: keyA })).json()) as { items: Array<{ name: string }> };
      expect(body.items.map((s) => s.name)).toEqual([h.a.secret]);
    },
    POST: async () => {
      // Secret names are per team: A may use B's name; B's secret keeps its version.
      const before = await teamBState();
      const response = await h.call('/api/v1/secrets', 'POST', { key: keyA, body: { name: h.b.secret, value: 'alpha-owned' } });
      expect(response.status).toBe(201);
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/installations/[name]/tools': {
    GET: async () => {
      const before = await teamBState();
      await expectNotFound(await h.call('/api/v1/installations/[name]/tools', 'GET', { key: keyA, params: { name: h.b.installation } }));
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/installations': {
    GET: async () => {
      const body = (await (await h.call('/api/v1/installations', 'GET', { key: keyA })).json()) as { items: Array<{ name: string }> };
      expect(body.items.map((i) => i.name)).toEqual([h.a.installation]);
    },
    POST: async () => {
      // Installation names are per team: A may reuse B's name, and B's installation stays untouched.
      const before = await teamBState();
      const response = await h.call('/api/v1/installations', 'POST', {
        key: keyA,
        body: { server: 'server-everything', name: h.b.installation },
      });
      expect(response.status).toBe(201);
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/servers': {
    GET: async () => {
      // By name: other cases here create A's own entries under B's slug on purpose.
      const body = (await (await h.call('/api/v1/servers', 'GET', { key: keyA })).json()) as { items: Array<{ name: string }> };
      const names = body.items.map((s) => s.name);
      expect(names).toContain('alpha internal');
      expect(names).not.toContain('bravo internal');
    },
    POST: async () => {
      // Catalog slugs of private entries are per team: A may use B's slug; B's entry is untouched. (409 when
      // another case already created A's copy.)
      const before = await teamBState();
      const response = await h.call('/api/v1/servers', 'POST', {
        key: keyA,
        body: { slug: h.b.privateServer, name: 'A copy', transport: 'stdio', command: EVERYTHING_PINNED },
      });
      expect([201, 409]).toContain(response.status);
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/api-keys/[id]': {
    GET: async () => expectNotFound(await h.call('/api/v1/api-keys/[id]', 'GET', { key: keyA, params: { id: h.b.apiKeyId } })),
    DELETE: async () => {
      const before = await teamBState();
      await expectNotFound(await h.call('/api/v1/api-keys/[id]', 'DELETE', { key: keyA, params: { id: h.b.apiKeyId } }));
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/api-keys': {
    GET: async () => {
      const body = (await (await h.call('/api/v1/api-keys', 'GET', { key: keyA })).json()) as { items: Array<{ id: string }> };
      expect(body.items.map((k) => k.id)).not.toContain(h.b.apiKeyId);
      expect(body.items.map((k) => k.id)).toContain(h.a.apiKeyId);
    },
    POST: async () => {
      const before = await teamBState();
      const response = await h.call('/api/v1/api-keys', 'POST', { key: keyA, body: { name: 'isolation', scopes: ['runs:read'] } });
      expect(response.status).toBe(201);
      expect(await teamBState()).toBe(before);
    },
  },
  '/api/v1/openapi.json': {
    // Public and team-independent: the same document with or without a key.
    GET: async () => {
      const route = await import('../src/app/api/v1/openapi.json/route');
      const response = route.GET();
      expect(response.status).toBe(200);
      expect(JSON.stringify(await response.json())).not.toContain(h.b.teamId);
    },
  },
  '/api/v1/audit-log': {
    GET: async () => {
      const body = (await (await h.call('/api/v1/audit-log', 'GET', { key: keyA, query: 'limit=200' })).json()) as {
        items: Array<{ target: { id: string | null } }>;
      };
      const bravoIds = [h.b.teamId, h.b.userId, h.b.runId, h.b.apiKeyId];
      expect(body.items.length).toBeGreaterThan(0);
      expect(body.items.filter((e) => e.target.id && bravoIds.includes(e.target.id))).toEqual([]);
    },
  },
};

describe("tenant isolation: team A's key against team B's data", () => {
  for (const [pattern, methods] of Object.entries(CASES))
    for (const [method, check] of Object.entries(methods)) it(`${method} ${pattern}`, check);
});

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

describe('isolation coverage (meta)', () => {
  it('covers every /api/v1 route file and every method it exports', async () => {
    const missing: string[] = [];
    for (const pattern of listRouteFiles()) {
      const exported = Object.keys(await loadRoute(pattern)).filter((name) => HTTP_METHODS.includes(name));
      for (const method of exported) if (!CASES[pattern]?.[method]) missing.push(`${method} ${pattern}`);
    }
    expect(missing, 'routes without a tenant-isolation case: add them to CASES').toEqual([]);
  });

  it('has no case for a route that no longer exists', () => {
    expect(Object.keys(CASES).filter((pattern) => !listRouteFiles().includes(pattern))).toEqual([]);
  });
});
