// Hostile input at the REST edge, sent as the security test sent it: NUL characters in bodies, path segments
// and query values, nesting deep enough to overflow a recursive parser, bodies over the byte limit (counted
// in bytes, refused before being read whole) and LIKE wildcards in a search. Each is a 4xx problem+json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let key: string;

beforeAll(async () => {
  h = await startApiHarness();
  key = (await h.key(h.a)).key;
});
afterAll(async () => {
  await h?.stop();
});

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

async function problem(response: Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as Problem;
}

const definition = { steps: [{ id: 'say', type: 'tool', server: 'alpha-everything', tool: 'echo', args: { message: 'hi' } }] };
const nestedJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('NUL characters', () => {
  const bodies: Array<[string, string, Record<string, unknown>, string]> = [
    ['/api/v1/workflows', 'workflow name', { slug: 'nul-flow', name: 'x\u0000y', definition }, 'name'],
    [
      '/api/v1/workflows',
      'workflow definition',
      { slug: 'nul-flow', name: 'Flow', definition: { ...definition, description: '\u0000' } },
      'definition.description',
    ],
    ['/api/v1/secrets', 'secret description', { name: 'NUL_SECRET', value: 'a-value', description: 'a\u0000' }, 'description'],
    ['/api/v1/api-keys', 'API-key name', { name: 'ci\u0000', scopes: ['runs:read'] }, 'name'],
    ['/api/v1/runs', 'run input', { workflow: 'alpha-flow', input: { text: 'a\u0000b' } }, 'input.text'],
    ['/api/v1/servers', 'server name', { slug: 'nul-server', name: 'x\u0000', transport: 'stdio', command: ['x'] }, 'name'],
  ];
  it.each(bodies)('%s (%s) answers 400 naming the field', async (pattern, _label, body, path) => {
    const response = await h.call(pattern, 'POST', { key, body });
    expect(response.status).toBe(400);
    const answer = await problem(response);
    expect(answer.code).toBe('validation_failed');
    expect(answer.errors).toEqual([{ path, message: expect.stringMatching(/NUL/) }]);
  });

  it.each([
    ['/api/v1/runs/[id]', 'id'],
    ['/api/v1/api-keys/[id]', 'id'],
  ])('a NUL path segment of %s answers 400', async (pattern, name) => {
    const response = await h.call(pattern, 'GET', { key, params: { [name]: '\u0000' } });
    expect(response.status).toBe(400);
    expect((await problem(response)).errors?.[0]?.path).toBe(name);
  });

  it.each([
    ['/api/v1/runs', 'cursor'],
    ['/api/v1/audit-log', 'actorId'],
    ['/api/v1/audit-log', 'targetType'],
    ['/api/v1/servers', 'q'],
  ])('a NUL in %s?%s= answers 400', async (pattern, name) => {
    const response = await h.call(pattern, 'GET', { key, query: `${name}=%00` });
    expect(response.status).toBe(400);
    expect((await problem(response)).errors?.[0]?.path).toBe(name);
  });
});

describe('nesting', () => {
  it('run input nested 10,000 levels answers 400 naming the field', async () => {
    const response = await h.call('/api/v1/runs', 'POST', { key, rawBody: `{"workflow":"alpha-flow","input":${nestedJson(10_000)}}` });
    expect(response.status).toBe(400);
    expect((await problem(response)).errors?.[0]?.path).toMatch(/^input(\.a)+$/);
  });

  it('a definition nested 5,000 levels answers 400 naming the field', async () => {
    const response = await h.call('/api/v1/workflows', 'POST', {
      key,
      rawBody: `{"slug":"deep-flow","name":"Deep","definition":${nestedJson(5_000)}}`,
    });
    expect(response.status).toBe(400);
    expect((await problem(response)).errors?.[0]?.path).toMatch(/^definition(\.a)+$/);
  });
});

describe('body size', () => {
  it('counts bytes, not characters: 1.2 MB of UTF-8 in fewer characters answers 413', async () => {
    const name = 'é'.repeat(600_000); // 600,000 characters, 1.2 MB
    const response = await h.call('/api/v1/workflows', 'POST', { key, rawBody: JSON.stringify({ slug: 'big', name, definition }) });
    expect(response.status).toBe(413);
    expect((await problem(response)).code).toBe('payload_too_large');
  });

  it('refuses a 10 MB body by its Content-Length, before reading it', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
        if (pulled >= 10_000_000) controller.close();
      },
    });
    const response = await h.call('/api/v1/workflows', 'POST', { key, rawBody: stream, headers: { 'content-length': '10000000' } });
    expect(response.status).toBe(413);
    // Only what the stream pre-fills (its high-water mark) may have been pulled, not 10 MB.
    expect(pulled).toBeLessThan(1_000_000);
  });

  it('stops reading a streamed body without Content-Length as soon as it passes the limit', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
        if (pulled >= 10_000_000) controller.close();
      },
    });
    const response = await h.call('/api/v1/workflows', 'POST', { key, rawBody: stream });
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(1_200_000);
  });

  it('still accepts a body just under the limit', async () => {
    const response = await h.call('/api/v1/workflows', 'POST', {
      key,
      body: { slug: 'fits', name: 'Fits', description: 'd'.repeat(1_000), definition },
    });
    expect(response.status).toBe(201);
  });
});

describe('catalog search', () => {
  it('treats % and _ as literal characters, not LIKE wildcards', async () => {
    const all = (await (await h.call('/api/v1/servers', 'GET', { key })).json()) as { items: unknown[] };
    expect(all.items.length).toBeGreaterThan(0);
    // Unescaped, each would match every entry ("%" anything, "_" any one character).
    for (const q of ['%25', 'e%25', '_____', '%25%25']) {
      const response = await h.call('/api/v1/servers', 'GET', { key, query: `q=${q}` });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { items: unknown[] }).items).toEqual([]);
    }
    const everything = (await (await h.call('/api/v1/servers', 'GET', { key, query: 'q=everything' })).json()) as { items: unknown[] };
    expect(everything.items.length).toBeGreaterThan(0);
  });
});

describe('forged stored-value references', () => {
  // A reference names a stored value (claim-check) that the worker would load; only Manifold makes them.
  const forged = { $manifoldPayload: '01a250ad-0000-7000-8000-000000000000' };

  it('run input holding the reference marker answers 400 naming the field, and no run is made', async () => {
    const before = ((await (await h.call('/api/v1/runs', 'GET', { key })).json()) as { items: unknown[] }).items.length;
    const response = await h.call('/api/v1/runs', 'POST', { key, body: { workflow: 'alpha-flow', input: { text: 'x', nested: [forged] } } });
    expect(response.status).toBe(400);
    const answer = await problem(response);
    expect(answer.errors).toEqual([{ path: 'input.nested[0].$manifoldPayload', message: expect.stringMatching(/reserved/) }]);
    expect(answer.detail).not.toContain(forged.$manifoldPayload);
    const after = ((await (await h.call('/api/v1/runs', 'GET', { key })).json()) as { items: unknown[] }).items.length;
    expect(after).toBe(before);
  });

  it('a definition holding it in literal arguments answers 400 naming the field', async () => {
    const body = {
      slug: 'forged-ref-flow',
      name: 'Forged',
      definition: { steps: [{ id: 'say', type: 'tool', server: 'alpha-everything', tool: 'echo', args: forged }] },
    };
    const response = await h.call('/api/v1/workflows', 'POST', { key, body });
    expect(response.status).toBe(400);
    expect((await problem(response)).errors).toContainEqual({
      path: 'definition.steps[0].args.$manifoldPayload',
      message: expect.stringMatching(/reserved/),
    });
    expect((await h.call('/api/v1/workflows/[slug]', 'GET', { key, params: { slug: 'forged-ref-flow' } })).status).toBe(404);
  });
});
