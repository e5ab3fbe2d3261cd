import { unmatchedErrors, type FormState } from './form-state';

/**
 * The form-level message after a failed submit. When every error sits next to its field, the fields say it
 * all; otherwise it shows the message and the errors that belong to no visible field.
 */
export function FormAlert({ state, fields, ...props }: { state: FormState; fields: readonly string[]; 'data-testid'?: string }) {
  if (state.status !== 'error') return null;
  const others = unmatchedErrors(state, fields);
  const hasFieldErrors = Object.keys(state.fieldErrors ?? {}).length > 0;
  if (hasFieldErrors && others.length === 0) return null;
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800"
      data-testid={props['data-testid'] ?? 'form-error'}
    >
      <p>{state.message}</p>
      {others.length > 0 && (
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {others.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {e.path && <code className="mr-1 font-mono text-xs">{e.path}</code>}
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
