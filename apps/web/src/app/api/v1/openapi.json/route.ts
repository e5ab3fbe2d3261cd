// The OpenAPI 3.1 document of /api/v1, generated from the routes' zod schemas. Public: it holds no team data.
import { apiV1Document } from '../openapi-document';

export function GET(): Response {
  return Response.json(apiV1Document(), { headers: { 'cache-control': 'public, max-age=300' } });
}
