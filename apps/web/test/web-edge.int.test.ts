// The web edge as Next applies it: the security headers next.config.ts sets on every page and API answer
// (with the CSP the dashboard runs under), and the proxy's same-origin check on state-changing requests.
import { beforeAll, describe, expect, it } from 'vitest';
import { NextRequest, type NextFetchEvent } from 'next/server';

type HeaderRule = {
  source: string;
  has?: Array<{ type: string; key: string; value?: string }>;
  headers: Array<{ key: string; value: string }>;
};
let rules: HeaderRule[];
let proxy: (request: NextRequest, event: NextFetchEvent) => Promise<Response>;

beforeAll(async () => {
  process.env.AUTH_SECRET ??= 'web-edge-test-secret-that-is-long-enough';
  const config = (await import('../next.config')).default;
  rules = (await config.headers!()) as HeaderRule[];
  proxy = (await import('../src/proxy')).default;
});

/** The headers Next would add to a response for `path` (rules whose source matches every path, or it). */
function headersFor(requestHeaders: Record<string, string> = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const rule of rules) {
    expect(rule.source).toBe('/:path*'); // matches "/", pages and /api alike
    const applies = (rule.has ?? []).every((c) => c.type === 'header' && new RegExp(`^${c.value}$`).test(requestHeaders[c.key] ?? ''));
    if (applies) for (const { key, value } of rule.headers) out.set(key.toLowerCase(), value);
  }
  return out;
}

describe('security headers', () => {
  it('sets CSP, framing, sniffing and referrer headers on every answer', () => {
    const headers = headersFor();
    const csp = headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(\*|https?:)/); // no third-party script sources
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(headers.has('strict-transport-security')).toBe(false);
  });

  it('adds HSTS only behind TLS (the proxy says x-forwarded-proto: https)', () => {
    expect(headersFor({ 'x-forwarded-proto': 'https' }).get('strict-transport-security')).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(headersFor({ 'x-forwarded-proto': 'http' }).has('strict-transport-security')).toBe(false);
  });
});

describe('same-origin check', () => {
  const event = {} as NextFetchEvent;
  const post = (path: string, headers: Record<string, string>) =>
    new NextRequest(`http://manifold.test${path}`, { method: 'POST', headers: { host: 'manifold.test', ...headers } });

  it('refuses a server action without an Origin header (403)', async () => {
    const response = await proxy(post('/secrets', { 'next-action': 'abc123' }), event);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('forbidden');
  });

  it('refuses a cross-site Origin, on pages, sign-in and Auth.js routes alike', async () => {
    for (const path of ['/secrets', '/sign-in', '/api/auth/signout', '/app-api/runs/x']) {
      const response = await proxy(post(path, { origin: 'https://evil.example' }), event);
      expect(response.status, path).toBe(403);
    }
    expect((await proxy(post('/sign-in', { origin: 'null' }), event)).status).toBe(403);
  });

  it('lets a same-origin request through (also behind a proxy that forwards the host)', async () => {
    const own = await proxy(post('/sign-in', { origin: 'http://manifold.test' }), event);
    expect(own.status).toBe(200);
    expect(own.headers.get('x-middleware-next')).toBe('1');
    const forwarded = await proxy(post('/sign-up', { origin: 'https://manifold.example', 'x-forwarded-host': 'manifold.example' }), event);
    expect(forwarded.status).toBe(200);
  });

  it('does not apply to the bearer-key REST API or to reads', async () => {
    expect((await proxy(post('/api/v1/runs', {}), event)).status).toBe(200);
    const read = await proxy(new NextRequest('http://manifold.test/sign-in', { headers: { host: 'manifold.test' } }), event);
    expect(read.status).toBe(200);
  });

  it('still sends signed-out visitors of dashboard pages to /sign-in', async () => {
    const response = await proxy(new NextRequest('http://manifold.test/secrets', { headers: { host: 'manifold.test' } }), event);
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('http://manifold.test/sign-in?callbackUrl=%2Fsecrets');
  });
});

describe('NUL in page addresses', () => {
  const get = (url: string) =>
    proxy(new NextRequest(`http://manifold.test${url}`, { headers: { host: 'manifold.test' } }), {} as NextFetchEvent);

  it('answers 400 problem+json naming the path or the query value', async () => {
    const inPath = await get('/runs/%00');
    expect(inPath.status).toBe(400);
    expect(await inPath.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'path' }] });
    const inQuery = await get('/settings/audit?actorId=%00&targetType=run');
    expect(inQuery.status).toBe(400);
    expect(await inQuery.json()).toMatchObject({ errors: [{ path: 'actorId' }] });
  });

  it('leaves /api/v1 to the route, which names the parameter itself', async () => {
    expect((await get('/api/v1/runs/%00')).status).toBe(200);
  });
});
