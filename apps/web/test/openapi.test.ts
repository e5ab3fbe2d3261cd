// The OpenAPI document covers every /api/v1 route and method, from the routes' own zod schemas.
import { describe, expect, it } from 'vitest';
import { API_ROUTES, PUBLIC_ROUTES } from '../src/app/api/v1/registry';
import { GET } from '../src/app/api/v1/openapi.json/route';
import { listRouteFiles, loadRoute } from './api-harness';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

describe('OpenAPI document', () => {
  it('the registry lists exactly the route files on disk', () => {
    expect([...Object.keys(API_ROUTES), ...PUBLIC_ROUTES].sort()).toEqual(listRouteFiles());
  });

  it('documents every method of every registered route, with its scope, params, query and body', async () => {
    const document = (await GET().json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { 'x-required-scope': string; parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }>
      >;
    };
    expect(document.openapi).toBe('3.1.0');
    for (const pattern of Object.keys(API_ROUTES)) {
      const module = await loadRoute(pattern);
      const path = pattern.replace(/\[([^\]]+)\]/g, '{$1}');
      for (const method of Object.keys(module).filter((m) => HTTP_METHODS.includes(m))) {
        const operation = document.paths[path]?.[method.toLowerCase()];
        expect(operation, `${method} ${pattern}`).toBeDefined();
        expect(operation!['x-required-scope']).toMatch(/^[a-z_]+:[a-z_]+$/);
        for (const name of pattern.match(/\[([^\]]+)\]/g) ?? [])
          expect(operation!.parameters).toContainEqual(expect.objectContaining({ in: 'path', name: name.slice(1, -1) }));
      }
    }
    const createRun = document.paths['/api/v1/runs']!.post as unknown as {
      requestBody: { content: { 'application/json': { schema: { properties: object } } } };
    };
    expect(Object.keys(createRun.requestBody.content['application/json'].schema.properties)).toEqual(['workflow', 'input']);
    const listRuns = document.paths['/api/v1/runs']!.get!;
    expect(listRuns.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['status', 'cursor', 'limit']));
    // A run's response schema: a step may be `waiting`, with its wake-up time.
    const getRun = document.paths['/api/v1/runs/{id}']!.get as unknown as {
      responses: {
        '200': {
          content: {
            'application/json': { schema: { properties: { steps: { items: { properties: Record<string, { enum?: string[] }> } } } } };
          };
        };
      };
    };
    const step = getRun.responses['200'].content['application/json'].schema.properties.steps.items.properties;
    expect(step.status!.enum).toContain('waiting');
    expect(Object.keys(step)).toContain('wakeAt');
    const listed = document.paths['/api/v1/runs']!.get as unknown as {
      responses: { '200': { content: { 'application/json': { schema: { properties: { items: { items: { properties: object } } } } } } } };
    };
    expect(Object.keys(listed.responses['200'].content['application/json'].schema.properties.items.items.properties)).toContain(
      'waitingUntil',
    );
    const createKey = document.paths['/api/v1/api-keys']!.post as unknown as {
      requestBody: { content: { 'application/json': { schema: { properties: { scopes: { items: { enum: string[] } } } } } } };
    };
    expect(createKey.requestBody.content['application/json'].schema.properties.scopes.items.enum).toContain('runs:write');
  });

  it("describes an installation's circuit breaker in the GET /installations/{name} response", async () => {
    const document = (await GET().json()) as { paths: Record<string, Record<string, unknown>> };
    const get = document.paths['/api/v1/installations/{name}']!.get as {
      responses: { '200': { content: { 'application/json': { schema: { properties: Record<string, { properties?: object }> } } } } };
    };
    const breaker = get.responses['200'].content['application/json'].schema.properties.breaker!;
    expect(Object.keys(breaker.properties ?? {})).toEqual(
      expect.arrayContaining(['state', 'consecutiveFailures', 'openedAt', 'resumesAt', 'probesInFlight', 'history']),
    );
  });
});
