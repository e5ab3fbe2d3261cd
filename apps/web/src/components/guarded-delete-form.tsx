'use client';
// A delete the server refuses while something depends on it: the refusal names the dependants, and a
// "force" box (shown when the page already knows of some) sends force=on to delete anyway.
import { useActionState } from 'react';
import { IDLE, type FormState } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';

export function GuardedDeleteForm({
  action,
  inUse,
  testId,
  label = 'Delete',
  pendingLabel = 'Deleting…',
}: {
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  inUse: boolean;
  /** Prefix of the test ids: `${testId}-form`, `-force`, `-submit`, `-error`. */
  testId: string;
  label?: string;
  pendingLabel?: string;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="space-y-1" data-testid={`${testId}-form`}>
      <div className="flex items-center gap-2">
        {inUse && (
          <label className="flex items-center gap-1 text-xs text-zinc-600">
            <input type="checkbox" name="force" data-testid={`${testId}-force`} /> even though in use
          </label>
        )}
        <SubmitButton variant="secondary" pendingLabel={pendingLabel} data-testid={`${testId}-submit`}>
          {label}
        </SubmitButton>
      </div>
      {state.status === 'error' && (
        <p role="alert" className="text-xs text-red-700" data-testid={`${testId}-error`}>
          {state.message}
        </p>
      )}
    </form>
  );
}
