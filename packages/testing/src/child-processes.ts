// Spawns helper servers in their own process groups and guarantees they die with the test process.
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { killAllOnExit, killGroup, trackGroup, untrackGroup } from './process-cleanup';

const OUTPUT_TAIL_LINES = 40;

/**
 * Runs "$@" under a small sh supervisor, the leader of the new process group:
 * - a watcher reads the supervisor's stdin, a pipe from us: EOF means the test process is gone, however it
 *   died (even SIGKILL, when no exit handler runs), so it stops the server: TERM, then KILL to the whole
 *   group once the server is gone or after 5 s;
 * - the supervisor forwards TERM/INT/HUP and exits only once the server has, with the server's exit code,
 *   so the leader's 'exit' event means the server is really gone.
 * Background lists get /dev/null as stdin, hence the copy of stdin on fd 3 for the watcher.
 */
const SUPERVISOR_SCRIPT = `
exec 3<&0
"$@" </dev/null 3<&- &
server=$!
{
  cat >/dev/null
  kill -TERM "$server" 2>/dev/null
  i=0; while kill -0 "$server" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  kill -KILL 0
} <&3 >/dev/null 2>&1 &
exec 3<&-
trap 'kill -TERM "$server" 2>/dev/null' TERM INT HUP
while :; do
  wait "$server"; code=$?
  kill -0 "$server" 2>/dev/null || break
done
exit "$code"
`;

export interface GroupProcess {
  /** The supervisor's pid, which is also the process group id. */
  readonly pid: number;
  /** Resolves when the server (and so its supervisor) has exited. */
  readonly exited: Promise<void>;
  /** The last lines the server wrote to stdout and stderr, for error messages. */
  outputTail(): string;
  /** Resolves once an output line matches `pattern`; rejects if the server exits first or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpMatchArray>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the server has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole group at once (a machine dying: no shutdown code runs); resolves when it has exited. */
  kill(): Promise<void>;
}

export interface SpawnGroupOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Starts `command` supervised in a new process group (so wrappers such as tsx and their children are killed
 * together). The child does not keep this process alive; a process exit or fatal signal kills every group
 * still running, and a supervisor whose test process vanished stops its server by itself.
 */
export function spawnGroup(command: string, args: string[], options: SpawnGroupOptions): GroupProcess {
  killAllOnExit();
  const child = spawn('/bin/sh', ['-c', SUPERVISOR_SCRIPT, 'manifold-supervisor', command, ...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`Could not spawn ${command}`);
  const pid = child.pid;
  trackGroup(pid);

  const tail: string[] = [];
  const lineListeners = new Set<(line: string) => void>();
  let hasExited = false;
  const exited = new Promise<void>((resolve) => {
    const onGone = () => {
      hasExited = true;
      killGroup(pid, 'SIGKILL'); // sweep the watcher and anything the server left behind
      untrackGroup(pid);
      resolve();
    };
    child.once('exit', onGone);
    child.once('error', (error) => {
      tail.push(`spawn error: ${error.message}`);
      onGone();
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
        if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
        for (const listener of lineListeners) listener(line);
      }
    });
  }
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as Socket | null)?.unref();
  child.stdin?.on('error', () => undefined); // EPIPE once the supervisor is gone is expected

  return {
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
          finish(
            new Error(
              `${what} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready. Output:\n${tail.join('\n')}`,
            ),
          ),
        );
      });
    },
    async stop(graceMs = 3000) {
      if (!hasExited) {
        killGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
    },
    async kill() {
      killGroup(pid, 'SIGKILL');
      await exited;
    },
  };
}
