// Entry-point lifecycle: run the script body, then always clean up (in reverse order), also on Ctrl-C/SIGTERM.
import { constants } from 'node:os';
import { onShutdownSignal } from './proc.mjs';
import { color, reportFailure } from './report.mjs';

const cleanups = [];
let cleaning;

/** Registers a cleanup (e.g. stopping a process); cleanups run last-registered first. Returns an unregister. */
export function atCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const index = cleanups.indexOf(fn);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

/** Runs every registered cleanup once, newest first; safe to call from several places. */
export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (error) {
        console.error(color.red(`cleanup failed: ${error.message}`));
      }
    }
  })();
  return cleaning;
}

/** Runs `body` (resolving to an exit code); reports a failure as one clear line; cleans up; exits. */
export function runMain(body) {
  let interrupted = false;
  onShutdownSignal(async (signal) => {
    interrupted = true;
    console.log(color.yellow(`\n${signal} received: stopping…`));
    await cleanup();
    process.exit(128 + (constants.signals[signal] ?? 2));
  });
  body().then(
    async (code = 0) => {
      if (interrupted) return;
      await cleanup();
      process.exit(code);
    },
    async (error) => {
      if (interrupted) return; // the signal handler finishes the shutdown
      const code = reportFailure(error);
      await cleanup();
      process.exit(code);
    },
  );
}
