'use client';
// The team admin's "approve new definitions" button for a pending tool change.
import { useActionState } from 'react';
import { SubmitButton } from '@/components/submit-button';
import { approveToolsAction, type ApproveState } from './pinning-actions';

export function ApproveToolsButton({ name, snapshotId }: { name: string; snapshotId: string }) {
  const [state, action] = useActionState(approveToolsAction.bind(null, name, snapshotId), { status: 'idle' } as ApproveState);
  return (
    <form action={action} className="flex flex-col items-end gap-2">
      <SubmitButton variant="accent" size="sm" pendingLabel="Approving…" data-testid="approve-tools-button">
        Approve new definitions
      </SubmitButton>
      {state.status === 'error' && (
        <p role="alert" className="text-xs text-red-700" data-testid="approve-tools-error">
          {state.message}
        </p>
      )}
    </form>
  );
}
