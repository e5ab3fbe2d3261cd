// A labelled form control with its hint and its errors, wired for screen readers (aria-describedby).
import { cloneElement, type ReactElement } from 'react';
import { cn } from './cn';
import { Label } from './label';

export interface FieldProps {
  /** The control's id; the label, hint and errors hang off it. */
  id: string;
  label: string;
  hint?: React.ReactNode;
  /** Messages to show under the control; with `showPaths`, each with the path it belongs to. */
  errors?: Array<{ path: string; message: string }>;
  showPaths?: boolean;
  optional?: boolean;
  className?: string;
  /** Test id prefix for the error list: `field-error-<errorTestId>`. */
  errorTestId?: string;
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
}

export function Field({ id, label, hint, errors = [], showPaths, optional, className, errorTestId, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const control = cloneElement(children, {
    id,
    'aria-invalid': errors.length > 0 || undefined,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
  });
  return (
    <div className={cn('space-y-1.5', className)}>
      <Label htmlFor={id}>
        {label}
        {optional && <span className="ml-1 font-normal text-zinc-500">(optional)</span>}
      </Label>
      {control}
      {hint && (
        <p id={hintId} className="text-xs text-zinc-500">
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <ul id={errorId} className="space-y-0.5 text-sm text-red-600" data-testid={`field-error-${errorTestId ?? id}`}>
          {errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {showPaths && e.path && <code className="mr-1.5 rounded bg-red-50 px-1 py-0.5 font-mono text-xs text-red-700">{e.path}</code>}
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
