import type { Metadata } from 'next';
import Link from 'next/link';
import { AutoRefresh } from '@/components/auto-refresh';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/page-header';
import { RunsTable } from '@/components/runs-table';
import { Card } from '@/components/ui/card';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';

export const metadata: Metadata = { title: 'Runs · Manifold' };

export default async function RunsPage() {
  const { acting } = await requireSession();
  const { items } = await services().runs.list(acting, { limit: 50 });
  const isAnyInFlight = items.some((r) => r.status === 'queued' || r.status === 'running');

  return (
    <>
      <PageHeader title="Runs" description="The 50 most recent runs in this team." actions={<AutoRefresh active={isAnyInFlight} />} />
      <Card>
        {items.length === 0 ? (
          <EmptyState title="No runs yet" data-testid="runs-empty">
            Open a{' '}
            <Link href="/workflows" className="text-indigo-600 hover:underline">
              workflow
            </Link>{' '}
            and press Run, or start one through the API.
          </EmptyState>
        ) : (
          <RunsTable runs={items} />
        )}
      </Card>
    </>
  );
}
