// Diffs as the dashboard shows them: inline word/line changes (tool definitions) and numbered line diffs
// (workflow versions). Both colour added text green and removed text red.
import type { Change } from 'diff';
import { withContext, type LineDiff } from '@/format/version-diff';
import { cn } from './ui/cn';

/** Inline changes from `diffWords`/`diffLines`; `reveal` may make invisible characters visible. */
export function DiffText({ parts, reveal = (text) => text }: { parts: Change[]; reveal?: (text: string) => string }) {
  return (
    <pre className="max-h-80 overflow-auto rounded-md border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap">
      {parts.map((part, i) =>
        part.added ? (
          <ins key={i} className="bg-emerald-100 text-emerald-900 no-underline" data-testid="diff-added">
            {reveal(part.value)}
          </ins>
        ) : part.removed ? (
          <del key={i} className="bg-red-100 text-red-900" data-testid="diff-removed">
            {reveal(part.value)}
          </del>
        ) : (
          <span key={i}>{reveal(part.value)}</span>
        ),
      )}
    </pre>
  );
}

/** A unified line diff with old and new line numbers; long unchanged runs are folded. */
export function LineDiffView({ diff, className, ...props }: { diff: LineDiff; className?: string; 'data-testid'?: string }) {
  const rows = withContext(diff.rows);
  return (
    <div className={cn('overflow-auto rounded-md border border-zinc-200 font-mono text-xs leading-relaxed', className)} {...props}>
      <table className="w-full border-collapse">
        <caption className="sr-only">
          {diff.added} line(s) added, {diff.removed} removed
        </caption>
        <tbody>
          {rows.map((row, i) =>
            row.kind === 'skip' ? (
              <tr key={i} className="bg-zinc-50 text-zinc-400">
                <td colSpan={4} className="px-3 py-0.5 text-center">
                  ⋯ {row.count} unchanged line{row.count === 1 ? '' : 's'}
                </td>
              </tr>
            ) : (
              <tr
                key={i}
                className={cn(row.kind === 'added' && 'bg-emerald-50', row.kind === 'removed' && 'bg-red-50')}
                data-testid={row.kind === 'same' ? undefined : `diff-${row.kind}`}
              >
                <td className="w-10 px-2 text-right text-zinc-400 select-none">{row.oldLine ?? ''}</td>
                <td className="w-10 px-2 text-right text-zinc-400 select-none">{row.newLine ?? ''}</td>
                <td
                  className={cn(
                    'w-5 text-center select-none',
                    row.kind === 'added' ? 'text-emerald-700' : row.kind === 'removed' ? 'text-red-700' : 'text-zinc-300',
                  )}
                  aria-label={row.kind === 'same' ? undefined : row.kind}
                >
                  {row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : ''}
                </td>
                <td
                  className={cn(
                    'pr-3 whitespace-pre-wrap break-all',
                    row.kind === 'added' ? 'text-emerald-900' : row.kind === 'removed' ? 'text-red-900' : 'text-zinc-700',
                  )}
                >
                  {row.text}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
