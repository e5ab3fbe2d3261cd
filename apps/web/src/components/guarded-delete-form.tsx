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
  name,
  label = 'Delete',
  pendingLabel = 'Deleting…',
}: {
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  inUse: boolean;
  /** Test ids: `${testId}-form`, `-force`, `-submit`, `-error`, each followed by `-${name}` when a name is given. */
  testId: string;
  name?: string;
  label?: string;
  pendingLabel?: string;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  const id = (part: string) => `${testId}-${part}${name ? `-${name}` : ''}`;
  return (
    <form action={formAction} className="space-y-1" data-testid={id('form')}>
      <div className="flex items-center gap-2">
        {inUse && (
          <label className="flex items-center gap-1 text-xs text-zinc-600">
            <input type="checkbox" name="force" data-testid={id('force')} /> even though in use
          </label>
        )}
        <SubmitButton variant="secondary" pendingLabel={pendingLabel} data-testid={id('submit')}>
          {label}
        </SubmitButton>
      </div>
      {state.status === 'error' && (
        <p role="alert" className="text-xs text-red-700" data-testid={id('error')}>
          {state.message}
        </p>
      )}
    </form>
  );
}
