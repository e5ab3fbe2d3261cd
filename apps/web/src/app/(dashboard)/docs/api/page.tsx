import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { requireSession } from '@/server/session';
import { apiV1Document } from '../../../api/v1/openapi-document';

export const metadata: Metadata = { title: 'API reference · Manifold' };

interface Operation {
  summary?: string;
  description: string;
  'x-required-scope': string;
  parameters?: Array<{ in: string; name: string; required: boolean; schema: unknown; description?: string }>;
  requestBody?: { content: { 'application/json': { schema: unknown } } };
  responses?: { '200'?: { content?: { 'application/json'?: { schema?: unknown } } } };
}

/** The REST API reference, rendered from the same OpenAPI document GET /api/v1/openapi.json serves. */
export default async function ApiDocsPage() {
  await requireSession();
  const document = apiV1Document();
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            OpenAPI 3.1 at{' '}
            <a href="/api/v1/openapi.json" className="text-indigo-600 hover:underline" data-testid="openapi-link">
              /api/v1/openapi.json
            </a>
            . Authenticate with <code className="font-mono">Authorization: Bearer mfk_…</code>; errors are RFC 9457 problem+json.
          </>
        }
      />
      <div className="grid gap-4">
        {Object.entries(document.paths).flatMap(([path, operations]) =>
          Object.entries(operations as Record<string, Operation>).map(([method, op]) => (
            <Card key={`${method} ${path}`} data-testid="api-operation">
              <CardHeader>
                <CardTitle className="flex items-center gap-2 font-mono text-sm">
                  <Badge tone={method === 'get' ? 'blue' : method === 'delete' ? 'red' : 'green'}>{method.toUpperCase()}</Badge>
                  {path}
                  <span className="ml-auto text-xs font-normal text-zinc-500">scope {op['x-required-scope']}</span>
                </CardTitle>
              </CardHeader>
              <CardContent className="space-y-2 text-sm">
                {op.summary && <p>{op.summary}</p>}
                {op.parameters && (
                  <ul className="space-y-0.5 text-xs">
                    {op.parameters.map((p) => (
                      <li key={`${p.in}:${p.name}`}>
                        <code className="font-mono">{p.name}</code>{' '}
                        <span className="text-zinc-500">
                          ({p.in}
                          {p.required ? ', required' : ''})
                        </span>
                        {p.description && <span className="text-zinc-500"> — {p.description}</span>}
                      </li>
                    ))}
                  </ul>
                )}
                {op.requestBody && (
                  <pre className="overflow-x-auto rounded bg-zinc-50 p-2 font-mono text-xs">
                    {JSON.stringify(op.requestBody.content['application/json'].schema, null, 2)}
                  </pre>
                )}
                {op.responses?.['200']?.content?.['application/json']?.schema !== undefined && (
                  <details>
                    <summary className="cursor-pointer text-xs font-medium text-zinc-500 select-none hover:text-zinc-900">Response</summary>
                    <pre className="mt-1 overflow-x-auto rounded bg-zinc-50 p-2 font-mono text-xs" data-testid="api-response-schema">
                      {JSON.stringify(op.responses['200'].content['application/json'].schema, null, 2)}
                    </pre>
                  </details>
                )}
              </CardContent>
            </Card>
          )),
        )}
      </div>
    </>
  );
}
