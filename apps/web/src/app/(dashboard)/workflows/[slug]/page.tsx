import type { Metadata } from 'next';
import Link from 'next/link';
import { workflowDefinitionSchema, type Step } from '@manifold/core';
import { EmptyState } from '@/components/empty-state';
import { JsonView } from '@/components/json-view';
import { PageHeader } from '@/components/page-header';
import { RunsTable } from '@/components/runs-table';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { describeSchema } from '@/format/schema-properties';
import { pickComparison } from '@/format/version-diff';
import { orNotFound } from '@/server/app-error';
import { services } from '@/server/services';
import { requireSession, sessionCan } from '@/server/session';
import { inFormatOrder } from '../definition-order';
import { RunForm } from './run-form';
import { VersionsPanel } from './versions-panel';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: `${(await params).slug} · Workflows · Manifold` };
}

export default async function WorkflowPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ from?: string | string[]; to?: string | string[] }>;
}) {
  const { slug } = await params;
  const session = await requireSession();
  const { acting } = session;
  const [workflow, recent, history] = await Promise.all([
    orNotFound(services().workflows.get(acting, slug)),
    services().runs.list(acting, { workflow: slug, limit: 10 }),
    orNotFound(services().workflows.versions(acting, slug)),
  ]);
  const versions = history.versions.map((v) => ({
    version: v.version,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
    runCount: v.runCount,
    definition: inFormatOrder(v.definition),
  }));
  const comparison = pickComparison(
    versions.map((v) => v.version),
    await searchParams,
  );
  const rawDefinition = workflow.version.definition;
  const parsed = workflowDefinitionSchema.safeParse(rawDefinition);
  const definition = parsed.success ? parsed.data : null;
  const inputFields = definition?.input ? describeSchema(definition.input) : [];

  return (
    <>
      <PageHeader
        back={{ href: '/workflows', label: 'Workflows' }}
        title={<span data-testid="workflow-title">{workflow.name}</span>}
        description={
          <>
            <span className="font-mono">{workflow.slug}</span> · version {workflow.version.version}
            {workflow.description && <> · {workflow.description}</>}
          </>
        }
        actions={
          sessionCan(session, 'workflows:write') && (
            <Link
              href={`/workflows/${encodeURIComponent(workflow.slug)}/edit`}
              className={buttonClasses({ variant: 'secondary' })}
              data-testid="edit-workflow-link"
            >
              Edit
            </Link>
          )
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          <Card>
            <CardHeader>
              <div>
                <CardTitle>Steps</CardTitle>
                <CardDescription>Run in order; each tool call is retried by its policy.</CardDescription>
              </div>
            </CardHeader>
            <ol className="divide-y divide-zinc-100" data-testid="workflow-steps">
              {(definition?.steps ?? []).map((step, index) => (
                <li key={step.id} className="flex items-start gap-4 px-5 py-3.5" data-testid="workflow-step" data-step-id={step.id}>
                  <span className="mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full bg-zinc-100 text-xs font-semibold text-zinc-600">
                    {index + 1}
                  </span>
                  <div className="min-w-0 flex-1">
                    <div className="flex flex-wrap items-center gap-2">
                      <code className="font-mono text-sm font-semibold text-zinc-900">{step.id}</code>
                      {step.name && <span className="text-sm text-zinc-500">{step.name}</span>}
                      <Badge tone="indigo">{step.type}</Badge>
                    </div>
                    {step.type === 'tool' ? (
                      <>
                        <p className="mt-1 text-sm text-zinc-600">
                          calls{' '}
                          <Link
                            href={`/servers/${encodeURIComponent(step.server)}`}
                            className="font-mono text-zinc-900 hover:text-indigo-600"
                          >
                            {step.server}
                          </Link>
                          <span className="text-zinc-400"> → </span>
                          <code className="font-mono text-zinc-900">{step.tool}</code>
                          {step.retry && <span className="text-zinc-400"> · up to {step.retry.maxAttempts} attempts</span>}
                          {step.timeout && <span className="text-zinc-400"> · timeout {String(step.timeout)}</span>}
                        </p>
                        {Object.keys(step.args).length > 0 && (
                          <code className="mt-1.5 block truncate font-mono text-xs text-zinc-500" title={JSON.stringify(step.args)}>
                            {JSON.stringify(step.args)}
                          </code>
                        )}
                      </>
                    ) : (
                      <p className="mt-1 text-sm text-zinc-600">{describeStep(step)}</p>
                    )}
                  </div>
                </li>
              ))}
            </ol>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Definition</CardTitle>
            </CardHeader>
            <CardContent>
              {/* The parsed form lists keys in the format's order (the database returns them reordered). */}
              <JsonView value={definition ?? rawDefinition} data-testid="workflow-definition-json" />
            </CardContent>
          </Card>

          <VersionsPanel slug={workflow.slug} versions={versions} currentVersion={workflow.currentVersion} comparison={comparison} />

          <Card>
            <CardHeader>
              <CardTitle>Recent runs</CardTitle>
              {recent.items.length > 0 && (
                <Link href="/runs" className="text-sm text-indigo-600 hover:underline">
                  All runs
                </Link>
              )}
            </CardHeader>
            {recent.items.length === 0 ? (
              <EmptyState title="Not run yet" data-testid="workflow-runs-empty" />
            ) : (
              <RunsTable runs={recent.items} showWorkflow={false} />
            )}
          </Card>
        </div>

        <Card className="h-fit lg:sticky lg:top-20">
          <CardHeader>
            <div>
              <CardTitle>Run</CardTitle>
              <CardDescription>Starts a durable run and opens its page.</CardDescription>
            </div>
          </CardHeader>
          <CardContent className="space-y-4">
            {inputFields.length > 0 && (
              <div className="rounded-md bg-zinc-50 px-3 py-2 text-xs text-zinc-600" data-testid="workflow-input-schema">
                <p className="mb-1 font-medium text-zinc-700">Input fields</p>
                <ul className="space-y-0.5">
                  {inputFields.map((f) => (
                    <li key={f.path}>
                      <code className="font-mono">{f.path}</code> <span className="text-indigo-700">{f.type}</span>
                      {f.required && <span className="text-red-600"> *</span>}
                      {f.description && <span className="text-zinc-400"> — {f.description}</span>}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {sessionCan(session, 'runs:write') ? (
              <RunForm slug={workflow.slug} defaultInput="{}" />
            ) : (
              <p className="text-sm text-zinc-500" data-testid="run-form-hidden">
                Your role ({session.team.role}) can view this workflow but not run it.
              </p>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}

/** One line for a step that is not a tool call. */
function describeStep(step: Exclude<Step, { type: 'tool' }>): string {
  switch (step.type) {
    case 'map':
      return `runs ${step.steps.length} step(s) for each item of ${step.items}, at most ${step.maxConcurrency} at a time`;
    case 'parallel':
      return `runs branches ${Object.keys(step.branches).join(', ')} at the same time`;
    case 'choice':
      return `takes the first of ${step.choices.length} condition(s) that holds${step.default ? ', else a default' : ''}`;
    case 'wait':
      return `waits ${String(step.duration)}`;
  }
}
