import { cn } from './ui/cn';

/** Pretty-printed JSON in a scrollable block. */
export function JsonView({
  value,
  className,
  children,
  ...props
}: {
  value: unknown;
  className?: string;
  /** Text shown instead of the value's JSON (e.g. a truncated stored value). */
  children?: string;
  'data-testid'?: string;
}) {
  return (
    <pre
      className={cn(
        'max-h-96 overflow-auto rounded-lg border border-zinc-200 bg-zinc-950 p-3.5 font-mono text-xs leading-relaxed text-zinc-100',
        className,
      )}
      {...props}
    >
      {children ?? (value === undefined ? 'undefined' : JSON.stringify(value, null, 2))}
    </pre>
  );
}
