import { Badge, type BadgeTone } from './ui/badge';
import { cn } from './ui/cn';

const TONE: Record<string, BadgeTone> = {
  queued: 'neutral',
  pending: 'neutral',
  running: 'blue',
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

/** A run, step or attempt status with its colour; `running` pulses. */
export function StatusBadge({ status, className, ...props }: { status: string; className?: string; 'data-testid'?: string }) {
  const tone = TONE[status] ?? 'neutral';
  return (
    <Badge tone={tone} className={className} data-status={status} {...props}>
      <span aria-hidden className={cn('size-1.5 rounded-full', DOT[tone], status === 'running' && 'animate-pulse')} />
      {status}
    </Badge>
  );
}

export const statusBarColor = (status: string) =>
  ({ succeeded: 'bg-emerald-500', failed: 'bg-red-500', running: 'bg-sky-500', degraded: 'bg-amber-500', cancelled: 'bg-amber-400' })[
    status
  ] ?? 'bg-zinc-300';
