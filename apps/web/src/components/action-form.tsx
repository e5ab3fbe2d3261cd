'use client';
// A form bound to a server action that returns FormState: shows the error or success message in place.
import { useActionState } from 'react';
import type { FormState } from './form-state';
import { IDLE } from './form-state';

export function ActionForm({
  action,
  children,
  className,
  testId,
  confirm,
}: {
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  children: React.ReactNode;
  className?: string;
  testId: string;
  /** Asks before submitting (destructive actions). */
  confirm?: string;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form
      action={formAction}
      className={className}
      data-testid={testId}
      onSubmit={confirm ? (event) => void (window.confirm(confirm) || event.preventDefault()) : undefined}
    >
      {children}
      {state.status === 'error' && (
        <p role="alert" className="mt-2 text-sm text-red-700" data-testid={`${testId}-error`}>
          {state.message}
          {Object.entries(state.fieldErrors ?? {}).map(([path, messages]) => (
            <span key={path} className="block text-xs">
              {path}: {messages.join(' ')}
            </span>
          ))}
        </p>
      )}
      {state.status === 'success' && state.message && (
        <p role="status" className="mt-2 text-sm break-all text-emerald-700" data-testid={`${testId}-success`}>
          {state.message}
        </p>
      )}
    </form>
  );
}
