import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFetch } from './bearer-fetch';
import type { McpCallError } from './errors';

// A real HTTP server that accepts only the token named "good" and records what it saw.
let server: Server;
let url: string;
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    res.writeHead(req.headers.authorization === 'Bearer good' ? 200 : 401).end(req.method);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function source(first: string, afterRefresh: string) {
  const calls = { token: 0, refresh: [] as string[] };
  return {
    calls,
    label: 'Server "crm"',
    token: async () => (calls.token++, first),
    refreshAfterRejection: async (rejected: string) => (calls.refresh.push(rejected), afterRefresh),
  };
}

describe('bearerFetch', () => {
  it('sends the token and keeps the other headers', async () => {
    seen.length = 0;
    const tokens = source('good', 'unused');
    const response = await bearerFetch(fetch, tokens)(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['Bearer good']);
    expect(tokens.calls.refresh).toEqual([]);
  });

  it('on a 401 refreshes once, naming the rejected token, and repeats the request', async () => {
    seen.length = 0;
    const tokens = source('expired', 'good');
    const response = await bearerFetch(fetch, tokens)(url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('POST');
    expect(seen).toEqual(['Bearer expired', 'Bearer good']);
    expect(tokens.calls.refresh).toEqual(['expired']);
  });

  it('a second 401 after a refresh is an auth_error that names the server, not the token', async () => {
    const error = (await bearerFetch(fetch, source('bad', 'still-bad'))(url, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    )) as McpCallError;
    expect(error.errorClass).toBe('auth_error');
    expect(error.message).toContain('Server "crm"');
    expect(error.message).not.toContain('still-bad');
  });
});
