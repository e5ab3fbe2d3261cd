// Removing an installation: says which workflows call it (they would fail at that step), and the form
// the server refuses while there are any unless forced.
import Link from 'next/link';
import { GuardedDeleteForm } from '@/components/guarded-delete-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { uninstallServerAction } from '../actions';

export function RemoveServerCard({ name, usedBy }: { name: string; usedBy: string[] }) {
  return (
    <Card className="h-fit border-red-100" data-testid="remove-server">
      <CardHeader>
        <CardTitle>Remove server</CardTitle>
        <CardDescription>
          Its limits, breaker state and OAuth token go with it; past runs keep their records.
          {usedBy.length > 0 && (
            <>
              {' '}
              Called by{' '}
              {usedBy.map((slug, i) => (
                <span key={slug}>
                  {i > 0 && ', '}
                  <Link href={`/workflows/${encodeURIComponent(slug)}`} className="font-mono text-indigo-700 hover:underline">
                    {slug}
                  </Link>
                </span>
              ))}
              : their runs would fail at that step.
            </>
          )}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <GuardedDeleteForm
          action={uninstallServerAction.bind(null, name)}
          inUse={usedBy.length > 0}
          testId="remove-server"
          label="Remove"
          pendingLabel="Removing…"
        />
      </CardContent>
    </Card>
  );
}
