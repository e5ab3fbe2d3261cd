import { describe, expect, it } from 'vitest';
import { runAllSettled, runBounded } from './bounded';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runBounded', () => {
  it('keeps at most `limit` tasks in flight and returns results in index order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const started: number[] = [];
    const results = await runBounded(20, 3, async (i) => {
      started.push(i);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      for (let k = 0; k < (i % 4) + 1; k++) await tick();
      inFlight -= 1;
      return i * 10;
    });
    expect(maxInFlight).toBe(3);
    expect(started).toEqual([...Array(20).keys()]);
    expect(results).toEqual([...Array(20).keys()].map((i) => i * 10));
  });

  it('starts nothing new after a failure and throws the lowest failing index', async () => {
    const started: number[] = [];
    await expect(
      runBounded(10, 2, async (i) => {
        started.push(i);
        await tick();
        if (i === 1 || i === 0) throw new Error(`item ${i}`);
        return i;
      }),
    ).rejects.toThrow('item 0');
    expect(started).toEqual([0, 1]);
  });

  it('handles no items', async () => {
    expect(await runBounded(0, 5, async () => 1)).toEqual([]);
  });
});

describe('runAllSettled', () => {
  it('waits for every task, then throws the first failure in task order', async () => {
    const done: string[] = [];
    await expect(
      runAllSettled([
        async () => {
          await tick();
          await tick();
          done.push('a');
          return 'a';
        },
        async () => {
          throw new Error('b failed');
        },
      ]),
    ).rejects.toThrow('b failed');
    expect(done).toEqual(['a']);
  });
});
