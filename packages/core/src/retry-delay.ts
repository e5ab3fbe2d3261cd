// The delay before retry number `attempt + 1`: exponential backoff capped at maxInterval, shortened by a
// random fraction up to `jitter` so that many failing callers do not retry in lock-step.
import { toMilliseconds } from './durations';
import type { RetryPolicy } from './workflow-definition';

export function retryDelayMs(
  policy: Pick<RetryPolicy, 'initialInterval' | 'backoffCoefficient' | 'maxInterval' | 'jitter'>,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(
    toMilliseconds(policy.maxInterval),
    toMilliseconds(policy.initialInterval) * policy.backoffCoefficient ** Math.max(0, attempt - 1),
  );
  return Math.round(base * (1 - policy.jitter * random()));
}
