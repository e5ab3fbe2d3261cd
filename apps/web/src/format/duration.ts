// Human-readable durations for run and step timings.

/** 0 ms → "0 ms", 812 → "812 ms", 1234 → "1.23 s", 61000 → "1m 01s", 3_700_000 → "1h 01m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** Milliseconds between two ISO times; an open end counts up to `now`. Null when it has not started. */
export function elapsedMs(startIso: string | null, endIso: string | null, now: number = Date.now()): number | null {
  if (!startIso) return null;
  const end = endIso ? Date.parse(endIso) : now;
  return Math.max(0, end - Date.parse(startIso));
}

/** Time left until a moment, in whole seconds rounded up: 29_100 → "30 s", 65_000 → "1m 05s"; past → "now". */
export function formatCountdown(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return 'now';
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? `${seconds} s` : formatDuration(seconds * 1000);
}
