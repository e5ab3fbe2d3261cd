'use client';
// The team admin's "approve new definitions" button for a pending tool change.
import { useActionState } from 'react';
import { Spinner } from '@/components/submit-button';
import { Button } from '@/components/ui/button';
import { approveToolsAction, type ApproveState } from './pinning-actions';

export function ApproveToolsButton({ name, snapshotId }: { name: string; snapshotId: string }) {
  const [state, action, isPending] = useActionState(approveToolsAction.bind(null, name, snapshotId), { status: 'idle' } as ApproveState);
  return (
    <form action={action} className="flex flex-col items-end gap-2">
      <Button type="submit" variant="accent" size="sm" disabled={isPending} data-testid="approve-tools-button">
        {isPending && <Spinner />}
        {isPending ? 'Approving…' : 'Approve new definitions'}
      </Button>
      {state.status === 'error' && (
        <p role="alert" className="text-xs text-red-700" data-testid="approve-tools-error">
          {state.message}
        </p>
      )}
    </form>
  );
}
