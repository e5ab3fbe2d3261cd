// Builds the OpenAPI 3.1 document from the same zod schemas the routes validate with (z.toJSONSchema emits
// JSON Schema 2020-12, which OpenAPI 3.1 uses as is).
import 'server-only';
import { z } from 'zod';
import type { ApiHandler } from './route';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const toSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;

function objectProperties(schema: z.ZodType): Array<{ name: string; schema: Record<string, unknown>; required: boolean }> {
  const json = toSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    schema: property,
    required: json.required?.includes(name) ?? false,
  }));
}

const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

export function buildOpenApiDocument(routes: Record<string, Record<string, unknown>>, options: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [pattern, module] of Object.entries(routes)) {
    const path = pattern.replace(/\[([^\]]+)\]/g, '{$1}');
    for (const method of METHODS) {
      const handler = module[method] as ApiHandler | undefined;
      if (!handler?.spec) continue;
      const { spec } = handler;
      const parameters = [
        ...(spec.params ? objectProperties(spec.params).map((p) => ({ in: 'path', name: p.name, required: true, schema: p.schema })) : []),
        ...(spec.query
          ? objectProperties(spec.query).map((p) => ({
              in: 'query',
              name: p.name,
              required: p.required && !('default' in p.schema),
              schema: p.schema,
              ...(typeof p.schema.description === 'string' ? { description: p.schema.description } : {}),
            }))
          : []),
      ];
      (paths[path] ??= {})[method.toLowerCase()] = {
        operationId: `${method.toLowerCase()}${pattern.replace(/^\/api\/v1/, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
        ...(spec.summary ? { summary: spec.summary } : {}),
        description: `Requires an API key with the \`${spec.scope}\` scope.`,
        security: [{ apiKey: [spec.scope] }],
        'x-required-scope': spec.scope,
        ...(parameters.length ? { parameters } : {}),
        ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(spec.body) } } } } : {}),
        responses: {
          '200': {
            description: 'Success (201 when a resource was created; 202 when a run was accepted while Temporal is unreachable: it starts when Temporal is back).',
            content: { 'application/json': spec.response ? { schema: toSchema(spec.response, 'output') } : {} },
          },
          '400': { description: 'Invalid input, with field paths.', ...problem },
          '401': { description: 'Missing, malformed, revoked or expired API key.', ...problem },
          '403': { description: 'The key lacks the scope.', ...problem },
          '404': { description: 'Not found (also: another team’s resource).', ...problem },
          '429': { description: 'Rate limited; see Retry-After.', ...problem },
          '503': { description: 'Postgres or Temporal is unreachable right now; see Retry-After.', ...problem },
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Manifold API', version: options.version, description: 'Durable, multi-tenant agent workflows over MCP servers.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A team API key: `Authorization: Bearer mfk_…`.' } },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details.',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            instance: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
          required: ['type', 'title', 'status', 'detail', 'code'],
        },
      },
    },
    paths,
  };
}
