// Starts a real Temporal dev server (the `temporal` CLI, installed from PyPI since the SDK cannot download one
// offline) through the SDK's TestWorkflowEnvironment.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from './free-port';
import { repoRoot } from './repo-root';
import { temporalWithParentWatch } from './temporal-parent-watch';

const NAMESPACE = 'default';
const START_ATTEMPTS = 3;

export interface TemporalTestServer {
  /** host:port of the server's gRPC frontend, e.g. 127.0.0.1:40123 */
  address: string;
  namespace: string;
  env: TestWorkflowEnvironment;
  /** Closes the connections and kills the server. */
  stop(): Promise<void>;
}

/** TEMPORAL_CLI, else `temporal` on PATH, else the repository's .tools/venv/bin/temporal. */
export function resolveTemporalCli(): string {
  const configured = process.env.TEMPORAL_CLI;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI is set to ${configured}, which is not an executable file`);
    return configured;
  }
  const candidates = [
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, 'temporal')),
    path.join(repoRoot(), '.tools', 'venv', 'bin', 'temporal'),
  ];
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new Error('TEMPORAL_CLI is not set: run the tests through `npm test` (it installs the Temporal CLI)');
}

/**
 * A fresh dev server on a free port of 127.0.0.1, in-memory, without UI. The port is probed just before the
 * start, so another process can take it in between: then the start is retried on a new port.
 */
export async function startTemporalTestServer(): Promise<TemporalTestServer> {
  const cli = resolveTemporalCli();
  const executable = temporalWithParentWatch(cli);
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt += 1) {
    const port = await freePort();
    try {
      const env = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: executable },
          ip: '127.0.0.1',
          port,
          namespace: NAMESPACE,
          ui: false,
          log: { format: 'pretty', level: 'warn' },
          // Eager activity dispatch: a workflow task's first activity starts on the same worker without a
          // round trip through the task queue (on in Temporal Cloud; the dev server needs it switched on).
          extraArgs: ['--dynamic-config-value', 'system.enableActivityEagerExecution=true'],
        },
      });
      return { address: env.address, namespace: env.namespace ?? NAMESPACE, env, stop: () => env.teardown() };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`Could not start the Temporal dev server (${cli}) in ${START_ATTEMPTS} attempts: ${String(lastError)}`, {
    cause: lastError,
  });
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
