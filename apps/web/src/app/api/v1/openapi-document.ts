// The /api/v1 OpenAPI document, built once per process: the routes and their schemas are fixed at build time,
// and building converts every zod schema. Served by openapi.json and rendered by the dashboard's API reference.
import { buildOpenApiDocument } from '@/server/api/openapi';
import { API_ROUTES } from './registry';

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;

export const apiV1Document = () => (cached ??= buildOpenApiDocument(API_ROUTES, { version: '1' }));
