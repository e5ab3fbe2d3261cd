// The geometry of the run page's Gantt chart: one row per step (map items folded into a group row), a bar
// per attempt on a time axis that starts when the run was created, the waits between retries, and axis
// ticks at round milliseconds or seconds. Positions are percentages of the axis, so the chart scales.
import { formatDuration } from './duration';

export interface TimelineAttempt {
  attempt: number;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  latencyMs: number | null;
  errorClass?: string | null;
  errorMessage?: string | null;
}

export interface TimelineInput {
  status: string;
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  steps: Array<{
    key: string;
    stepId?: string;
    kind?: string;
    status: string;
    startedAt: string | null;
    finishedAt: string | null;
    /** A wait step: when it wakes up. */
    wakeAt?: string | null;
    error?: unknown;
    attempts: TimelineAttempt[];
  }>;
}

export interface TimelineSegment {
  id: string;
  label: string;
  status: string;
  leftPct: number;
  widthPct: number;
  durationMs: number;
  /** Still going: it ends at "now" and grows with every update. */
  isOpen: boolean;
  errorClass: string | null;
  errorMessage: string | null;
}

/** The rest of a waiting step's wait: from now to its wake-up time. */
export interface TimelinePlanned {
  leftPct: number;
  widthPct: number;
  remainingMs: number;
  wakeAt: string;
}

/** The wait between two attempts of a step (its retry backoff). */
export interface TimelineGap {
  leftPct: number;
  widthPct: number;
  durationMs: number;
}

export interface TimelineRow {
  key: string;
  label: string;
  status: string;
  /** 0 for the run and steps, 1 for the items inside a group. */
  depth: 0 | 1;
  /** A group row stands for the items of one map step (`inner[0]`, `inner[1]`, …). */
  group?: { id: string; count: number; isExpanded: boolean };
  segments: TimelineSegment[];
  gaps: TimelineGap[];
  /** A step still waiting: the part of its wait still to come. */
  planned?: TimelinePlanned;
}

export interface TimelineTick {
  ms: number;
  pct: number;
  label: string;
}

export interface TimelineLayout {
  totalMs: number;
  rows: TimelineRow[];
  ticks: TimelineTick[];
}

const MIN_WIDTH_PCT = 0.6;
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** A step key of a map item ends in its index (or indexes, for maps inside maps). */
const ITEM_KEY = /^(.*?)((?:\[\d+\])+)$/;

/** Round steps for the axis: 1, 2 or 5 × 10^n ms, at most `maxTicks` intervals. */
export function axisTicks(totalMs: number, maxTicks = 6): TimelineTick[] {
  const raw = Math.max(totalMs, 1) / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: TimelineTick[] = [];
  for (let ms = 0; ms <= totalMs + 1e-9; ms += step)
    ticks.push({ ms, pct: (ms / Math.max(totalMs, 1)) * 100, label: tickLabel(ms, step, totalMs) });
  return ticks;
}

/** Milliseconds on axes shorter than 2 s, seconds above (with one decimal when the step needs it). */
function tickLabel(ms: number, step: number, totalMs: number): string {
  if (ms === 0) return '0';
  if (totalMs < 2000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(step % 1000 === 0 ? 0 : 1)} s`;
  return formatDuration(ms);
}

/** Lays out the run; groups whose id is in `expanded` also get a row per item. */
export function layoutTimeline(run: TimelineInput, now: number, expanded: ReadonlySet<string> = new Set()): TimelineLayout {
  const time = (iso: string | null) => (iso ? Date.parse(iso) : null);
  const origin = time(run.createdAt) ?? time(run.startedAt) ?? now;
  const isRunOpen = !TERMINAL.has(run.status);
  // An unfinished interval ends at the run's end (terminal run) or now (still going).
  const openEnd = isRunOpen ? now : (time(run.finishedAt) ?? now);

  // A step still waiting stretches the axis to its wake-up time, so the chart shows the rest of the wait.
  const wakeOf = (step: TimelineInput['steps'][number]) => (isRunOpen && step.status === 'waiting' ? time(step.wakeAt ?? null) : null);
  let end = time(run.finishedAt) ?? (isRunOpen ? now : origin);
  for (const step of run.steps) {
    const isOpenStep = step.status === 'running' || step.status === 'waiting';
    end = Math.max(end, time(step.finishedAt) ?? (isOpenStep ? openEnd : (time(step.startedAt) ?? origin)), wakeOf(step) ?? end);
    for (const a of step.attempts)
      end = Math.max(end, time(a.finishedAt) ?? (a.status === 'running' ? openEnd : (time(a.startedAt) ?? origin)));
  }
  const totalMs = Math.max(end - origin, 1);
  const pct = (ms: number) => Math.min(100, Math.max(0, ((ms - origin) / totalMs) * 100));

  const segment = (
    id: string,
    label: string,
    status: string,
    startIso: string | null,
    endIso: string | null,
    error: { errorClass?: string | null; errorMessage?: string | null } = {},
  ): TimelineSegment | null => {
    const start = time(startIso);
    if (start === null) return null;
    const stop = time(endIso) ?? openEnd;
    const leftPct = pct(start);
    const widthPct = Math.min(100 - leftPct, Math.max(MIN_WIDTH_PCT, ((stop - start) / totalMs) * 100));
    return {
      id,
      label,
      status,
      leftPct,
      widthPct,
      durationMs: Math.max(0, stop - start),
      isOpen: endIso === null,
      errorClass: error.errorClass ?? null,
      errorMessage: error.errorMessage ?? null,
    };
  };

  const runRow: TimelineRow = {
    key: 'run',
    label: 'run',
    status: run.status,
    depth: 0,
    gaps: [],
    segments: [
      segment('queued', 'queued', 'queued', run.createdAt, run.startedAt ?? (isRunOpen ? null : run.finishedAt)),
      segment('run', 'run', run.status, run.startedAt, run.finishedAt),
    ].filter((s): s is TimelineSegment => s !== null),
  };

  const stepRow = (step: TimelineInput['steps'][number], depth: 0 | 1): TimelineRow => {
    const attempts = [...step.attempts].sort((a, b) => a.attempt - b.attempt);
    const segments = attempts
      .map((a) => segment(`${step.key}#${a.attempt}`, `attempt ${a.attempt}`, a.status, a.startedAt, a.finishedAt, a))
      .filter((s): s is TimelineSegment => s !== null);
    if (segments.length === 0) {
      const failure = stepFailure(step.error);
      const whole = segment(step.key, step.kind ?? 'step', step.status, step.startedAt, step.finishedAt, failure);
      if (whole) segments.push(whole);
    }
    const gaps: TimelineGap[] = [];
    for (let i = 1; i < attempts.length; i++) {
      const previousEnd = time(attempts[i - 1]!.finishedAt);
      const nextStart = time(attempts[i]!.startedAt);
      if (previousEnd === null || nextStart === null || nextStart <= previousEnd) continue;
      gaps.push({ leftPct: pct(previousEnd), widthPct: pct(nextStart) - pct(previousEnd), durationMs: nextStart - previousEnd });
    }
    const wake = wakeOf(step);
    const planned =
      wake === null
        ? undefined
        : { leftPct: pct(now), widthPct: Math.max(0, pct(wake) - pct(now)), remainingMs: Math.max(0, wake - now), wakeAt: step.wakeAt! };
    return { key: step.key, label: step.key, status: step.status, depth, segments, gaps, ...(planned ? { planned } : {}) };
  };

  // Map items: grouped under one row per step id, placed where the first item appears.
  const rows: TimelineRow[] = [runRow];
  const groups = new Map<string, TimelineInput['steps']>();
  for (const step of run.steps) {
    const match = ITEM_KEY.exec(step.key);
    if (!match) continue;
    const id = step.stepId ?? match[1]!;
    groups.set(id, [...(groups.get(id) ?? []), step]);
  }
  const placed = new Set<string>();
  // In the order they started (a map is recorded when it ends, after its items); not started yet: last.
  const byStart = [...run.steps].sort((a, b) => (time(a.startedAt) ?? Infinity) - (time(b.startedAt) ?? Infinity));
  for (const step of byStart) {
    const match = ITEM_KEY.exec(step.key);
    if (!match) {
      rows.push(stepRow(step, 0));
      continue;
    }
    const id = step.stepId ?? match[1]!;
    if (placed.has(id)) continue;
    placed.add(id);
    const items = groups.get(id)!;
    const isExpanded = expanded.has(id);
    const starts = items.map((i) => time(i.startedAt)).filter((t): t is number => t !== null);
    const isOpen = items.some((i) => i.finishedAt === null);
    const span =
      starts.length === 0
        ? null
        : segment(
            `${id}[*]`,
            `${items.length} item${items.length === 1 ? '' : 's'}`,
            groupStatus(items.map((i) => i.status)),
            new Date(Math.min(...starts)).toISOString(),
            isOpen ? null : new Date(Math.max(...items.map((i) => time(i.finishedAt)!))).toISOString(),
          );
    rows.push({
      key: `${id}[*]`,
      label: `${id} × ${items.length}`,
      status: groupStatus(items.map((i) => i.status)),
      depth: 0,
      group: { id, count: items.length, isExpanded },
      segments: span ? [span] : [],
      gaps: [],
    });
    if (isExpanded) for (const item of items) rows.push(stepRow(item, 1));
  }

  return { totalMs, rows, ticks: axisTicks(totalMs) };
}

/** The group's colour: a still-running (or waiting) item or a failure outweighs the rest. */
function groupStatus(statuses: string[]): string {
  for (const status of ['running', 'waiting', 'failed', 'cancelled', 'degraded', 'pending', 'queued', 'succeeded', 'skipped'])
    if (statuses.includes(status)) return status;
  return statuses[0] ?? 'pending';
}

function stepFailure(error: unknown): { errorClass?: string | null; errorMessage?: string | null } {
  if (typeof error !== 'object' || error === null) return {};
  const { errorClass, message } = error as { errorClass?: unknown; message?: unknown };
  return {
    errorClass: typeof errorClass === 'string' ? errorClass : null,
    errorMessage: typeof message === 'string' ? message : null,
  };
}
