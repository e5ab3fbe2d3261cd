// A stdio command shown as the exact argument array the worker starts: one chip per element, nothing joined
// or quoted, so a space or a shell character inside an argument is visible as what it is.
import { cn } from './ui/cn';

export function ArgvChips({ argv, className, testId = 'argv' }: { argv: readonly string[]; className?: string; testId?: string }) {
  return (
    <ol className={cn('flex flex-wrap gap-1', className)} aria-label="Command, as an argument array" data-testid={testId}>
      {argv.map((part, index) => (
        <li key={index} title={index === 0 ? 'program' : `argument ${index}`}>
          <code
            className={cn(
              'inline-block rounded px-1.5 py-0.5 font-mono text-[12px] break-all whitespace-pre-wrap ring-1 ring-inset',
              index === 0 ? 'bg-zinc-900 text-white ring-zinc-900' : 'bg-zinc-50 text-zinc-800 ring-zinc-200',
            )}
            data-testid={`${testId}-part`}
          >
            {part}
          </code>
        </li>
      ))}
    </ol>
  );
}
