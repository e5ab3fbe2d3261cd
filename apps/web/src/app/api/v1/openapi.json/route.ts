// The OpenAPI 3.1 document of /api/v1, generated from the routes' zod schemas. Public: it holds no team data.
import { buildOpenApiDocument } from '@/server/api/openapi';
import { API_ROUTES } from '../registry';

export function GET(): Response {
  return Response.json(buildOpenApiDocument(API_ROUTES, { version: '1' }), { headers: { 'cache-control': 'public, max-age=300' } });
}
