// The one way to declare a REST route: authentication by team API key, the required scope, parsing of
// params / query / JSON body, and error mapping cannot be forgotten on a new route.
import 'server-only';
import type { z } from 'zod';
import { parseOrThrow } from '@manifold/core';
import type { ActingContext, ApiScope, Services } from '@manifold/services';
import { clientIp } from '../client-ip';
import { services } from '../services';
import { problemResponse } from './problem';
import { readJsonBody } from './read-body';

export interface RouteContext<Params, Query> {
  acting: ActingContext;
  params: Params;
  query: Query;
  /** The parsed JSON body (validated by the service the handler calls). */
  body: unknown;
  request: Request;
  services: Services;
}

export interface RouteSpec<Params, Query> {
  /** One line for the OpenAPI document. */
  summary?: string;
  scope: ApiScope;
  params?: z.ZodType<Params>;
  query?: z.ZodType<Query>;
  /** Documents the body (OpenAPI); the service validates it. */
  body?: z.ZodType;
  /** Documents the success body (OpenAPI). */
  response?: z.ZodType;
  handler: (ctx: RouteContext<Params, Query>) => Promise<Response | { status?: number; body: unknown; headers?: Record<string, string> }>;
}

export type ApiHandler = ((request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>) & {
  /** The declaration, for the OpenAPI document (see openapi.ts). */
  spec: RouteSpec<unknown, unknown>;
};

export function apiRoute<Params = Record<string, never>, Query = Record<string, never>>(spec: RouteSpec<Params, Query>): ApiHandler {
  const handler = async (request: Request, context: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    try {
      const svc = services();
      const principal = await svc.apiKeys.authenticate(request.headers.get('authorization'));
      const limit = await svc.rateLimits.consumeApiRequest(principal.keyId);
      svc.apiKeys.requireScope(principal, spec.scope);
      const params = spec.params ? parseOrThrow(spec.params, await context.params) : ({} as Params);
      const query = spec.query ? parseOrThrow(spec.query, Object.fromEntries(new URL(request.url).searchParams)) : ({} as Query);
      // Only routes that declare a body read one: an action such as POST /runs/:id/cancel needs none.
      const hasBody = spec.body !== undefined && (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH');
      const body = hasBody ? await readJsonBody(request) : undefined;
      const acting: ActingContext = {
        teamId: principal.teamId,
        actor: { type: 'apiKey', id: principal.keyId },
        ip: clientIp(request.headers),
        scopes: principal.scopes,
      };
      const result = await spec.handler({ acting, params, query, body, request, services: svc });
      const limitHeaders = {
        'ratelimit-limit': String(limit.limit),
        'ratelimit-remaining': String(limit.remaining),
        'ratelimit-reset': String(limit.resetSeconds),
      };
      if (result instanceof Response) {
        for (const [name, value] of Object.entries(limitHeaders)) result.headers.set(name, value);
        return result;
      }
      return Response.json(result.body, { status: result.status ?? 200, headers: { ...limitHeaders, ...result.headers } });
    } catch (error) {
      return problemResponse(error, request);
    }
  };
  return Object.assign(handler, { spec: spec as RouteSpec<unknown, unknown> });
}
