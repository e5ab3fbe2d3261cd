// GET /api/v1/installations/:name/tools through the real route: a read-only key gets the approved snapshot
// from the database (the worker is unreachable in this harness, so any live listing would fail), a live
// listing needs servers:write, and definitions waiting for approval are not served as approved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInstallationByName, recordToolListing } from '@manifold/db';
import { toolDefinitionHash, toolSetHash } from '@manifold/secrets';
import type { ActingContext } from '@manifold/services';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let owner: ActingContext;
let readOnly: string;

const listTools = (key: string, query?: string) =>
  h.call('/api/v1/installations/[name]/tools', 'GET', { key, params: { name: h.a.installation }, ...(query ? { query } : {}) });

beforeAll(async () => {
  h = await startApiHarness();
  owner = { teamId: h.a.teamId, actor: { type: 'user', id: h.a.userId }, role: 'owner' };
  readOnly = (await h.key(h.a, ['servers:read'])).key;
});

afterAll(async () => {
  await h?.stop();
});

describe('GET /api/v1/installations/:name/tools', () => {
  it('gives a read-only key the stored snapshot (empty before any approved listing) without asking the worker', async () => {
    const response = await listTools(readOnly);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ installation: h.a.installation, source: 'stored', latencyMs: 0, tools: [] });
  });

  it('serves only approved definitions: a first listing nobody vouched for is pending, then approved', async () => {
    // The harness installs without an approver's vouch: the first listing waits for approval.
    const installation = (await getInstallationByName(h.db, h.a.teamId, h.a.installation))!;
    const tools = [{ name: 'echo', description: 'Echoes.', inputSchema: { type: 'object' } }].map((t) => ({ ...t, hash: toolDefinitionHash(t) }));
    const listing = await recordToolListing(h.db, h.a.teamId, installation.id, { tools, setHash: toolSetHash(tools) });
    expect(listing.status).toBe('pending');

    const pending = (await (await listTools(readOnly)).json()) as { tools: unknown[]; pinning: { status: string } };
    expect(pending.tools).toEqual([]);
    expect(pending.pinning.status).toBe('pending');

    await h.services.toolPinning.approve(owner, h.a.installation, { snapshotId: listing.snapshotId });
    const approved = (await (await listTools(readOnly)).json()) as { tools: Array<{ name: string }>; pinning: { status: string } };
    expect(approved.tools.map((t) => t.name)).toEqual(['echo']);
    expect(approved.pinning).toEqual({ status: 'approved', changes: [], snapshotId: listing.snapshotId });
  });

  it('refuses a live listing to a read-only key (403 problem+json naming the scope)', async () => {
    const response = await listTools(readOnly, 'live=true');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toMatch(/"servers:write"/);
  });

  it('refuses an unknown value of live with its field path', async () => {
    const response = await listTools(readOnly, 'live=maybe');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors?: Array<{ path: string }> };
    expect(body.errors?.map((e) => e.path)).toEqual([expect.stringMatching(/live$/)]);
  });
});
