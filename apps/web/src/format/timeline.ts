// Lays out a run's steps and attempts on one time axis (percentages), for the run page's timeline.

export interface TimelineInput {
  status: string;
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  steps: Array<{
    key: string;
    status: string;
    startedAt: string | null;
    finishedAt: string | null;
    attempts: Array<{ attempt: number; status: string; startedAt: string | null; finishedAt: string | null; latencyMs: number | null }>;
  }>;
}

export interface TimelineSegment {
  id: string;
  label: string;
  status: string;
  leftPct: number;
  widthPct: number;
  durationMs: number;
  isOpen: boolean;
}

export interface TimelineRow {
  key: string;
  status: string;
  segments: TimelineSegment[];
}

export interface TimelineLayout {
  totalMs: number;
  rows: TimelineRow[];
  /** Axis labels as offsets from the run's creation, in ms. */
  ticks: number[];
}

const MIN_WIDTH_PCT = 0.6;
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export function layoutTimeline(run: TimelineInput, now: number): TimelineLayout {
  const time = (iso: string | null) => (iso ? Date.parse(iso) : null);
  const origin = time(run.createdAt) ?? time(run.startedAt) ?? now;
  const isRunOpen = !TERMINAL.has(run.status);
  // An unfinished interval ends at the run's end (terminal run) or now (still going).
  const openEnd = isRunOpen ? now : (time(run.finishedAt) ?? now);

  let end = time(run.finishedAt) ?? (isRunOpen ? now : origin);
  for (const step of run.steps) {
    end = Math.max(end, time(step.finishedAt) ?? time(step.startedAt) ?? origin);
    for (const a of step.attempts)
      end = Math.max(end, time(a.finishedAt) ?? (a.status === 'running' ? openEnd : (time(a.startedAt) ?? origin)));
  }
  const totalMs = Math.max(end - origin, 1);

  const segment = (id: string, label: string, status: string, startIso: string | null, endIso: string | null): TimelineSegment | null => {
    const start = time(startIso);
    if (start === null) return null;
    const stop = time(endIso) ?? openEnd;
    const leftPct = Math.min(100, Math.max(0, ((start - origin) / totalMs) * 100));
    const widthPct = Math.min(100 - leftPct, Math.max(MIN_WIDTH_PCT, ((stop - start) / totalMs) * 100));
    return { id, label, status, leftPct, widthPct, durationMs: Math.max(0, stop - start), isOpen: endIso === null };
  };

  const runRow: TimelineRow = {
    key: 'run',
    status: run.status,
    segments: [
      segment('queued', 'queued', 'queued', run.createdAt, run.startedAt ?? (isRunOpen ? null : run.finishedAt)),
      segment('run', 'run', run.status, run.startedAt, run.finishedAt),
    ].filter((s): s is TimelineSegment => s !== null),
  };

  const stepRows = run.steps.map((step): TimelineRow => {
    const attempts = step.attempts
      .map((a) => segment(`${step.key}#${a.attempt}`, `attempt ${a.attempt}`, a.status, a.startedAt, a.finishedAt))
      .filter((s): s is TimelineSegment => s !== null);
    const fallback = attempts.length
      ? []
      : [segment(step.key, step.key, step.status, step.startedAt, step.finishedAt)].filter((s): s is TimelineSegment => s !== null);
    return { key: step.key, status: step.status, segments: [...attempts, ...fallback] };
  });

  return { totalMs, rows: [runRow, ...stepRows], ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * totalMs)) };
}
