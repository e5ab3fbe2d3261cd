// Scale-out, kept true: two real worker processes (src/main.ts) and two real web processes (the app's /api route
// handlers, test/route-server.ts in apps/web) on one Temporal and one Postgres. Runs are triggered over HTTP,
// alternating between the web processes; mid-load one web process and one worker get SIGKILL. Every run must
// succeed, the installation's concurrency cap (shared through Postgres) must hold at the server itself, and the
// calls the server received are compared with the attempts Manifold recorded.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPrivateServer, createUserWithTeam, type Database } from '@manifold/db';
import { descendantPids } from '@manifold/mcp';
import { API_SCOPES, createServices, createTemporalGateway, type ActingContext, type RunView, type Services } from '@manifold/services';
import {
  createTestDatabase,
  readFixtureConcurrency,
  repoRoot,
  spawnGroup,
  startFixtureHttpServer,
  startTemporalTestServer,
  waitFor,
  type GroupProcess,
  type RunningHttpServer,
  type TemporalTestServer,
  type TestDatabase,
} from '@manifold/testing';

const RUNS = 48;
const STEPS_PER_RUN = 2;
const MAX_CONCURRENCY = 4;
const CALL_MS = 200;
const COUNTER = 'scale-out';
/** Gate refusals: the attempt waited for a slot and never reached the server. */
const NEVER_SENT = ['rate_limited', 'circuit_open'];

let temporal: TemporalTestServer;
let database: TestDatabase;
let db: Database;
let services: Services;
let gateway: ReturnType<typeof createTemporalGateway>;
let fixture: RunningHttpServer;
let team: ActingContext;
let apiKey: string;
const taskQueue = `scale-out-${randomUUID()}`;
const masterKeys = `scale:${randomBytes(32).toString('base64')}`;
const processes: GroupProcess[] = [];

interface WebProcess {
  name: string;
  url: string;
  process: GroupProcess;
  isUp: boolean;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** The environment both kinds of process read, as an operator sets it for every replica. */
function sharedEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    MANIFOLD_MASTER_KEYS: masterKeys,
    MANIFOLD_ALLOW_LOOPBACK: 'true',
    LOG_LEVEL: 'warn',
  };
}

async function startWorker(name: string): Promise<{ process: GroupProcess; pid: number }> {
  const dir = `/tmp/manifold-${name}-${taskQueue.slice(10, 18)}`;
  const worker = spawnGroup(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.join(repoRoot(), 'apps/worker'),
    env: {
      ...sharedEnv(),
      LOG_LEVEL: 'info', // the "worker started" line says it polls
      WORKER_HEALTH_PORT: '0',
      MANIFOLD_DATA_DIR: dir,
      MANIFOLD_EGRESS_DIR: `${dir}/egress`,
      RECERTIFY_EVERY: 'off',
      RUN_SWEEP_EVERY: '10s',
    },
  });
  processes.push(worker);
  await worker.waitForLine(/"worker started"/, 120_000, `worker ${name}`);
  // The Temporal identity of a worker is <pid>@<host>; the node process is the supervisor's child.
  const pid = descendantPids(worker.pid).find((candidate) => commandLine(candidate).includes('src/main.ts'));
  if (pid === undefined) throw new Error(`worker ${name}: no node process under supervisor ${worker.pid}`);
  return { process: worker, pid };
}

async function startWeb(name: string): Promise<WebProcess> {
  const web = spawnGroup(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/route-server.ts', '--port', '0'], {
    cwd: path.join(repoRoot(), 'apps/web'),
    env: { ...sharedEnv(), API_RATE_LIMIT: '100000', WEB_DB_POOL_SIZE: '5' },
  });
  processes.push(web);
  const [, url] = await web.waitForLine(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000, `web ${name}`);
  return { name, url: url!, process: web, isUp: true };
}

function api(web: WebProcess, route: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${web.url}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...init.headers },
    signal: AbortSignal.timeout(30_000),
  });
}

beforeAll(async () => {
  [temporal, database, fixture] = await Promise.all([startTemporalTestServer(), createTestDatabase(), startFixtureHttpServer()]);
  db = createDatabase(database.url, { maxConnections: 4 });
  gateway = createTemporalGateway({ address: temporal.address, namespace: temporal.namespace, taskQueue });
  services = createServices({ db, temporal: gateway });
  const owner = await createUserWithTeam(db, { email: `scale-${randomUUID()}@example.test`, passwordHash: 'unused', teamName: 'scale' });
  team = { teamId: owner.teamId, actor: { type: 'user', id: owner.userId }, role: 'owner' };
  apiKey = (await services.apiKeys.create(team, { name: 'load', scopes: [...API_SCOPES] })).key;
  // One HTTP server for both workers: it counts every call that reaches it, whichever worker sent it.
  await createPrivateServer(db, team.teamId, {
    slug: 'counting-fixture',
    name: 'Counting fixture',
    description: 'Counts the calls it receives',
    version: '1.0.0',
    transport: 'http',
    command: [],
    url: fixture.url,
    repository: null,
    tags: [],
    metadata: {},
  });
  await services.installations.install(team, { server: 'counting-fixture', name: 'fixture' });
  await services.installationLimits.set(team, 'fixture', { maxConcurrency: MAX_CONCURRENCY });
  const call = (id: string) => ({
    id,
    type: 'tool',
    server: 'fixture',
    tool: 'concurrency',
    args: { ms: CALL_MS, key: COUNTER },
    // A slot held by the killed worker frees itself after timeout + 15 s; until then waiting attempts may time out
    // at the gate (rate_limited, never sent) and retry.
    timeout: '10s',
    retry: { maxAttempts: 12, initialInterval: '500ms', backoffCoefficient: 2, maxInterval: '4s' },
  });
  await services.workflows.create(team, {
    slug: 'scale-out',
    name: 'scale out',
    definition: { steps: Array.from({ length: STEPS_PER_RUN }, (_, i) => call(`call${i + 1}`)) },
  });
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(processes.map((child) => child.kill()));
  await gateway?.close();
  await db?.$disconnect();
  await fixture?.stop();
  await temporal?.stop();
  await database?.drop();
});

describe('scale-out: 2 workers and 2 web processes, one of each SIGKILLed mid-load', () => {
  let runs: RunView[] = [];
  let killedIdentity = '';
  let survivorIdentity = '';

  it(`runs ${RUNS} runs triggered through both web processes to success, exactly once each`, async () => {
    const [first, second, webA, webB] = await Promise.all([startWorker('worker-1'), startWorker('worker-2'), startWeb('a'), startWeb('b')]);
    killedIdentity = `${first.pid}@${hostname()}`;
    survivorIdentity = `${second.pid}@${hostname()}`;
    await waitFor(async () => ((await (await api(webA, '/api/health')).json()) as { status: string }).status === 'ok' || undefined, {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: 'web a to report Postgres, Temporal and polling workers',
    });

    // A load balancer's view: alternate between the web processes; a request that finds its process gone (refused,
    // reset mid-request) goes to the other one with the same Idempotency-Key, so it cannot start a second run.
    const webs = [webA, webB];
    const statuses: number[] = [];
    const failovers: string[] = [];
    let triggered = 0;
    const trigger = async (index: number): Promise<string> => {
      const body = JSON.stringify({ workflow: 'scale-out', input: { n: index } });
      const headers = { 'idempotency-key': `scale-out-${index}` };
      for (let attempt = 0; attempt < 10; attempt++) {
        const web = webs[(index + attempt) % 2]!;
        if (!web.isUp) continue;
        try {
          const response = await api(web, '/api/v1/runs', { method: 'POST', body, headers });
          statuses.push(response.status);
          if (response.status !== 201 && response.status !== 200)
            throw new Error(`POST /api/v1/runs on web ${web.name}: ${response.status} ${await response.text()}`);
          triggered++;
          return ((await response.json()) as { id: string }).id;
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('POST')) throw error;
          failovers.push(`run ${index}: web ${web.name} ${(error as Error).message}`);
        }
      }
      throw new Error(`run ${index}: no web process answered`);
    };
    const triggers: string[] = [];
    let next = 0;
    // Four clients at a time.
    const triggering = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < RUNS) triggers.push(await trigger(next++));
      }),
    );
    // Web b dies with requests in flight; the load balancer stops sending to it once it is gone.
    const killWeb = waitFor(async () => triggered >= RUNS / 3 || undefined, { timeoutMs: 120_000, intervalMs: 10, description: 'a third of the triggers' }).then(
      async () => {
        await webB.process.kill();
        webB.isUp = false;
      },
    );
    // Worker 1 dies once the server has seen about a third of the calls: both workers hold runs mid-way.
    const killWorker = waitFor(
      async () => ((await readFixtureConcurrency(fixture.url, COUNTER)).calls >= (RUNS * STEPS_PER_RUN) / 3 ? true : undefined),
      { timeoutMs: 150_000, intervalMs: 200, description: 'a third of the calls at the server' },
    ).then(() => first.process.kill());
    await Promise.all([triggering, killWeb, killWorker]);

    expect(new Set(triggers).size).toBe(RUNS);
    const listed = await waitFor(
      async () => {
        const page = (await (await api(webA, '/api/v1/runs?workflow=scale-out&limit=100')).json()) as { items: { id: string; status: string }[] };
        return page.items.every((r) => r.status === 'succeeded' || r.status === 'failed' || r.status === 'cancelled') ? page.items : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 500, description: 'every run to end' },
    );
    // One run per Idempotency-Key, whichever web process (or both) received it.
    expect(listed.map((r) => r.id).sort()).toEqual([...triggers].sort());
    runs = await Promise.all(triggers.map(async (id) => (await (await api(webA, `/api/v1/runs/${id}`)).json()) as RunView));
    console.log(
      `scale-out: ${runs.length} runs, ${runs.filter((r) => r.status === 'succeeded').length} succeeded; trigger answers ${JSON.stringify(
        Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])),
      )}; ${failovers.length} requests failed over to the other web process`,
    );
    expect(runs.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
    for (const run of runs) {
      expect(run.steps.map((s) => s.key).sort()).toEqual(['call1', 'call2']);
      for (const step of run.steps) expect(step.attempts.filter((a) => a.status === 'succeeded')).toHaveLength(1);
    }
  }, 300_000);

  it('moved runs in flight on the killed worker to the surviving one', async () => {
    expect(runs).toHaveLength(RUNS);
    let moved = 0;
    for (const run of runs) {
      const history = await temporal.env.client.workflow.getHandle(`run-${run.id}`).fetchHistory();
      const identities = new Set((history.events ?? []).map((e) => e.workflowTaskStartedEventAttributes?.identity).filter(Boolean));
      if (identities.has(killedIdentity) && identities.has(survivorIdentity)) moved++;
    }
    console.log(`scale-out: ${moved} runs started on the killed worker (${killedIdentity}) and finished on ${survivorIdentity}`);
    expect(moved).toBeGreaterThan(0);
  });

  it(`kept at most ${MAX_CONCURRENCY} calls in flight at the server across both workers, and the killed worker's slots free themselves`, async () => {
    const stats = await readFixtureConcurrency(fixture.url, COUNTER);
    console.log(`scale-out: server max in flight ${stats.maxInFlight} (cap ${MAX_CONCURRENCY})`);
    expect(stats.maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENCY);
    // The cap was reached, not merely unneeded: several calls ran at once (from either worker).
    expect(stats.maxInFlight).toBeGreaterThan(1);
    await waitFor(async () => (await services.installationLimits.status(team, 'fixture')).inFlight === 0 || undefined, {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: 'every concurrency lease (the dead worker’s included) to be returned or expire',
    });
  });

  // The target, once every call that reaches a server is recorded with its own attempt (repeats after a crash
  // included) and an attempt says whether it was sent: server calls == attempts sent. Today neither direction is
  // exact: a short call the killed worker had in flight (or had finished, before Temporal learnt it) is repeated
  // without a row of its own, and an attempt killed while still waiting for a slot is closed `outcome_unknown` though
  // it never reached the server. What holds now: every attempt known to be sent arrived; the rest is printed.
  it('received at the server every call recorded as sent; the calls without a row of their own are printed', async () => {
    expect(runs).toHaveLength(RUNS);
    const attempts = runs.flatMap((r) => r.steps.filter((s) => s.kind === 'tool').flatMap((s) => s.attempts));
    const outcomeOf = (a: (typeof attempts)[number]) => a.errorClass ?? a.status;
    const byOutcome = Object.fromEntries([...new Set(attempts.map(outcomeOf))].map((k) => [k, attempts.filter((a) => outcomeOf(a) === k).length]));
    const sent = attempts.filter((a) => !NEVER_SENT.includes(outcomeOf(a)) && outcomeOf(a) !== 'outcome_unknown');
    const unknown = attempts.filter((a) => outcomeOf(a) === 'outcome_unknown').length;
    const { calls } = await readFixtureConcurrency(fixture.url, COUNTER);
    console.log(
      `scale-out: server received ${calls} calls (${RUNS * STEPS_PER_RUN} steps); ${attempts.length} attempt rows ${JSON.stringify(byOutcome)}: ` +
        `${sent.length} sent, ${unknown} outcome unknown; ${calls - sent.length} server calls beyond the rows known to be sent`,
    );
    expect(sent.filter((a) => a.status === 'succeeded')).toHaveLength(RUNS * STEPS_PER_RUN);
    expect(calls).toBeGreaterThanOrEqual(sent.length);
  });
});
