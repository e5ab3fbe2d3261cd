import { describe, expect, it } from 'vitest';
import { layoutTimeline } from './timeline';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

describe('layoutTimeline', () => {
  it('places a finished run, its queue wait and each attempt on one axis', () => {
    const layout = layoutTimeline(
      {
        status: 'succeeded',
        createdAt: at(0),
        startedAt: at(100),
        finishedAt: at(1000),
        steps: [
          {
            key: 'say',
            status: 'succeeded',
            startedAt: at(200),
            finishedAt: at(900),
            attempts: [
              { attempt: 1, status: 'failed', startedAt: at(200), finishedAt: at(400), latencyMs: 200 },
              { attempt: 2, status: 'succeeded', startedAt: at(600), finishedAt: at(900), latencyMs: 300 },
            ],
          },
        ],
      },
      Date.UTC(2026, 0, 1) + 5000,
    );
    expect(layout.totalMs).toBe(1000);
    expect(layout.ticks).toEqual([0, 250, 500, 750, 1000]);
    const [runRow, stepRow] = layout.rows;
    expect(runRow!.segments.map((s) => [s.id, s.leftPct, s.widthPct])).toEqual([
      ['queued', 0, 10],
      ['run', 10, 90],
    ]);
    expect(stepRow!.segments.map((s) => [s.label, s.status, s.leftPct, s.widthPct, s.durationMs])).toEqual([
      ['attempt 1', 'failed', 20, 20, 200],
      ['attempt 2', 'succeeded', 60, 30, 300],
    ]);
  });

  it('stretches open intervals of a running run up to now', () => {
    const layout = layoutTimeline(
      {
        status: 'running',
        createdAt: at(0),
        startedAt: at(0),
        finishedAt: null,
        steps: [
          {
            key: 'slow',
            status: 'running',
            startedAt: at(500),
            finishedAt: null,
            attempts: [{ attempt: 1, status: 'running', startedAt: at(500), finishedAt: null, latencyMs: null }],
          },
        ],
      },
      Date.UTC(2026, 0, 1) + 2000,
    );
    expect(layout.totalMs).toBe(2000);
    const attempt = layout.rows[1]!.segments[0]!;
    expect([attempt.leftPct, attempt.widthPct, attempt.isOpen, attempt.durationMs]).toEqual([25, 75, true, 1500]);
  });

  it('gives instant attempts a visible minimum width', () => {
    const layout = layoutTimeline(
      {
        status: 'succeeded',
        createdAt: at(0),
        startedAt: at(0),
        finishedAt: at(10_000),
        steps: [
          {
            key: 'a',
            status: 'succeeded',
            startedAt: at(10),
            finishedAt: at(11),
            attempts: [{ attempt: 1, status: 'succeeded', startedAt: at(10), finishedAt: at(11), latencyMs: 1 }],
          },
        ],
      },
      0,
    );
    expect(layout.rows[1]!.segments[0]!.widthPct).toBeCloseTo(0.6);
  });
});
