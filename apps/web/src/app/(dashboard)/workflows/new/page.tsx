import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { services } from '@/server/services';
import { forbiddenUnless, requireSession } from '@/server/session';
import { parseTools } from '../../servers/tools';
import { WorkflowForm } from './workflow-form';

export const metadata: Metadata = { title: 'New workflow · Manifold' };

const EXAMPLE = { steps: [{ id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'hi' } }] };

export default async function NewWorkflowPage() {
  const session = await requireSession();
  forbiddenUnless(session, 'workflows:write');
  const { acting } = session;
  const installations = await services().installations.list(acting);

  return (
    <>
      <PageHeader
        back={{ href: '/workflows', label: 'Workflows' }}
        title="New workflow"
        description="Saving checks every step against this team’s installed servers."
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_16rem]">
        <WorkflowForm exampleDefinition={JSON.stringify(EXAMPLE, null, 2)} />
        <Card className="h-fit" data-testid="available-servers">
          <CardHeader>
            <CardTitle>Installed servers</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3 text-sm">
            {installations.length === 0 && (
              <p className="text-zinc-500">
                None yet.{' '}
                <Link href="/servers" className="text-indigo-600 hover:underline">
                  Add a server
                </Link>{' '}
                first.
              </p>
            )}
            {installations.map((i) => {
              const tools = i.toolsSnapshot === null ? null : parseTools(i.toolsSnapshot);
              return (
                <div key={i.id}>
                  <Link
                    href={`/servers/${encodeURIComponent(i.name)}`}
                    className="font-mono font-medium text-zinc-900 hover:text-indigo-600"
                  >
                    {i.name}
                  </Link>
                  <p className="mt-0.5 text-xs leading-relaxed text-zinc-500">
                    {tools ? tools.map((t) => t.name).join(', ') || 'no tools' : 'tools not listed yet'}
                  </p>
                </div>
              );
            })}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
