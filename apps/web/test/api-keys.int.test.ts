// API keys through the real routes: shown once, scopes (403), revocation and expiry (401), the hash-only
// comparison, and the shared per-key rate limit (429 + Retry-After, then recovery).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyMatches, generateApiKey } from '@manifold/secrets';
import { waitFor } from '@manifold/testing';
import { startApiHarness, type ApiHarness } from './api-harness';

const LIMIT = 5;
let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness({ API_RATE_LIMIT: String(LIMIT), API_RATE_LIMIT_WINDOW_SECONDS: '2' });
});
afterAll(async () => {
  await h?.stop();
});

const problemCode = async (response: Response) => ((await response.json()) as { code: string }).code;

describe('API keys', () => {
  it('creates a key whose secret appears once, then lists it by prefix only', async () => {
    const admin = await h.key(h.a, ['api_keys:read', 'api_keys:write', 'runs:read']);
    const created = await h.call('/api/v1/api-keys', 'POST', {
      key: admin.key,
      body: { name: 'CI', scopes: ['runs:read'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const body = (await created.json()) as { id: string; key: string; prefix: string; scopes: string[]; expiresAt: string };
    expect(body.key).toMatch(new RegExp(`^mfk_${body.prefix}_`));
    expect(body.scopes).toEqual(['runs:read']);
    // The new key works at once.
    expect((await h.call('/api/v1/runs', 'GET', { key: body.key })).status).toBe(200);

    const list = await h.call('/api/v1/api-keys', 'GET', { key: admin.key });
    const text = await list.text();
    expect(text).toContain(body.prefix);
    expect(text).not.toContain(body.key);
    const listed = (JSON.parse(text) as { items: Array<{ id: string; lastUsedAt: string | null; expiresAt: string | null }> }).items;
    const entry = listed.find((k) => k.id === body.id)!;
    expect(entry.lastUsedAt).not.toBeNull();
    expect(entry.expiresAt).toBe(body.expiresAt);
  });

  it('answers 403 for a valid key without the scope, and 401 for a malformed or unknown key', async () => {
    const readOnly = await h.key(h.a, ['runs:read']);
    const response = await h.call('/api/v1/workflows', 'POST', { key: readOnly.key, body: { slug: 'x', name: 'x', definition: {} } });
    expect(response.status).toBe(403);
    expect(await problemCode(response)).toBe('forbidden');
    expect((await h.call('/api/v1/runs', 'GET', { key: 'not-a-key' })).status).toBe(401);
    const unknown = await h.call('/api/v1/runs', 'GET', { key: generateApiKey().key });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('refuses a key whose prefix is right but whose secret is wrong (compared by hash in constant time)', async () => {
    const real = await h.key(h.a, ['runs:read']);
    const forged = real.key.slice(0, -4) + (real.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await h.call('/api/v1/runs', 'GET', { key: forged })).status).toBe(401);
    // The comparison path: equal-length SHA-256 digests through timingSafeEqual, never the raw strings.
    const stored = generateApiKey();
    expect(apiKeyMatches(stored.key, stored.hash)).toBe(true);
    expect(apiKeyMatches(`${stored.key}x`, stored.hash)).toBe(false);
    expect(apiKeyMatches(stored.key, 'abcd')).toBe(false);
  });

  it('a revoked key answers 401 from the next request on', async () => {
    const admin = await h.key(h.a, ['api_keys:write', 'api_keys:read']);
    const victim = await h.key(h.a, ['runs:read']);
    expect((await h.call('/api/v1/runs', 'GET', { key: victim.key })).status).toBe(200);
    const revoked = await h.call('/api/v1/api-keys/[id]', 'DELETE', { key: admin.key, params: { id: victim.id } });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    const after = await h.call('/api/v1/runs', 'GET', { key: victim.key });
    expect(after.status).toBe(401);
    expect(await problemCode(after)).toBe('unauthenticated');
    const audit = await h.call('/api/v1/audit-log', 'GET', { key: (await h.key(h.a, ['audit:read'])).key, query: 'action=api_key.' });
    const actions = ((await audit.json()) as { items: Array<{ action: string; target: { id: string } }> }).items;
    expect(actions).toContainEqual(
      expect.objectContaining({ action: 'api_key.revoked', target: expect.objectContaining({ id: victim.id }) }),
    );
  });

  it('an expired key answers 401', async () => {
    const soon = new Date(Date.now() + 1500);
    const key = await h.key(h.a, ['runs:read'], soon);
    expect((await h.call('/api/v1/runs', 'GET', { key: key.key })).status).toBe(200);
    await waitFor(async () => (await h.call('/api/v1/runs', 'GET', { key: key.key })).status === 401, {
      timeoutMs: 20_000,
      intervalMs: 250,
      description: 'the key to expire',
    });
  });

  it('refuses an expiry in the past and unknown scopes with field paths', async () => {
    const admin = await h.key(h.a, ['api_keys:write']);
    const past = await h.call('/api/v1/api-keys', 'POST', {
      key: admin.key,
      body: { name: 'x', scopes: ['runs:read'], expiresAt: '2000-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(await past.json())).toContain('expiresAt');
    const badScope = await h.call('/api/v1/api-keys', 'POST', { key: admin.key, body: { name: 'x', scopes: ['root'] } });
    expect(badScope.status).toBe(400);
    expect(JSON.stringify(await badScope.json())).toContain('scopes[0]');
  });

  it('a key cannot mint a key with a scope it lacks', async () => {
    const limited = await h.key(h.a, ['api_keys:write', 'runs:read']);
    const response = await h.call('/api/v1/api-keys', 'POST', { key: limited.key, body: { name: 'x', scopes: ['runs:write'] } });
    expect(response.status).toBe(403);
  });
});

describe('rate limiting per API key', () => {
  it(`answers 429 with Retry-After after ${LIMIT} requests in the window, then recovers; other keys are unaffected`, async () => {
    const busy = await h.key(h.a, ['runs:read']);
    const other = await h.key(h.a, ['runs:read']);
    // Hit until limited: the window may roll over once mid-way on a slow machine, so allow up to 3 windows.
    let limited: Response | undefined;
    for (let i = 0; i < LIMIT * 3 && !limited; i++) {
      const response = await h.call('/api/v1/runs', 'GET', { key: busy.key });
      if (response.status === 429) limited = response;
      else {
        expect(response.status).toBe(200);
        expect(Number(response.headers.get('ratelimit-limit'))).toBe(LIMIT);
      }
    }
    expect(limited, 'a 429 answer').toBeDefined();
    expect(await problemCode(limited!)).toBe('rate_limited');
    const retryAfter = Number(limited!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect((await h.call('/api/v1/runs', 'GET', { key: other.key })).status).toBe(200);
    await waitFor(async () => (await h.call('/api/v1/runs', 'GET', { key: busy.key })).status === 200, {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'the rate limit window to pass',
    });
  });

  it('counts hits atomically under concurrency (one shared counter)', async () => {
    const key = await h.key(h.a, ['runs:read']);
    const { hitRateLimit } = await import('@manifold/db');
    const results = await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(h.db, `test:${key.id}`, 3600)));
    expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
