// Durability: a real worker process (apps/worker/src/main.ts) is killed with SIGKILL in the middle of runs;
// a new worker process takes over, the runs complete, and no step or attempt is recorded twice. A call that
// is not idempotent and was in flight when the worker died is not repeated.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, createTemporalGateway, type ActingContext, type RunView, type Services } from '@manifold/services';
import { fixtureStdioCommand, repoRoot, waitFor } from '@manifold/testing';
import { addFixtureServer, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;
let services: Services;
let gateway: ReturnType<typeof createTemporalGateway>;
const taskQueue = `durability-${randomUUID()}`;
const workers: ChildProcess[] = [];

/** Starts apps/worker/src/main.ts as its own process group on this suite's task queue; resolves once it polls. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot(), 'apps/worker/src/main.ts')], {
    cwd: path.join(repoRoot(), 'apps/worker'),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: platform.databaseUrl,
      TEMPORAL_ADDRESS: platform.temporal.address,
      TEMPORAL_NAMESPACE: platform.temporal.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_HEALTH_PORT: '0',
      MANIFOLD_DATA_DIR: `/tmp/manifold-durability-${taskQueue}`,
      // The fixture server's team entry runs tsx from the checkout: the operator lists it, and its sources are readable
      // in the sandbox, as an operator would set up a program of their own.
      MANIFOLD_ALLOWED_COMMANDS: fixtureStdioCommand()[0]!,
      MANIFOLD_SANDBOX_READ_ONLY_PATHS: path.join(repoRoot(), 'packages/testing'),
      LOG_LEVEL: 'info',
    },
  });
  workers.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output.slice(-2000)}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"worker started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}):\n${output.slice(-2000)}`));
    });
  });
  return child;
}

/** SIGKILL to the worker and everything it started (its MCP server processes), as when a machine dies. */
async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}

const finished = (runId: string) => waitForRunEnd(services, team, runId, 180_000);

beforeAll(async () => {
  platform = await startPlatform();
  gateway = createTemporalGateway({ address: platform.temporal.address, namespace: platform.temporal.namespace, taskQueue });
  services = createServices({ db: platform.db, temporal: gateway });
  team = await platform.newTeam('durability');
  await addFixtureServer(platform.db, team);
  await services.installations.install(team, { server: 'fixture', name: 'fixture' });
}, 180_000);

afterAll(async () => {
  for (const child of workers) if (child.exitCode === null && child.signalCode === null) await killHard(child);
  await gateway?.close();
  await platform?.stop();
});

describe('durability', () => {
  it('survives SIGKILL of the worker process mid-run without recording a step or attempt twice', async () => {
    const first = await startWorkerProcess();
    await services.workflows.create(team, {
      slug: 'fan',
      name: 'fan',
      definition: {
        steps: [
          { id: 'before', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'before' } },
          {
            id: 'fan',
            type: 'map',
            items: '{{ [1, 2, 3, 4] }}',
            maxConcurrency: 2,
            steps: [{ id: 'nap', type: 'tool', server: 'fixture', tool: 'slow', args: { ms: 4000 } }],
          },
          { id: 'after', type: 'tool', server: 'fixture', tool: 'echo', args: { message: '{{ $count($steps.fan) }} naps' } },
        ],
        output: '{{ $steps.after.text }}',
      },
    });
    await services.workflows.create(team, {
      slug: 'charge',
      name: 'charge',
      definition: {
        steps: [
          {
            id: 'charge',
            type: 'tool',
            server: 'fixture',
            tool: 'slow',
            args: { ms: 4000 },
            idempotent: false,
            catch: { value: '{{ $error.errorClass }}' },
          },
        ],
      },
    });
    const fan = (await services.runs.trigger(team, { workflow: 'fan', input: {} }, null)).runId;
    const charge = (await services.runs.trigger(team, { workflow: 'charge', input: {} }, null)).runId;
    // Kill once both map items and the charge are in flight.
    await waitFor(
      async () => {
        const [a, b] = await Promise.all([services.runs.get(team, fan), services.runs.get(team, charge)]);
        const running = (r: RunView) => r.steps.filter((s) => s.attempts.some((x) => x.status === 'running')).length;
        return running(a) === 2 && running(b) === 1 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, description: 'calls to be in flight' },
    );
    await killHard(first);
    await startWorkerProcess();

    const run = await finished(fan);
    expect(run.error).toBeNull();
    expect(run.output).toBe('4 naps');
    const keys = run.steps.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(['after', 'before', 'fan', 'nap[0]', 'nap[1]', 'nap[2]', 'nap[3]']);
    for (const step of run.steps) {
      const numbers = step.attempts.map((a) => a.attempt);
      expect(new Set(numbers).size).toBe(numbers.length);
      if (step.kind === 'tool') expect(step.attempts.filter((a) => a.status === 'succeeded')).toHaveLength(1);
    }
    // The calls the dead worker had in flight: attempt 1 closed as outcome unknown, attempt 2 did the work.
    for (const key of ['nap[0]', 'nap[1]'])
      expect(run.steps.find((s) => s.key === key)!.attempts.map((a) => [a.attempt, a.status, a.errorClass])).toEqual([
        [1, 'failed', 'outcome_unknown'],
        [2, 'succeeded', null],
      ]);
    expect(run.steps.find((s) => s.key === 'before')!.attempts).toHaveLength(1);

    // The non-idempotent call was not repeated: it fell into its catch.
    const charged = await finished(charge);
    expect(charged.status).toBe('succeeded');
    expect(charged.output).toBe('outcome_unknown');
    expect(charged.steps[0]!.status).toBe('degraded');
    expect(charged.steps[0]!.attempts.map((a) => [a.attempt, a.status, a.errorClass])).toEqual([
      [1, 'failed', 'outcome_unknown'],
      [2, 'failed', 'outcome_unknown'],
    ]);
  });
});
