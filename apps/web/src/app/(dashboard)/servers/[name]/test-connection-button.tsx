'use client';
// "Test connection": a fresh initialize + tools/list on the worker, showing the result and its latency.
import { useActionState } from 'react';
import { SubmitButton } from '@/components/submit-button';
import { testConnectionAction, type TestConnectionState } from '../../catalog/actions';

export function TestConnectionButton({ name }: { name: string }) {
  const [state, action] = useActionState(testConnectionAction.bind(null, name), { status: 'idle' } as TestConnectionState);
  const result = state.result;
  return (
    <form action={action} className="space-y-2">
      <SubmitButton variant="secondary" size="sm" pendingLabel="Connecting…" data-testid="test-connection-button">
        Test connection
      </SubmitButton>
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
