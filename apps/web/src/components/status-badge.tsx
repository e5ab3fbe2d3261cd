import { Badge, type BadgeTone } from './ui/badge';
import { cn } from './ui/cn';

const TONE: Record<string, BadgeTone> = {
  queued: 'neutral',
  pending: 'neutral',
  running: 'blue',
  waiting: 'indigo',
  succeeded: 'green',
  failed: 'red',
  degraded: 'amber',
  cancelled: 'amber',
  skipped: 'neutral',
};

const DOT: Record<BadgeTone, string> = {
  neutral: 'bg-zinc-400',
  blue: 'bg-sky-500',
  indigo: 'bg-indigo-500',
  green: 'bg-emerald-500',
  amber: 'bg-amber-500',
  red: 'bg-red-500',
};

/** A run, step or attempt status with its colour; `running` and `waiting` pulse. */
export function StatusBadge({ status, className, ...props }: { status: string; className?: string; 'data-testid'?: string }) {
  const tone = TONE[status] ?? 'neutral';
  return (
    <Badge tone={tone} className={className} data-status={status} {...props}>
      <span
        aria-hidden
        className={cn('size-1.5 rounded-full', DOT[tone], (status === 'running' || status === 'waiting') && 'animate-pulse')}
      />
      {status}
    </Badge>
  );
}

const BAR: Record<string, { bg: string; fill: string }> = {
  succeeded: { bg: 'bg-emerald-500', fill: 'fill-emerald-500' },
  failed: { bg: 'bg-red-500', fill: 'fill-red-500' },
  running: { bg: 'bg-sky-500', fill: 'fill-sky-500' },
  waiting: { bg: 'bg-indigo-400', fill: 'fill-indigo-400' },
  degraded: { bg: 'bg-amber-500', fill: 'fill-amber-500' },
  cancelled: { bg: 'bg-zinc-500', fill: 'fill-zinc-500' },
  skipped: { bg: 'bg-zinc-200', fill: 'fill-zinc-200' },
};
const QUEUED = { bg: 'bg-zinc-300', fill: 'fill-zinc-300' };

/** The colour of a status as a filled bar: a background (HTML) or a fill (SVG). */
export const statusBarColor = (status: string) => (BAR[status] ?? QUEUED).bg;
export const statusBarFill = (status: string) => (BAR[status] ?? QUEUED).fill;
