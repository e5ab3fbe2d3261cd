// The published JSON Schema of the workflow definition format, generated from the zod schema. Public: it
// describes the format, holds no team data, and editors fetch it without a key.
import { workflowDefinitionJsonSchema } from '@manifold/core';

const schema = workflowDefinitionJsonSchema();

export function GET(): Response {
  return Response.json(schema, { headers: { 'content-type': 'application/schema+json', 'cache-control': 'public, max-age=300' } });
}
