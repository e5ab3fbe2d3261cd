import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';
import { PlusIcon } from '@/components/icons';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { services } from '@/server/services';
import { requireSession, sessionCan } from '@/server/session';

export const metadata: Metadata = { title: 'Workflows · Manifold' };

export default async function WorkflowsPage() {
  const session = await requireSession();
  const { acting } = session;
  const workflows = await services().workflows.list(acting);
  const newButton = sessionCan(session, 'workflows:write') && (
    <Link href="/workflows/new" className={buttonClasses()} data-testid="new-workflow-link">
      <PlusIcon className="size-4" />
      New workflow
    </Link>
  );

  return (
    <>
      <PageHeader
        title="Workflows"
        description="Steps that call tools on your installed servers, run durably with retries."
        actions={newButton}
      />
      <Card>
        {workflows.length === 0 ? (
          <EmptyState title="No workflows yet" data-testid="workflows-empty">
            Create one to chain tool calls; each run is recorded step by step.
          </EmptyState>
        ) : (
          <Table data-testid="workflows-table">
            <TableHead>
              <tr>
                <TableHeaderCell>Workflow</TableHeaderCell>
                <TableHeaderCell>Slug</TableHeaderCell>
                <TableHeaderCell className="text-right">Version</TableHeaderCell>
                <TableHeaderCell className="text-right">Runs</TableHeaderCell>
                <TableHeaderCell>Updated</TableHeaderCell>
              </tr>
            </TableHead>
            <TableBody>
              {workflows.map((w) => (
                <TableRow key={w.id} className="relative" data-testid="workflow-row" data-slug={w.slug}>
                  <TableCell>
                    <Link
                      href={`/workflows/${w.slug}`}
                      className="font-medium text-zinc-900 after:absolute after:inset-0 hover:text-indigo-600"
                    >
                      {w.name}
                    </Link>
                    {w.description && <p className="mt-0.5 line-clamp-1 text-xs text-zinc-500">{w.description}</p>}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{w.slug}</TableCell>
                  <TableCell className="text-right tabular-nums">v{w.currentVersion}</TableCell>
                  <TableCell className="text-right tabular-nums">{w._count.runs}</TableCell>
                  <TableCell className="text-zinc-500">
                    <LocalTime iso={w.updatedAt.toISOString()} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </>
  );
}
