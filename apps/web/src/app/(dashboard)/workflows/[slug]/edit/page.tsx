import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { orNotFound } from '@/server/app-error';
import { services } from '@/server/services';
import { forbiddenUnless, requireSession } from '@/server/session';
import { inFormatOrder } from '../../definition-order';
import { InstalledServersCard } from '../../installed-servers-card';
import { WorkflowEditorForm } from '../../workflow-editor-form';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: `Edit ${(await params).slug} · Workflows · Manifold` };
}

/** Edits the current version; saving creates the next one (the same service as PUT /api/v1/workflows/:slug). */
export default async function EditWorkflowPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await requireSession();
  forbiddenUnless(session, 'workflows:write');
  const [workflow, installations] = await Promise.all([
    orNotFound(services().workflows.get(session.acting, slug)),
    services().installations.list(session.acting),
  ]);

  return (
    <>
      <PageHeader
        back={{ href: `/workflows/${encodeURIComponent(workflow.slug)}`, label: workflow.name }}
        title={`Edit ${workflow.name}`}
        description={`Version ${workflow.version.version} is current. Saving creates version ${workflow.version.version + 1}; runs already started keep theirs.`}
      />
      <div className="space-y-6">
        <WorkflowEditorForm
          mode="edit"
          slug={workflow.slug}
          name={workflow.name}
          description={workflow.description}
          version={workflow.version.version}
          initialDefinition={JSON.stringify(inFormatOrder(workflow.version.definition), null, 2)}
        />
        <InstalledServersCard installations={installations} />
      </div>
    </>
  );
}
