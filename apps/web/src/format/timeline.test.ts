import { describe, expect, it } from 'vitest';
import { axisTicks, layoutTimeline } from './timeline';

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
    expect(layout.ticks.map((t) => t.label)).toEqual(['0', '200 ms', '400 ms', '600 ms', '800 ms', '1000 ms']);
    const [runRow, stepRow] = layout.rows;
    expect(runRow!.segments.map((s) => [s.id, s.leftPct, s.widthPct])).toEqual([
      ['queued', 0, 10],
      ['run', 10, 90],
    ]);
    expect(stepRow!.segments.map((s) => [s.label, s.status, s.leftPct, s.widthPct, s.durationMs])).toEqual([
      ['attempt 1', 'failed', 20, 20, 200],
      ['attempt 2', 'succeeded', 60, 30, 300],
    ]);
    // The retry backoff between the attempts is its own gap.
    expect(stepRow!.gaps).toEqual([{ leftPct: 40, widthPct: 20, durationMs: 200 }]);
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

  it("draws a waiting step's wait so far and the rest of it up to its wake-up time", () => {
    const now = Date.UTC(2026, 0, 1) + 2000;
    const run = {
      status: 'running',
      createdAt: at(0),
      startedAt: at(0),
      finishedAt: null,
      steps: [{ key: 'pause', kind: 'wait', status: 'waiting', startedAt: at(1000), finishedAt: null, wakeAt: at(4000), attempts: [] }],
    };
    const layout = layoutTimeline(run, now);
    // The axis reaches the wake-up time: the rest of the wait is on the chart.
    expect(layout.totalMs).toBe(4000);
    const row = layout.rows[1]!;
    expect(row.segments.map((s) => [s.status, s.leftPct, s.widthPct, s.isOpen])).toEqual([['waiting', 25, 25, true]]);
    expect(row.planned).toEqual({ leftPct: 50, widthPct: 50, remainingMs: 2000, wakeAt: at(4000) });

    // Once it woke (or the run ended) there is nothing still to come.
    const woke = layoutTimeline(
      { ...run, status: 'succeeded', finishedAt: at(4100), steps: [{ ...run.steps[0]!, status: 'succeeded', finishedAt: at(4050) }] },
      now,
    );
    expect(woke.rows[1]!.planned).toBeUndefined();
    expect(layoutTimeline({ ...run, status: 'cancelled', finishedAt: at(2000) }, now).rows[1]!.planned).toBeUndefined();
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

  it("carries each attempt's error class and message for the tooltip", () => {
    const layout = layoutTimeline(
      {
        status: 'failed',
        createdAt: at(0),
        startedAt: at(0),
        finishedAt: at(100),
        steps: [
          {
            key: 'a',
            status: 'failed',
            startedAt: at(0),
            finishedAt: at(100),
            attempts: [
              {
                attempt: 1,
                status: 'failed',
                startedAt: at(0),
                finishedAt: at(100),
                latencyMs: 100,
                errorClass: 'timeout',
                errorMessage: 'took too long',
              },
            ],
          },
          {
            key: 'b',
            kind: 'wait',
            status: 'cancelled',
            startedAt: at(50),
            finishedAt: at(60),
            error: { errorClass: 'cancelled', message: 'run cancelled' },
            attempts: [],
          },
        ],
      },
      0,
    );
    expect(layout.rows[1]!.segments[0]).toMatchObject({ status: 'failed', errorClass: 'timeout', errorMessage: 'took too long' });
    expect(layout.rows[2]!.segments[0]).toMatchObject({
      label: 'wait',
      status: 'cancelled',
      errorClass: 'cancelled',
      errorMessage: 'run cancelled',
    });
  });

  it('folds map items into one group row, with a row per item when expanded', () => {
    const item = (index: number, status: string, start: number, stop: number | null) => ({
      key: `inner[${index}]`,
      stepId: 'inner',
      status,
      startedAt: at(start),
      finishedAt: stop === null ? null : at(stop),
      attempts: [{ attempt: 1, status, startedAt: at(start), finishedAt: stop === null ? null : at(stop), latencyMs: null }],
    });
    const run = {
      status: 'running',
      createdAt: at(0),
      startedAt: at(0),
      finishedAt: null,
      steps: [
        { key: 'first', status: 'succeeded', startedAt: at(0), finishedAt: at(100), attempts: [] },
        item(0, 'succeeded', 100, 300),
        item(1, 'running', 120, null),
        item(2, 'failed', 150, 250),
        // A map step is recorded when it ends, after its items: it is still drawn where it started.
        { key: 'each', kind: 'map', status: 'running', startedAt: at(90), finishedAt: null, attempts: [] },
      ],
    };
    const now = Date.UTC(2026, 0, 1) + 1000;
    const folded = layoutTimeline(run, now);
    expect(folded.rows.map((r) => [r.key, r.label, r.status, r.depth])).toEqual([
      ['run', 'run', 'running', 0],
      ['first', 'first', 'succeeded', 0],
      ['each', 'each', 'running', 0],
      ['inner[*]', 'inner × 3', 'running', 0],
    ]);
    expect(folded.rows[3]!.segments[0]).toMatchObject({ leftPct: 10, widthPct: 90, isOpen: true });
    const open = layoutTimeline(run, now, new Set(['inner']));
    expect(open.rows.slice(3).map((r) => [r.key, r.depth, r.group?.isExpanded])).toEqual([
      ['inner[*]', 0, true],
      ['inner[0]', 1, undefined],
      ['inner[1]', 1, undefined],
      ['inner[2]', 1, undefined],
    ]);
  });
});

describe('axisTicks', () => {
  it('steps in round milliseconds or seconds', () => {
    expect(axisTicks(1000).map((t) => t.label)).toEqual(['0', '200 ms', '400 ms', '600 ms', '800 ms', '1000 ms']);
    expect(axisTicks(7300).map((t) => t.label)).toEqual(['0', '2 s', '4 s', '6 s']);
    expect(axisTicks(2500).map((t) => t.label)).toEqual(['0', '0.5 s', '1.0 s', '1.5 s', '2.0 s', '2.5 s']);
    expect(axisTicks(1000).at(-1)!.pct).toBe(100);
  });
});
