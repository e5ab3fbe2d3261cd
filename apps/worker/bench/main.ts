// `npm run bench`: what orchestration costs. Compares a tool call made directly with the MCP SDK (through
// the same pool) with the same call made as a durable workflow step, on a local Temporal dev server and
// Postgres; measures fan-out, sustained runs/s through the REST API (a real stack: built web app, worker
// process, Temporal) and worker memory per run in flight. Prints tables; asserts nothing (targets belong in
// docs/benchmarks.md, not in tests). BENCH_ONLY=sandbox,steps,fanout,services,rest,memory picks parts.
import path from 'node:path';
import { inTeam } from '@manifold/db';
import type { ConnectionSpec } from '@manifold/mcp';
import type { ActingContext } from '@manifold/services';
import { repoRoot, waitFor } from '@manifold/testing';
import { WORKFLOW_CACHE_DEFAULT } from '../src/create-worker';
import { startPlatform, type Platform } from '../test/platform';
import { waitForRunEnd } from '../test/run-helpers';
import { measureRestThroughput } from './rest-throughput';
import { measureSandboxCost } from './sandbox-cost';
import { ms, percentile, printTable } from './stats';

const DIRECT_CALLS = Number(process.env.BENCH_DIRECT_CALLS ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const LONG_STEPS = 10;
const FAN_OUT_WIDTHS = [1, 10, 50];
const FAN_OUT_RUNS = Number(process.env.BENCH_FANOUT_RUNS ?? 10);
const THROUGHPUT_RUNS = Number(process.env.BENCH_THROUGHPUT_RUNS ?? 300);
const THROUGHPUT_CLIENTS = Number(process.env.BENCH_THROUGHPUT_CLIENTS ?? 30);
const IN_FLIGHT_RUNS = Number(process.env.BENCH_IN_FLIGHT_RUNS ?? 1000);
const REST_RATE = Number(process.env.BENCH_REST_RATE ?? 50);
const REST_SECONDS = Number(process.env.BENCH_REST_SECONDS ?? 10);
/** The worker's workflow cache for the whole bench (WORKER_MAX_CACHED_WORKFLOWS; default: the worker's). */
const CACHED_WORKFLOWS = process.env.BENCH_CACHED_WORKFLOWS ? Number(process.env.BENCH_CACHED_WORKFLOWS) : undefined;
const SECTIONS = new Set((process.env.BENCH_ONLY ?? 'sandbox,steps,fanout,services,rest,memory').split(',').map((s) => s.trim()));

interface Bench {
  platform: Platform;
  team: ActingContext;
  /** The same pooled stdio session the worker uses, no Temporal, no Postgres. */
  direct: ConnectionSpec;
  runOnce(slug: string): Promise<number>;
}

const echo = (id: string) => ({ id, type: 'tool', server: 'everything', tool: 'echo', args: { message: 'bench' } });

async function main() {
  // First, on a quiet machine: no Temporal or worker running beside it.
  if (SECTIONS.has('sandbox')) await measureSandboxCost();
  const inProcess = ['steps', 'fanout', 'services', 'memory'].some((s) => SECTIONS.has(s));
  if (inProcess) {
    process.stdout.write('Starting Temporal, Postgres database and worker… ');
    const platform = await startPlatform(CACHED_WORKFLOWS === undefined ? {} : { maxCachedWorkflows: CACHED_WORKFLOWS });
    console.log('ready.');
    try {
      const team = await platform.newTeam('bench');
      await platform.services.installations.install(team, { server: 'server-everything', name: 'everything' });
      await platform.services.workflows.create(team, { slug: 'one-step', name: 'One step', definition: { steps: [echo('s0')] } });
      await platform.services.workflows.create(team, {
        slug: 'ten-steps',
        name: 'Ten steps',
        definition: { steps: Array.from({ length: LONG_STEPS }, (_, i) => echo(`s${i}`)) },
      });
      const direct: ConnectionSpec = {
        transport: 'stdio',
        key: 'bench-direct',
        command: [path.join(repoRoot(), 'node_modules/.bin/mcp-server-everything'), 'stdio'],
      };
      await platform.pool.callTool(direct, 'echo', { message: 'warm' }, { timeoutMs: 30_000 });
      const runOnce = async (slug: string) => {
        const started = performance.now();
        const { runId } = await platform.services.runs.trigger(team, { workflow: slug, input: {} }, null);
        await waitForRunEnd(platform.services, team, runId, 60_000, 5);
        return performance.now() - started;
      };
      await runOnce('one-step'); // warm the workflow cache and sessions
      const bench: Bench = { platform, team, direct, runOnce };
      if (SECTIONS.has('steps')) await measureSteps(bench);
      if (SECTIONS.has('fanout')) await measureFanOut(bench);
      if (SECTIONS.has('services')) await measureServicesThroughput(bench);
      if (SECTIONS.has('memory')) await measureMemory(bench);
    } finally {
      await platform.stop();
    }
  }
  // Last, on a stack of its own (web, worker and Temporal as separate processes, as deployed).
  if (SECTIONS.has('rest')) await measureRestThroughput({ rate: REST_RATE, seconds: REST_SECONDS });
}

async function measureSteps({ platform, direct: spec, runOnce }: Bench) {
  const direct: number[] = [];
  for (let i = 0; i < DIRECT_CALLS; i++) {
    const started = performance.now();
    await platform.pool.callTool(spec, 'echo', { message: 'bench' }, { timeoutMs: 30_000 });
    direct.push(performance.now() - started);
  }
  const one: number[] = [];
  const ten: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    one.push(await runOnce('one-step'));
    ten.push(await runOnce('ten-steps'));
    process.stdout.write(`\rruns: ${i + 1}/${RUNS}`);
  }
  console.log('');
  const perStep = (p: number) => (percentile(ten, p) - percentile(one, p)) / (LONG_STEPS - 1);
  printTable(
    'Tool call: direct MCP SDK vs durable workflow step (server-everything echo over stdio)',
    ['measure', 'p50', 'p99', 'samples'],
    [
      ['direct pooled MCP call', ms(percentile(direct, 50)), ms(percentile(direct, 99)), String(DIRECT_CALLS)],
      ['1-step run, trigger → recorded result', ms(percentile(one, 50)), ms(percentile(one, 99)), String(RUNS)],
      [`${LONG_STEPS}-step run, trigger → recorded result`, ms(percentile(ten, 50)), ms(percentile(ten, 99)), String(RUNS)],
      ['per orchestrated step (from 1 vs 10 steps)', ms(perStep(50)), ms(perStep(99)), '—'],
      ['added per step vs direct', ms(perStep(50) - percentile(direct, 50)), ms(perStep(99) - percentile(direct, 99)), '—'],
    ],
  );
  console.log('\nA step is: render arguments, run a local activity that calls the tool and records attempt and step in one transaction.');
}

async function measureFanOut({ platform, team, direct: spec, runOnce }: Bench) {
  // A map step over N items (maxConcurrency N) vs the same N calls made directly in parallel.
  const fanRows: string[][] = [];
  for (const width of FAN_OUT_WIDTHS) {
    await platform.services.workflows.create(team, {
      slug: `fan-${width}`,
      name: `Fan-out ${width}`,
      definition: { steps: [{ id: 'fan', type: 'map', items: `{{ [1..${width}] }}`, maxConcurrency: width, steps: [echo('each')] }] },
    });
    const directParallel: number[] = [];
    const orchestrated: number[] = [];
    await runOnce(`fan-${width}`);
    for (let i = 0; i < FAN_OUT_RUNS; i++) {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: width }, () => platform.pool.callTool(spec, 'echo', { message: 'bench' }, { timeoutMs: 30_000 })),
      );
      directParallel.push(performance.now() - started);
      orchestrated.push(await runOnce(`fan-${width}`));
    }
    const target = 2 * percentile(directParallel, 50) + 100;
    fanRows.push([
      `${width}-way`,
      ms(percentile(directParallel, 50)),
      ms(percentile(orchestrated, 50)),
      ms(percentile(orchestrated, 99)),
      `${ms(target)} ${percentile(orchestrated, 50) <= target ? '(met)' : '(missed)'}`,
    ]);
    process.stdout.write(`\rfan-out ${width} done   `);
  }
  printTable(
    `Fan-out: map step (maxConcurrency = width) vs the same calls directly in parallel (${FAN_OUT_RUNS} runs each)`,
    ['width', 'direct parallel p50', 'run p50', 'run p99', 'target p50 ≤ 2×direct+100ms'],
    fanRows,
  );
}

async function measureServicesThroughput({ runOnce }: Bench) {
  // Clients trigger one-step runs back to back through the services layer (in the worker's process) and wait
  // for each to finish: what the engine does without the web server in front.
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: THROUGHPUT_CLIENTS }, async () => {
      while (next < THROUGHPUT_RUNS) {
        next += 1;
        latencies.push(await runOnce('one-step'));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  printTable(
    `One-step runs through the services layer: ${THROUGHPUT_RUNS} runs from ${THROUGHPUT_CLIENTS} closed-loop clients (same process as the worker)`,
    ['runs/s', 'trigger → completion p50', 'p99'],
    [[(THROUGHPUT_RUNS / seconds).toFixed(1), ms(percentile(latencies, 50)), ms(percentile(latencies, 99))]],
  );
}

async function measureMemory({ platform, team }: Bench) {
  // Memory with many runs in flight: each run waits on a durable timer.
  await platform.services.workflows.create(team, {
    slug: 'parked',
    name: 'Parked',
    definition: { steps: [{ id: 'park', type: 'wait', duration: '120s' }] },
  });
  global.gc?.();
  const before = process.memoryUsage();
  let triggered = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (triggered < IN_FLIGHT_RUNS) {
        triggered += 1;
        await platform.services.runs.trigger(team, { workflow: 'parked', input: {} }, null);
      }
    }),
  );
  // Counted inside the team: the app role sees no run row without it (row-level security).
  const inFlight = () => inTeam(platform.db, team.teamId, (tx) => tx.run.count({ where: { status: 'running' } }));
  await waitFor(async () => ((await inFlight()) >= IN_FLIGHT_RUNS ? true : undefined), {
    timeoutMs: 300_000,
    intervalMs: 500,
    description: `${IN_FLIGHT_RUNS} runs in flight`,
  });
  global.gc?.();
  const after = process.memoryUsage();
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  printTable(
    `Memory with ${IN_FLIGHT_RUNS} runs in flight, workflow cache ${CACHED_WORKFLOWS ?? WORKFLOW_CACHE_DEFAULT} runs (bench process = worker + services + MCP pool)`,
    ['measure', 'before', `with ${IN_FLIGHT_RUNS} runs`, 'per run'],
    [
      ['RSS', mb(before.rss), mb(after.rss), `${((after.rss - before.rss) / IN_FLIGHT_RUNS / 1024).toFixed(1)} KB`],
      [
        'JS heap used',
        mb(before.heapUsed),
        mb(after.heapUsed),
        `${((after.heapUsed - before.heapUsed) / IN_FLIGHT_RUNS / 1024).toFixed(1)} KB`,
      ],
    ],
  );
}

await main();
