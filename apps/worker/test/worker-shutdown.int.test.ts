// The real worker process (src/main.ts) stopped with SIGTERM after a run: every stdio server it started,
// including the processes those servers started, must be gone when it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendantPids, isProcessAlive } from '@manifold/mcp';
import { createServices, createTemporalGateway, RECERTIFICATION_SCHEDULE_ID, type ActingContext, type Services } from '@manifold/services';
import { fixtureStdioCommand, repoRoot, waitFor } from '@manifold/testing';
import { addFixtureServer } from './run-helpers';
import { startPlatform, type Platform } from './platform';

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let platform: Platform;
let team: ActingContext;
let services: Services;
let gateway: ReturnType<typeof createTemporalGateway>;
let worker: ChildProcess | undefined;
let workerOutput = '';

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('shutdown');
  const taskQueue = `external-${randomUUID()}`;
  gateway = createTemporalGateway({ address: platform.temporal.address, namespace: platform.temporal.namespace, taskQueue });
  services = createServices({ db: platform.db, temporal: gateway });
  await addFixtureServer(platform.db, team);
  await services.installations.install(team, { server: 'fixture', name: 'fixture' });
  await services.installations.install(team, { server: 'server-everything', name: 'everything' });
  await services.workflows.create(team, {
    slug: 'two-servers',
    name: 'two servers',
    definition: {
      steps: [
        { id: 'a', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'a' } },
        { id: 'b', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'b' } },
      ],
    },
  });

  worker = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: workerDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: platform.databaseUrl,
      TEMPORAL_ADDRESS: platform.temporal.address,
      TEMPORAL_NAMESPACE: platform.temporal.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_HEALTH_PORT: '0',
      MANIFOLD_DATA_DIR: `/tmp/manifold-test-${taskQueue}`,
      MANIFOLD_ALLOW_LOOPBACK: 'true',
      // The fixture server's team entry runs tsx from the checkout: the operator lists it, and its sources are readable
      // in the sandbox, as an operator would set up a program of their own.
      MANIFOLD_ALLOWED_COMMANDS: fixtureStdioCommand()[0]!,
      MANIFOLD_SANDBOX_READ_ONLY_PATHS: path.join(repoRoot(), 'packages/testing'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk: Buffer) => (workerOutput += chunk.toString()));
  worker.stderr!.on('data', (chunk: Buffer) => (workerOutput += chunk.toString()));
});

afterAll(async () => {
  if (worker?.exitCode === null) worker.kill('SIGKILL');
  await gateway?.close();
  await platform?.stop();
});

describe('worker shutdown', () => {
  it('ends every stdio server process (and its children) when the worker gets SIGTERM after a run', async () => {
    const { runId } = await services.runs.trigger(team, { workflow: 'two-servers', input: {} }, null);
    const run = await waitFor(
      async () => {
        const view = await services.runs.get(team, runId);
        return view.status === 'succeeded' || view.status === 'failed' ? view : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100, description: `run ${runId} on the spawned worker (output: ${workerOutput})` },
    );
    expect(run.status).toBe('succeeded');
    // The worker created the re-certification schedule at start.
    const schedule = await platform.temporal.env.client.schedule.getHandle(RECERTIFICATION_SCHEDULE_ID).describe();
    expect(schedule.action).toMatchObject({ workflowType: 'recertifyServers' });

    const servers = descendantPids(worker!.pid!).filter((pid) => /fixture-server|mcp-server-everything|tsx/.test(commandLine(pid)));
    // Both sessions stay pooled after the run: the fixture (tsx wrapper + node) and server-everything.
    expect(servers.length).toBeGreaterThanOrEqual(3);
    expect(servers.every(isProcessAlive)).toBe(true);

    const exited = new Promise<number | null>((resolve) => worker!.once('exit', (code) => resolve(code)));
    worker!.kill('SIGTERM');
    expect(await exited).toBe(0);
    await waitFor(async () => servers.every((pid) => !isProcessAlive(pid)), {
      timeoutMs: 15_000,
      intervalMs: 50,
      description: 'every server process to be gone after the worker exited',
    });
  });
});
