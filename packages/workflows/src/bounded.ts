// A deterministic in-workflow semaphore: runs `count` tasks with at most `limit` in flight. Lanes take the
// next index in order, so replays start the same tasks in the same order. After a failure no new task
// starts; the ones in flight finish, then the failure with the lowest index is thrown.
export async function runBounded<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  const failures = new Map<number, unknown>();
  let next = 0;
  const lane = async () => {
    while (next < count && failures.size === 0) {
      const index = next++;
      try {
        results[index] = await task(index);
      } catch (error) {
        failures.set(index, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), count) }, lane));
  if (failures.size) throw failures.get(Math.min(...failures.keys()));
  return results;
}

/** Runs every task to its end, then throws the first failure in task order (siblings are never left half-done). */
export async function runAllSettled<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(tasks.map((task) => task()));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
