// Spawns helper servers in their own process groups and guarantees they die with the test process.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

const STDERR_TAIL_LINES = 40;
const liveGroups = new Set<number>();
let cleanupInstalled = false;

export interface GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the group leader has exited. */
  readonly exited: Promise<void>;
  /** The last lines the process wrote to stdout and stderr, for error messages. */
  outputTail(): string;
  /** Resolves once a stdout/stderr line matches `pattern`; rejects if the process exits first or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpMatchArray>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnGroupOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Starts `command` as the leader of a new process group (so wrappers such as tsx and their children can be
 * killed together). Its stdin stays an open pipe: a server that watches stdin notices when we die. The child
 * does not keep this process alive; a process 'exit' (or fatal signal) kills every group still running.
 */
export function spawnGroup(command: string, args: string[], options: SpawnGroupOptions): GroupProcess {
  installCleanup();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`Could not spawn ${command}`);
  const pid = child.pid;
  liveGroups.add(pid);

  const tail: string[] = [];
  const lineListeners = new Set<(line: string) => void>();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      liveGroups.delete(pid);
      resolve();
    });
    child.once('error', (error) => {
      tail.push(`spawn error: ${error.message}`);
      liveGroups.delete(pid);
      resolve();
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > STDERR_TAIL_LINES) tail.shift();
        for (const listener of lineListeners) listener(line);
      }
    });
  }
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as Socket | null)?.unref();
  child.stdin?.on('error', () => undefined); // EPIPE after the child died is expected

  const hasExited = () => child.exitCode !== null || child.signalCode !== null || !liveGroups.has(pid);

  return {
    child,
    pid,
    exited,
    outputTail: () => tail.join('\n'),
    waitForLine(pattern, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const finish = (error: Error | null, match?: RegExpMatchArray) => {
          clearTimeout(timer);
          lineListeners.delete(onLine);
          if (error) reject(error);
          else resolve(match as RegExpMatchArray);
        };
        const onLine = (line: string) => {
          const match = line.match(pattern);
          if (match) finish(null, match);
        };
        const timer = setTimeout(
          () => finish(new Error(`${what} did not become ready within ${timeoutMs} ms. Output:\n${tail.join('\n')}`)),
          timeoutMs,
        );
        for (const line of tail) {
          const match = line.match(pattern);
          if (match) return finish(null, match);
        }
        lineListeners.add(onLine);
        void exited.then(() =>
          finish(new Error(`${what} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready. Output:\n${tail.join('\n')}`)),
        );
      });
    },
    async stop(graceMs = 3000) {
      if (!hasExited()) {
        killGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      killGroup(pid, 'SIGKILL'); // sweep grandchildren that outlived the leader
      liveGroups.delete(pid);
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

function killAllGroups(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

/** Kills every live group on exit; on a fatal signal does the same, then lets the signal act as it would have. */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', killAllGroups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAllGroups();
      process.removeListener(signal, onSignal);
      // Nobody else handles it: re-raise so the default action (terminate with that signal) still happens.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
