// The WebAssembly schema engine leaves a 10 s timer referenced after a command finishes, so the CLI
// would idle for 10 s. Long timers never gate the work itself: let the process exit without them.
const originalSetTimeout = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(callback, ms, ...args) {
  const timer = originalSetTimeout.call(this, callback, ms, ...args);
  if (typeof ms === 'number' && ms >= 5000 && timer && typeof timer.unref === 'function') timer.unref();
  return timer;
};
