// `npm run bench`: what orchestration costs. Compares a tool call made directly with the MCP SDK (through
// the same pool) with the same call made as a durable workflow step, on a local Temporal dev server and
// Postgres. Prints tables; asserts nothing (targets belong in docs/benchmarks.md, not in tests).
import path from 'node:path';
import { isTerminalRunStatus, type RunStatus } from '@manifold/core';
import type { ConnectionSpec } from '@manifold/mcp';
import { repoRoot, waitFor } from '@manifold/testing';
import { startPlatform } from '../test/platform';
import { ms, percentile, printTable } from './stats';

const DIRECT_CALLS = Number(process.env.BENCH_DIRECT_CALLS ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const LONG_STEPS = 10;

async function main() {
  process.stdout.write('Starting Temporal, Postgres database and worker… ');
  const platform = await startPlatform();
  console.log('ready.');
  try {
    const team = await platform.newTeam('bench');
    await platform.services.installations.install(team, { server: 'server-everything', name: 'everything' });
    const echo = (id: string) => ({ id, type: 'tool', server: 'everything', tool: 'echo', args: { message: 'bench' } });
    await platform.services.workflows.create(team, { slug: 'one-step', name: 'One step', definition: { steps: [echo('s0')] } });
    await platform.services.workflows.create(team, {
      slug: 'ten-steps',
      name: 'Ten steps',
      definition: { steps: Array.from({ length: LONG_STEPS }, (_, i) => echo(`s${i}`)) },
    });

    // Direct: the same pooled stdio session the worker uses, no Temporal, no Postgres.
    const spec: ConnectionSpec = {
      transport: 'stdio',
      key: 'bench-direct',
      command: [path.join(repoRoot(), 'node_modules/.bin/mcp-server-everything'), 'stdio'],
    };
    await platform.pool.callTool(spec, 'echo', { message: 'warm' }, { timeoutMs: 30_000 });
    const direct: number[] = [];
    for (let i = 0; i < DIRECT_CALLS; i++) {
      const started = performance.now();
      await platform.pool.callTool(spec, 'echo', { message: 'bench' }, { timeoutMs: 30_000 });
      direct.push(performance.now() - started);
    }

    const runOnce = async (slug: string) => {
      const started = performance.now();
      const { runId } = await platform.services.runs.trigger(team, { workflow: slug, input: {} }, null);
      await waitFor(
        async () => {
          const run = await platform.services.runs.get(team, runId);
          return isTerminalRunStatus(run.status as RunStatus) ? run : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 5, description: `run ${runId}` },
      );
      return performance.now() - started;
    };
    await runOnce('one-step'); // warm the workflow cache and sessions
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
    console.log('\nA step is: render arguments, schedule an activity, record the attempt and step in Postgres, call the tool, return.');
  } finally {
    await platform.stop();
  }
}

await main();
