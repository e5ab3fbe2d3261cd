// Awaits a promise that must reject with an error of `type`, and returns that error for further assertions.
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error(`Expected a rejection with ${type.name}, but the promise resolved.`);
  if (!(outcome.error instanceof type))
    throw new Error(
      `Expected a rejection with ${type.name}, got: ${outcome.error instanceof Error ? outcome.error.stack : String(outcome.error)}`,
    );
  return outcome.error;
}
