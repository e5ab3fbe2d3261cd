import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { asAppError } from '@/server/app-error';
import { services } from '@/server/services';
import { forbiddenUnless, requireSession } from '@/server/session';

export const metadata: Metadata = { title: 'Audit log · Manifold' };

const FILTERS = ['action', 'actorId', 'targetType', 'cursor'] as const;

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession();
  forbiddenUnless(session, 'audit:read');
  const raw = await searchParams;
  const query: Record<string, string> = {};
  for (const key of FILTERS) if (typeof raw[key] === 'string' && raw[key]) query[key] = raw[key];
  let page: Awaited<ReturnType<ReturnType<typeof services>['audit']['list']>> = { items: [], nextCursor: null };
  let problem: string | null = null;
  try {
    page = await services().audit.list(session.acting, { ...query, limit: 50 });
  } catch (error) {
    const appError = asAppError(error);
    if (!appError) throw error;
    problem = appError.message;
  }
  const next = page.nextCursor ? `?${new URLSearchParams({ ...query, cursor: page.nextCursor })}` : null;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ups, membership and role changes, invitations, API keys, servers, workflows and runs."
      />
      <form className="mb-4 flex flex-wrap gap-2" data-testid="audit-filters">
        <Input
          name="action"
          defaultValue={query.action ?? ''}
          placeholder='Action, or prefix like "member."'
          className="max-w-xs"
          aria-label="Action"
        />
        <Input name="actorId" defaultValue={query.actorId ?? ''} placeholder="Actor id" className="max-w-xs" aria-label="Actor id" />
        <Input
          name="targetType"
          defaultValue={query.targetType ?? ''}
          placeholder="Target type"
          className="max-w-[10rem]"
          aria-label="Target type"
        />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      {problem && (
        <p role="alert" className="mb-4 text-sm text-red-700">
          {problem}
        </p>
      )}
      <Card>
        <Table data-testid="audit-table">
          <TableHead>
            <tr>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Action</TableHeaderCell>
              <TableHeaderCell>Actor</TableHeaderCell>
              <TableHeaderCell>Target</TableHeaderCell>
              <TableHeaderCell>From</TableHeaderCell>
              <TableHeaderCell>Details</TableHeaderCell>
            </tr>
          </TableHead>
          <TableBody>
            {page.items.map((e) => (
              <TableRow key={e.id} data-testid="audit-row">
                <TableCell>
                  <LocalTime iso={e.createdAt} withSeconds />
                </TableCell>
                <TableCell>
                  <code className="font-mono text-xs">{e.action}</code>
                </TableCell>
                <TableCell className="text-xs">
                  {e.actor.type}
                  {e.actor.id ? `:${e.actor.id.slice(0, 8)}` : ''}
                </TableCell>
                <TableCell className="text-xs">{e.target.type ? `${e.target.type}:${(e.target.id ?? '').slice(0, 8)}` : '—'}</TableCell>
                <TableCell className="text-xs">{e.ip ?? '—'}</TableCell>
                <TableCell className="max-w-xs truncate font-mono text-xs">{JSON.stringify(e.metadata)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
      {next && (
        <div className="mt-4">
          <Link href={next} className={buttonClasses({ variant: 'secondary' })} data-testid="audit-next">
            Older entries
          </Link>
        </div>
      )}
    </>
  );
}
