'use client';
// "Test connection": a fresh initialize + tools/list on the worker, showing the result and its latency.
import { useActionState } from 'react';
import { Spinner } from '@/components/submit-button';
import { Button } from '@/components/ui/button';
import { testConnectionAction, type TestConnectionState } from '../../catalog/actions';

export function TestConnectionButton({ name }: { name: string }) {
  const [state, action, isPending] = useActionState(testConnectionAction.bind(null, name), { status: 'idle' } as TestConnectionState);
  const result = state.result;
  return (
    <form action={action} className="space-y-2">
      <Button type="submit" variant="secondary" size="sm" disabled={isPending} data-testid="test-connection-button">
        {isPending && <Spinner />}
        {isPending ? 'Connecting…' : 'Test connection'}
      </Button>
      {result && (
        <p
          role="status"
          className={result.ok ? 'text-xs text-emerald-800' : 'text-xs text-red-700'}
          data-testid="test-connection-result"
          data-ok={result.ok}
        >
          {result.ok
            ? `Connected to ${result.server?.name ?? 'server'} ${result.server?.version ?? ''}: initialize ${result.initializeMs} ms, tools/list ${result.listToolsMs} ms, ${result.tools.length} tools.`
            : result.error}
        </p>
      )}
      {state.status === 'error' && (
        <p role="alert" className="text-xs text-red-700">
          {state.message}
        </p>
      )}
    </form>
  );
}
