// DELETE /api/v1/installations/:name through the real route against a real database: refused while a live
// workflow calls the server (409 naming the workflows), removed with ?force=true or when unused, audited,
// and gone afterwards; past runs keep their records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkflow, listAuditLog } from '@manifold/db';
import type { ActingContext } from '@manifold/services';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let owner: ActingContext;
let key: string;

const remove = (name: string, query?: string) =>
  h.call('/api/v1/installations/[name]', 'DELETE', { key, params: { name }, ...(query ? { query } : {}) });

beforeAll(async () => {
  h = await startApiHarness();
  owner = { teamId: h.a.teamId, actor: { type: 'user', id: h.a.userId }, role: 'owner' };
  key = (await h.key(h.a)).key;
  await h.services.installations.install(owner, { server: 'server-everything', name: 'spare' });
  await h.services.installations.install(owner, { server: 'server-everything', name: 'busy' });
  // Written directly: saving through the service would want the installation's tools snapshot.
  await createWorkflow(h.db, h.a.teamId, owner.actor, {
    slug: 'uses-busy',
    name: 'Uses busy',
    definition: {
      steps: [
        { id: 'each', type: 'map', items: '{{ [1] }}', steps: [{ id: 'call', type: 'tool', server: 'busy', tool: 'echo', args: {} }] },
      ],
    } as never,
  });
});

afterAll(async () => {
  await h?.stop();
});

describe('DELETE /api/v1/installations/:name', () => {
  it('removes an unused installation (204), audits it, and then it is not found', async () => {
    expect((await remove('spare')).status).toBe(204);
    const after = await h.call('/api/v1/installations/[name]', 'GET', { key, params: { name: 'spare' } });
    expect(after.status).toBe(404);
    const audit = await listAuditLog(h.db, h.a.teamId, { limit: 10, action: 'server.uninstalled' });
    expect(audit.items.map((e) => e.metadata)).toContainEqual({ name: 'spare', forced: false, usedBy: [] });
  });

  it('refuses (409, problem+json) while a workflow calls it, even inside a map, and loses nothing', async () => {
    const refused = await remove('busy');
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await refused.json()) as { detail: string }).toMatchObject({ detail: expect.stringContaining('"uses-busy"') });
    const still = await h.call('/api/v1/installations/[name]', 'GET', { key, params: { name: 'busy' } });
    expect(still.status).toBe(200);
  });

  it('removes it with ?force=true, recording which workflows used it', async () => {
    expect((await remove('busy', 'force=true')).status).toBe(204);
    const audit = await listAuditLog(h.db, h.a.teamId, { limit: 10, action: 'server.uninstalled' });
    expect(audit.items.map((e) => e.metadata)).toContainEqual({ name: 'busy', forced: true, usedBy: ['uses-busy'] });
  });

  it('rejects a bad force value with its field path, and a name that does not exist with 404', async () => {
    const bad = await remove(h.a.installation, 'force=yes');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('force');
    expect((await remove('never-installed')).status).toBe(404);
  });

  it('a viewer key without servers:write is refused (403)', async () => {
    const readOnly = await h.key(h.a, ['servers:read']);
    const response = await h.call('/api/v1/installations/[name]', 'DELETE', { key: readOnly.key, params: { name: h.a.installation } });
    expect(response.status).toBe(403);
  });
});
