'use client';
// The run's Gantt chart: a row per step (map items folded into a group that opens), a bar per attempt on a
// shared time axis from the run's creation, dashed waits between retries, colours by status. Bars of a
// running run grow with every tick of run-live.tsx; a waiting step's bar is followed by the outline of the rest
// of its wait, up to its wake-up time. Screen readers get the same data as a table.
import { useMemo, useState } from 'react';
import { statusBarColor, statusBarFill } from '@/components/status-badge';
import { cn } from '@/components/ui/cn';
import { formatCountdown, formatDuration } from '@/format/duration';
import { layoutTimeline, type TimelineInput, type TimelineRow, type TimelineSegment } from '@/format/timeline';

const ROW_HEIGHT = 28;
const BAR_HEIGHT = 14;
const LEGEND = ['queued', 'running', 'waiting', 'succeeded', 'degraded', 'failed', 'cancelled'] as const;

interface Hover {
  rowIndex: number;
  row: TimelineRow;
  segment: TimelineSegment;
}

export function RunTimeline({ run, now }: { run: TimelineInput; now: number }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [hover, setHover] = useState<Hover | null>(null);
  const layout = useMemo(() => layoutTimeline(run, now, expanded), [run, now, expanded]);
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const stepCount = layout.rows.filter((r) => r.key !== 'run' && r.depth === 0).length;
  const summary = `Timeline of the run over ${formatDuration(layout.totalMs)}: ${stepCount} step row${stepCount === 1 ? '' : 's'}; ${describeRows(layout.rows)}`;

  return (
    <div className="px-5 py-4" data-testid="run-timeline" data-total-ms={layout.totalMs}>
      <div className="flex gap-3 text-xs sm:gap-4">
        {/* Row labels: plain DOM, so the group toggles are real buttons. */}
        <div className="w-24 shrink-0 sm:w-40">
          <div className="h-5" />
          {layout.rows.map((row) => (
            <div key={row.key} className="flex items-center" style={{ height: ROW_HEIGHT, paddingLeft: row.depth * 14 }}>
              {row.group ? (
                <button
                  type="button"
                  onClick={() => toggle(row.group!.id)}
                  aria-expanded={row.group.isExpanded}
                  className="flex min-w-0 items-center gap-1 rounded font-mono text-zinc-700 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-500"
                  data-testid="timeline-group-toggle"
                  data-group={row.group.id}
                >
                  <span aria-hidden className={cn('inline-block transition-transform', row.group.isExpanded && 'rotate-90')}>
                    ▸
                  </span>
                  <span className="truncate" title={`${row.group.count} items of ${row.group.id}`}>
                    {row.label}
                  </span>
                </button>
              ) : (
                <span
                  className={cn(
                    'truncate font-mono',
                    row.key === 'run' ? 'font-semibold text-zinc-900' : 'text-zinc-700',
                    row.depth > 0 && 'text-zinc-500',
                  )}
                  title={row.key}
                >
                  {row.label}
                </span>
              )}
            </div>
          ))}
        </div>

        <div className="relative min-w-0 flex-1">
          <div className="relative h-5 text-zinc-400" aria-hidden>
            {layout.ticks.map((tick, index) => (
              <span
                key={tick.ms}
                className={cn(
                  'absolute top-0 whitespace-nowrap tabular-nums',
                  tick.pct === 0 ? '' : tick.pct >= 99.5 ? '-translate-x-full' : '-translate-x-1/2',
                  index % 2 === 1 && 'hidden sm:inline',
                )}
                style={{ left: `${tick.pct}%` }}
              >
                {tick.label}
              </span>
            ))}
          </div>
          <div role="img" aria-label={summary} data-testid="timeline-chart">
            {layout.rows.map((row, rowIndex) => (
              <svg
                key={row.key}
                width="100%"
                height={ROW_HEIGHT}
                className="block overflow-visible"
                aria-hidden
                data-testid="timeline-row"
                data-key={row.key}
                data-status={row.status}
              >
                <rect x="0" y="2" width="100%" height={ROW_HEIGHT - 4} rx="3" className={rowIndex % 2 ? 'fill-white' : 'fill-zinc-50'} />
                {layout.ticks.map((tick) => (
                  <line
                    key={tick.ms}
                    x1={`${tick.pct}%`}
                    x2={`${tick.pct}%`}
                    y1="0"
                    y2={ROW_HEIGHT}
                    className="stroke-zinc-200"
                    strokeWidth="1"
                  />
                ))}
                {row.gaps.map((gap, i) => (
                  <line
                    key={i}
                    x1={`${gap.leftPct}%`}
                    x2={`${gap.leftPct + gap.widthPct}%`}
                    y1={ROW_HEIGHT / 2}
                    y2={ROW_HEIGHT / 2}
                    className="stroke-zinc-400"
                    strokeWidth="1.5"
                    strokeDasharray="3 3"
                    data-testid="timeline-gap"
                  >
                    <title>{`retry wait ${formatDuration(gap.durationMs)}`}</title>
                  </line>
                ))}
                {row.planned && (
                  <rect
                    x={`${row.planned.leftPct}%`}
                    y={(ROW_HEIGHT - BAR_HEIGHT) / 2}
                    width={`${row.planned.widthPct}%`}
                    height={BAR_HEIGHT}
                    rx="2"
                    className="fill-indigo-50 stroke-indigo-300"
                    strokeWidth="1"
                    strokeDasharray="4 2"
                    data-testid="timeline-planned"
                    data-wake-at={row.planned.wakeAt}
                  >
                    <title>{`waits until ${row.planned.wakeAt} — ${formatCountdown(row.planned.remainingMs)} to go`}</title>
                  </rect>
                )}
                {row.segments.map((s) => (
                  <rect
                    key={s.id}
                    x={`${s.leftPct}%`}
                    y={(ROW_HEIGHT - BAR_HEIGHT) / 2}
                    width={`${s.widthPct}%`}
                    height={BAR_HEIGHT}
                    rx="2"
                    className={cn(
                      statusBarFill(s.status),
                      s.isOpen && (s.status === 'running' || s.status === 'waiting') && 'animate-pulse',
                      'cursor-default',
                    )}
                    onMouseEnter={() => setHover({ rowIndex, row, segment: s })}
                    onMouseLeave={() => setHover(null)}
                    data-testid="timeline-bar"
                    data-status={s.status}
                    data-open={s.isOpen || undefined}
                  >
                    <title>{tooltipText(row, s)}</title>
                  </rect>
                ))}
              </svg>
            ))}
          </div>
          {hover && <Tooltip hover={hover} />}
        </div>
      </div>

      <div className="mt-4 flex flex-wrap items-center gap-4 text-xs text-zinc-500" aria-hidden>
        {LEGEND.map((status) => (
          <span key={status} className="inline-flex items-center gap-1.5">
            <span className={cn('h-2 w-4 rounded-sm', statusBarColor(status))} />
            {status}
          </span>
        ))}
        <span className="inline-flex items-center gap-1.5">
          <span className="w-4 border-t-2 border-dashed border-zinc-400" />
          wait before a retry
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="h-2 w-4 rounded-sm border border-dashed border-indigo-300 bg-indigo-50" />
          rest of a wait
        </span>
        <span className="ml-auto tabular-nums">total {formatDuration(layout.totalMs)}</span>
      </div>

      <TimelineTable rows={layout.rows} />
    </div>
  );
}

function tooltipText(row: TimelineRow, s: TimelineSegment): string {
  const parts = [`${row.label} · ${s.label}`, `${s.status}${s.isOpen ? ' (so far)' : ''}`, formatDuration(s.durationMs)];
  if (s.errorClass || s.errorMessage) parts.push([s.errorClass, s.errorMessage].filter(Boolean).join(': '));
  return parts.join(' — ');
}

function Tooltip({ hover: { rowIndex, row, segment } }: { hover: Hover }) {
  const center = segment.leftPct + segment.widthPct / 2;
  return (
    <div
      role="tooltip"
      className={cn(
        'pointer-events-none absolute z-20 w-64 rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-lg',
        center > 60 ? '-translate-x-full' : center > 40 ? '-translate-x-1/2' : '',
      )}
      style={{ left: `${center}%`, top: 20 + (rowIndex + 1) * ROW_HEIGHT + 2 }}
      data-testid="timeline-tooltip"
    >
      <p className="font-mono font-semibold text-zinc-900">
        {row.label} <span className="font-sans font-normal text-zinc-500">· {segment.label}</span>
      </p>
      <p className="mt-1 flex items-center gap-2">
        <span className={cn('size-2 rounded-full', statusBarColor(segment.status))} />
        <span className="text-zinc-800">{segment.status}</span>
        <span className="ml-auto text-zinc-600 tabular-nums">
          {formatDuration(segment.durationMs)}
          {segment.isOpen && ' so far'}
        </span>
      </p>
      {(segment.errorClass || segment.errorMessage) && (
        <p className="mt-1 break-words text-red-700">
          {segment.errorClass && <code className="mr-1 rounded bg-red-50 px-1 font-mono">{segment.errorClass}</code>}
          {segment.errorMessage}
        </p>
      )}
    </div>
  );
}

function describeRows(rows: TimelineRow[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.key !== 'run' && row.depth === 0) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'no steps yet';
}

/** The chart's data for screen readers: every bar with its offset from the start, duration and error. */
function TimelineTable({ rows }: { rows: TimelineRow[] }) {
  return (
    // sr-only on a wrapper: a table ignores the 1px width and would widen the page.
    <div className="sr-only">
      <table data-testid="timeline-table">
        <caption>Steps and attempts of the run</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Bar</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((row) => [
            ...row.segments.map((s) => (
              <tr key={`${row.key}:${s.id}`}>
                <th scope="row">{row.label}</th>
                <td>{s.label}</td>
                <td>{s.status}</td>
                <td>
                  {formatDuration(s.durationMs)}
                  {s.isOpen && ' so far'}
                </td>
                <td>{[s.errorClass, s.errorMessage].filter(Boolean).join(': ')}</td>
              </tr>
            )),
            ...(row.planned
              ? [
                  <tr key={`${row.key}:planned`}>
                    <th scope="row">{row.label}</th>
                    <td>rest of the wait, until {row.planned.wakeAt}</td>
                    <td>waiting</td>
                    <td>{formatCountdown(row.planned.remainingMs)} to go</td>
                    <td />
                  </tr>,
                ]
              : []),
          ])}
        </tbody>
      </table>
    </div>
  );
}
