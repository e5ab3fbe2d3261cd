// Sustained runs/s through the REST API, on the stack as it is deployed: the built Next.js server (`next
// start`), the worker process and the Temporal dev server, each its own process, on a fresh database. Clients
// POST /api/v1/runs at a fixed arrival rate (open loop: a slow answer does not slow the arrivals down), and
// a run's trigger → completion time is its `finishedAt` (written by the worker) minus the moment its POST
// was sent — same machine, same clock, and no polling in the measured path.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabase, createSystemDatabase, createUserWithTeam } from '@manifold/db';
import { createKeyringWrapper, parseKeyring } from '@manifold/secrets';
import { createServices, seedPublicCatalog, type ActingContext } from '@manifold/services';
import { createTestDatabase, repoRoot, resolveTemporalCli, waitFor } from '@manifold/testing';
import { buildWeb, startStack } from '../../../scripts/lib/stack.mjs';
import { findFreePorts } from '../../../scripts/lib/ports.mjs';
import { ms, percentile, printTable } from './stats';

const WARM_UP_RUNS = 30;
const LOG_DIR = '/tmp/manifold-bench-stack';

interface Sent {
  runId: string | null;
  sentAt: number;
  answerMs: number;
  /** The problem's status and title when the POST did not answer 201. */
  error?: string;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (ms) used so far by the live processes of a process group (Linux /proc). */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the command: state(0) ppid(1) pgrp(2) … utime(11) stime(12).
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

export async function measureRestThroughput({ rate, seconds }: { rate: number; seconds: number }): Promise<void> {
  if (!existsSync(path.join(repoRoot(), 'apps/web/.next/BUILD_ID'))) {
    console.log('\nBuilding the web app for the REST benchmark (npx turbo run build --filter=@manifold/web)…');
    await buildWeb({ output: 'quiet' });
  }
  process.stdout.write('\nStarting the stack for the REST benchmark (Temporal, worker process, next start)… ');
  const database = await createTestDatabase();
  const system = createSystemDatabase(database.url);
  const db = createDatabase(database.url, { maxConnections: 4 });
  const masterKeys = `bench1:${randomBytes(32).toString('base64')}`;
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  try {
    await seedPublicCatalog(system);
    // Set-up through the services (no Temporal needed for it); the measured path is HTTP only.
    const services = createServices({ db, temporal: undefined as never, keyWrapper: createKeyringWrapper(parseKeyring(masterKeys)) });
    const { userId, teamId } = await createUserWithTeam(db, { email: 'bench@example.test', passwordHash: 'x', teamName: 'bench' });
    const team: ActingContext = { teamId, actor: { type: 'user', id: userId }, role: 'owner' };
    await services.installations.install(team, { server: 'server-everything', name: 'everything' });
    await services.workflows.create(team, {
      slug: 'one-step',
      name: 'One step',
      definition: { steps: [{ id: 's0', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'bench' } }] },
    });
    const { key } = await services.apiKeys.create(team, { name: 'bench', scopes: ['runs:read', 'runs:write'] });

    const [web, temporal, workerHealth] = await findFreePorts(3);
    stack = await startStack({
      databaseUrl: database.url,
      temporalCli: resolveTemporalCli(),
      ports: { web: web!, temporal: temporal!, temporalUi: null, workerHealth: workerHealth! },
      output: 'quiet',
      logDir: LOG_DIR,
      env: {
        MANIFOLD_MASTER_KEYS: masterKeys,
        AUTH_SECRET: randomBytes(32).toString('base64url'),
        // The per-key API rate limit (600/min by default) would otherwise answer 429 to the bench itself.
        API_RATE_LIMIT: '10000000',
        LOG_LEVEL: 'warn',
        // BENCH_PROFILE_DIR=<preload script>: loaded into the worker and web processes (e.g. to take CPU profiles).
        ...(process.env.BENCH_PROFILE_DIR ? { NODE_OPTIONS: `--require ${process.env.BENCH_PROFILE_DIR}` } : {}),
      },
    });
    console.log(`ready (logs: ${LOG_DIR}).`);

    const trigger = async (): Promise<Sent> => {
      const sentAt = Date.now();
      const started = performance.now();
      const response = await fetch(`${stack!.appUrl}/api/v1/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: 'one-step', input: {} }),
      });
      const body = (await response.json()) as { id?: string; title?: string; detail?: string };
      const answerMs = performance.now() - started;
      if (response.status === 201 && body.id) return { runId: body.id, sentAt, answerMs };
      return { runId: null, sentAt, answerMs, error: `${response.status} ${body.title ?? ''}: ${body.detail ?? ''}` };
    };
    const finishedAt = async (runIds: string[]) => {
      const rows = await system.run.findMany({ where: { id: { in: runIds } }, select: { id: true, status: true, finishedAt: true } });
      return new Map(rows.filter((r) => r.finishedAt).map((r) => [r.id, { status: r.status, finishedAt: r.finishedAt!.getTime() }]));
    };
    const waitForAll = (runIds: string[]) =>
      waitFor(
        async () => (await system.run.count({ where: { id: { in: runIds }, finishedAt: { not: null } } })) === runIds.length || undefined,
        {
          timeoutMs: 300_000,
          intervalMs: 250,
          description: `${runIds.length} runs to finish`,
        },
      );

    // Warm-up: the web server's first requests load its route modules; the worker starts its MCP session.
    const warm: Sent[] = [];
    for (let i = 0; i < WARM_UP_RUNS; i++) warm.push(await trigger());
    if (warm.some((s) => s.error)) throw new Error(`warm-up POST failed: ${warm.find((s) => s.error)!.error}`);
    await waitForAll(warm.map((s) => s.runId!));

    const groups = stack.services
      .filter((service) => service.pid !== undefined)
      .map((service) => ({ name: service.name, pid: service.pid! }));
    const cpuBefore = groups.map((group) => groupCpuMs(group.pid));
    const total = Math.round(rate * seconds);
    const sends: Array<Promise<Sent>> = [];
    const begin = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = begin + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(trigger());
    }
    const all = await Promise.all(sends);
    const sendSeconds = (performance.now() - begin) / 1000;
    const sent = all.filter((s): s is Sent & { runId: string } => s.runId !== null);
    const refused = all.filter((s) => s.error);
    await waitForAll(sent.map((s) => s.runId));
    const cpuUsed = groups.map((group, i) => groupCpuMs(group.pid) - cpuBefore[i]!);
    const ended = await finishedAt(sent.map((s) => s.runId));
    const latencies = sent.map((s) => ended.get(s.runId)!.finishedAt - s.sentAt);
    const failed = [...ended.values()].filter((e) => e.status !== 'succeeded').length + refused.length;
    const firstSent = Math.min(...sent.map((s) => s.sentAt));
    const lastEnded = Math.max(...[...ended.values()].map((e) => e.finishedAt));
    const runsPerSecond = sent.length / ((lastEnded - firstSent) / 1000);
    const answers = all.map((s) => s.answerMs);
    if (refused.length) console.log(`\n${refused.length} POSTs failed, e.g. ${refused[0]!.error}`);
    printTable(
      `One-step runs through the REST API: ${total} POST /api/v1/runs at ${rate}/s for ${seconds} s (open loop; next start + worker process + Temporal, all local)`,
      ['offered', 'completed runs/s', 'POST answer p50', 'p99', 'trigger → completion p50', 'p99', 'failed', 'target'],
      [
        [
          `${(total / sendSeconds).toFixed(1)}/s`,
          runsPerSecond.toFixed(1),
          ms(percentile(answers, 50)),
          ms(percentile(answers, 99)),
          ms(percentile(latencies, 50)),
          ms(percentile(latencies, 99)),
          String(failed),
          `≥ 50 runs/s, p99 < 1 s: ${runsPerSecond >= 50 && percentile(latencies, 99) < 1000 && failed === 0 ? 'met' : 'missed'}`,
        ],
      ],
    );
    printTable(
      'CPU time per run by process (all of each process group; Postgres is shared with the machine, not counted)',
      ['process', 'CPU per run', 'CPU share of the run window'],
      groups.map((group, i) => [
        group.name,
        ms(cpuUsed[i]! / all.length),
        `${((cpuUsed[i]! / (lastEnded - firstSent)) * 100).toFixed(0)} % of one core`,
      ]),
    );
  } finally {
    await stack?.stop();
    await db.$disconnect();
    await system.$disconnect();
    await database.drop();
  }
}
