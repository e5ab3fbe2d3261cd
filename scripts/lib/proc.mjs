// Child processes: each in its own process group, output prefixed or captured, readiness waits, clean stops.
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { ROOT, childEnv } from './env.mjs';
import { UserError, color, formatDuration } from './report.mjs';

const KEPT_LINES = 200;
const PREFIX_COLORS = [36, 35, 33, 34, 32, 96];
let nextColor = 0;

/** Process groups we started and have not seen empty; the exit hook kills what is left of them. */
const liveGroups = new Set();
process.on('exit', () => {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
});

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is empty
  }
}

/** True when no live process is left in the group. Zombies do not count: PID 1 may reap them late. */
function groupIsEmpty(pgid) {
  if (process.platform !== 'linux') return !signalGroup(pgid, 0);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z') return false;
  }
  return true;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `command args` in a new process group (so a terminal Ctrl-C reaches only us and we stop children in
 * order). output: 'prefix' prints each line as "name │ line"; 'tee' prints lines as they are; 'capture'
 * and 'quiet' print nothing. The last lines are always kept for messages; 'tee' and 'capture' keep all text.
 * quietWhenStopping hides the chatter of a deliberate shutdown.
 */
export function startProcess(name, command, args, options = {}) {
  const {
    env = childEnv(),
    cwd = ROOT,
    output = 'prefix',
    stopSignal = 'SIGTERM',
    stopTimeoutMs = 10_000,
    uid,
    gid,
    logFile,
    quietWhenStopping = false,
  } = options;
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], uid, gid });
  const keepAll = output === 'tee' || output === 'capture';
  const allLines = [];
  const recent = [];
  const label = `\x1b[${PREFIX_COLORS[nextColor++ % PREFIX_COLORS.length]}m${name.padEnd(8)}\x1b[0m │ `;
  const prefix = process.stdout.isTTY && !process.env.NO_COLOR ? label : `${name.padEnd(8)} │ `;

  const onLine = (line) => {
    recent.push(line);
    if (recent.length > KEPT_LINES) recent.shift();
    if (keepAll) allLines.push(line);
    if (logFile) appendFileSync(logFile, `${line}\n`);
    if (quietWhenStopping && handle.stopping) return;
    if (output === 'prefix') process.stdout.write(`${prefix}${line}\n`);
    else if (output === 'tee') process.stdout.write(`${line}\n`);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = (partial + chunk).split(/\r?\n/);
      partial = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    stream.on('end', () => partial && onLine(partial));
  }

  let isRunning = child.pid !== undefined;
  if (isRunning) liveGroups.add(child.pid);
  // Settles when the process has exited and its output is read; a descendant that keeps the pipes open (a
  // leaked server) gets 2 s, so it cannot hang us; stop() then kills what is left of the group.
  const exited = new Promise((resolve) => {
    let result;
    let outputClosed = false;
    const finish = () => {
      isRunning = false;
      if (child.pid !== undefined && groupIsEmpty(child.pid)) liveGroups.delete(child.pid);
      resolve(result);
    };
    child.on('close', () => {
      outputClosed = true;
      if (result) finish();
    });
    child.on('error', (error) => {
      result ??= { code: null, signal: null, error };
      finish();
    });
    child.on('exit', (code, signal) => {
      result = { code, signal, error: null };
      if (outputClosed) finish();
      else setTimeout(finish, 2000).unref();
    });
  });

  let stopped;
  const handle = {
    name,
    pid: child.pid,
    exited,
    stopping: false,
    get running() {
      return isRunning;
    },
    lastLines: (count = 40) => recent.slice(-count).join('\n'),
    text: () => allLines.join('\n'),
    /** Sends the stop signal to the whole group, then SIGKILL after the timeout; resolves when none is left. */
    stop() {
      stopped ??= (async () => {
        handle.stopping = true;
        if (child.pid === undefined) return;
        // Signal the whole group even when the leader already exited: what it left behind must not outlive us.
        if (isRunning || !groupIsEmpty(child.pid)) signalGroup(child.pid, stopSignal);
        if (isRunning) {
          const timedOut = await Promise.race([exited.then(() => false), sleep(stopTimeoutMs).then(() => true)]);
          if (timedOut) {
            console.log(color.yellow(`${name} did not stop within ${formatDuration(stopTimeoutMs)}; killing it`));
            signalGroup(child.pid, 'SIGKILL');
            await exited;
          }
        }
        for (let waited = 0; !groupIsEmpty(child.pid) && waited < 3000; waited += 100) await sleep(100);
        if (!groupIsEmpty(child.pid)) signalGroup(child.pid, 'SIGKILL');
        liveGroups.delete(child.pid);
      })();
      return stopped;
    },
  };
  return handle;
}

/** Describes how a process ended, e.g. "exited with code 1" or "was killed by SIGKILL". */
export function describeExit({ code, signal, error }) {
  if (error) return `could not start (${error.message})`;
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${code}`;
}

/** Runs a command to completion (output captured unless told otherwise). Returns its exit and output. */
export async function run(name, command, args, options = {}) {
  const proc = startProcess(name, command, args, { output: 'capture', ...options });
  const result = await proc.exited;
  await proc.stop();
  return { ...result, ok: result.code === 0, text: proc.text(), lastLines: proc.lastLines };
}

/** Runs a command; on failure throws a UserError whose details are the command's last output lines. */
export async function runOrFail(name, command, args, { failMessage, ...options } = {}) {
  const result = await run(name, command, args, options);
  if (!result.ok) {
    const what = failMessage ?? `${name} failed`;
    throw new UserError(`${what} (${[command, ...args].join(' ')} ${describeExit(result)})`, { details: result.lastLines(60) });
  }
  return result;
}

/**
 * Polls `check` until it returns a truthy value. Fails with one clear line when a `watched` process (one or
 * a list) exits first or when the time is up; the details then hold that process's last output lines.
 */
export async function waitUntil(check, { what, timeoutMs, intervalMs = 200, watched = [] }) {
  const processes = [watched].flat();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = processes.find((proc) => !proc.running);
    if (dead) {
      const exit = await dead.exited;
      throw new UserError(`${dead.name} ${describeExit(exit)} while waiting for ${what}`, { details: dead.lastLines() });
    }
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) {
      throw new UserError(`${what} was not ready after ${formatDuration(timeoutMs)}`, { details: processes.at(-1)?.lastLines() });
    }
    await sleep(intervalMs);
  }
}

/** Rejects with a UserError (details: its last lines) as soon as one of the processes exits without being stopped. */
export function firstUnexpectedExit(processes) {
  return new Promise((_, reject) => {
    for (const proc of processes) {
      proc.exited.then((exit) => {
        if (!proc.stopping)
          reject(new UserError(`${proc.name} ${describeExit(exit)} unexpectedly; stopping everything`, { details: proc.lastLines() }));
      });
    }
  });
}

/** Resolves with the HTTP status of a GET, or undefined when nothing answers. */
export function httpStatus(url, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** Resolves true when a TCP connection to host:port succeeds. */
export function tcpConnects(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Calls `onSignal` once on the first SIGINT/SIGTERM/SIGHUP. A repeat within a second is ignored (npm forwards
 * the terminal's Ctrl-C a second time); a later one kills every child at once and exits.
 */
export function onShutdownSignal(onSignal) {
  let firstAt = 0;
  const handler = (signal) => {
    const now = Date.now();
    if (!firstAt) {
      firstAt = now;
      onSignal(signal);
    } else if (now - firstAt > 1000) {
      console.log(color.yellow('\nforced stop: killing all child processes'));
      process.exit(130);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, handler);
}
