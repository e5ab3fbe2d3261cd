import { statusBarColor } from '@/components/status-badge';
import { cn } from '@/components/ui/cn';
import { formatDuration } from '@/format/duration';
import type { TimelineLayout } from '@/format/timeline';

/** Horizontal bars on one time axis: the run (queue wait, then execution) and every attempt of every step. */
export function RunTimeline({ layout }: { layout: TimelineLayout }) {
  return (
    <div className="px-5 py-4" data-testid="run-timeline">
      <div className="grid grid-cols-[5rem_1fr] gap-x-3 sm:grid-cols-[8rem_1fr] sm:gap-x-4 gap-y-2 text-xs">
        <div />
        <div className="relative h-4 text-zinc-400" aria-hidden>
          {layout.ticks.map((tick, index) => (
            <span
              key={index}
              className={cn(
                'absolute top-0 whitespace-nowrap tabular-nums',
                index === 0 ? '' : index === layout.ticks.length - 1 ? '-translate-x-full' : '-translate-x-1/2',
                // Small screens keep the start, middle and end labels only.
                index % 2 === 1 && 'hidden sm:inline',
              )}
              style={{ left: `${(index / (layout.ticks.length - 1)) * 100}%` }}
            >
              {formatDuration(tick)}
            </span>
          ))}
        </div>
        {layout.rows.map((row) => (
          <TimelineRowView key={row.key} row={row} />
        ))}
      </div>
      <div className="mt-4 flex flex-wrap gap-4 text-xs text-zinc-500" aria-hidden>
        {[
          ['queued', 'queued'],
          ['running', 'running'],
          ['succeeded', 'succeeded'],
          ['failed', 'failed'],
        ].map(([status, label]) => (
          <span key={status} className="inline-flex items-center gap-1.5">
            <span className={cn('h-2 w-4 rounded-sm', statusBarColor(status!))} />
            {label}
          </span>
        ))}
      </div>
    </div>
  );
}

function TimelineRowView({ row }: { row: TimelineLayout['rows'][number] }) {
  return (
    <>
      <div className={cn('truncate py-1 font-mono', row.key === 'run' ? 'font-semibold text-zinc-900' : 'text-zinc-700')} title={row.key}>
        {row.key}
      </div>
      <div className="relative h-6 rounded bg-zinc-50 ring-1 ring-zinc-100 ring-inset" data-testid="timeline-row" data-key={row.key}>
        {[0.25, 0.5, 0.75].map((f) => (
          <span key={f} className="absolute inset-y-0 w-px bg-zinc-200/70" style={{ left: `${f * 100}%` }} aria-hidden />
        ))}
        {row.segments.map((s) => (
          <div
            key={s.id}
            className={cn(
              'group absolute top-1 bottom-1 rounded-sm',
              statusBarColor(s.status),
              s.isOpen && s.status === 'running' && 'animate-pulse',
            )}
            style={{ left: `${s.leftPct}%`, width: `${s.widthPct}%` }}
            title={`${row.key} · ${s.label}: ${s.status}, ${formatDuration(s.durationMs)}`}
            data-testid="timeline-bar"
            data-status={s.status}
          >
            <span className="sr-only">
              {s.label} {s.status} {formatDuration(s.durationMs)}
            </span>
          </div>
        ))}
      </div>
    </>
  );
}
