// Polls a condition until it yields a value, so tests never sleep for a fixed time.
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  timeoutMs: number;
  intervalMs: number;
  /** What is awaited, in words: it names the condition in the timeout error. */
  description: string;
  /** Gives up at once when aborted, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Calls `fn` until it returns something other than undefined, null or false, and returns that. An error
 * thrown by `fn` counts as "not yet" (and is reported if it is the last outcome). On timeout it throws an
 * Error naming `description` and the last value (or error) seen.
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false>,
  { timeoutMs, intervalMs, description, signal }: WaitForOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing (not called yet)';
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
      last = describeValue(value);
    } catch (error) {
      last = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}; last value: ${last}`);
    await sleep(Math.min(intervalMs, remaining), undefined, signal ? { signal } : {}).catch(() => signal?.throwIfAborted());
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
