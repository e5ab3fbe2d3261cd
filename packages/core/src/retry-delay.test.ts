import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay';

const policy = { initialInterval: '100ms', backoffCoefficient: 2, maxInterval: '1s', jitter: 0 } as const;

describe('retryDelayMs', () => {
  it('grows exponentially from the initial interval and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(policy, attempt))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('shortens each delay by at most the jitter fraction', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(retryDelayMs(jittered, 3, () => 0)).toBe(400);
    expect(retryDelayMs(jittered, 3, () => 0.999999)).toBe(200);
    expect(retryDelayMs(jittered, 3, () => 0.5)).toBe(300);
  });
});
