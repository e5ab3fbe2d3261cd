'use client';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Card className="mx-auto mt-10 max-w-lg p-6" data-testid="page-error">
      <h1 className="text-lg font-semibold text-zinc-900">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-zinc-600">
        Something went wrong on our side — the database or the workflow engine may be unreachable. It was logged
        {error.digest ? (
          <>
            {' '}
            as <code className="font-mono text-xs">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button className="mt-5" onClick={() => reset()}>
        Try again
      </Button>
    </Card>
  );
}
