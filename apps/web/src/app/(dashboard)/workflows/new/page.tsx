import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { services } from '@/server/services';
import { forbiddenUnless, requireSession } from '@/server/session';
import { InstalledServersCard } from '../installed-servers-card';
import { WorkflowEditorForm } from '../workflow-editor-form';

export const metadata: Metadata = { title: 'New workflow · Manifold' };

const EXAMPLE = { steps: [{ id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'hi' } }] };

export default async function NewWorkflowPage() {
  const session = await requireSession();
  forbiddenUnless(session, 'workflows:write');
  const installations = await services().installations.list(session.acting);

  return (
    <>
      <PageHeader
        back={{ href: '/workflows', label: 'Workflows' }}
        title="New workflow"
        description="Checked as you type against this team’s installed servers; saving checks again."
      />
      <div className="space-y-6">
        <WorkflowEditorForm mode="create" initialDefinition={JSON.stringify(EXAMPLE, null, 2)} />
        <InstalledServersCard installations={installations} />
      </div>
    </>
  );
}
