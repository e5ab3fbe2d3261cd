import { describe, expect, it } from 'vitest';
import { elapsedMs, formatCountdown, formatDuration } from './duration';

describe('formatDuration', () => {
  it('reads naturally from milliseconds to hours', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(812.4)).toBe('812 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(61_000)).toBe('1m 01s');
    expect(formatDuration(3_700_000)).toBe('1h 01m');
  });

  it('shows a dash for nonsense', () => {
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('elapsedMs', () => {
  it('measures closed and open intervals', () => {
    expect(elapsedMs('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.500Z')).toBe(1500);
    expect(elapsedMs('2026-01-01T00:00:00.000Z', null, Date.parse('2026-01-01T00:00:02.000Z'))).toBe(2000);
    expect(elapsedMs(null, null)).toBeNull();
  });
});

describe('formatCountdown', () => {
  it('counts whole seconds down, rounding up, and says now once the time has come', () => {
    expect(formatCountdown(29_100)).toBe('30 s');
    expect(formatCountdown(1)).toBe('1 s');
    expect(formatCountdown(65_000)).toBe('1m 05s');
    expect(formatCountdown(3_700_000)).toBe('1h 01m');
    expect(formatCountdown(0)).toBe('now');
    expect(formatCountdown(-500)).toBe('now');
  });
});
