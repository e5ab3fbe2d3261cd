// The hostile-tenant suite (issue #7): through the real run path (Temporal, Postgres, the sandboxed pool, the egress
// gateway), team A's own server and the public catalog servers try every escape the security test found. Each
// attempt fails with a clear error, and team B's data, team B's secret and the worker stay intact.
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@manifold/core';
import { createPrivateServer } from '@manifold/db';
import type { ActingContext, RunView } from '@manifold/services';
import { repoRoot } from '@manifold/testing';
import { startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

const FIXTURES = path.join(repoRoot(), 'packages/mcp/test/fixtures');
const B_SECRET = `b-confidential-${process.pid}-${Date.now()}`;
const isRoot = process.getuid?.() === 0;

let platform: Platform;
let teamA: ActingContext;
let teamB: ActingContext;
/** A loopback "database host" that is not Manifold's: a TCP relay to the machine's Postgres on a port of its own. */
let otherDatabase: net.Server;

const dataDir = () => `/tmp/manifold-test-${platform.taskQueue}`;

/** One tool call as a one-step run, never retried: the first answer is the one under test. */
async function call(team: ActingContext, server: string, tool: string, args: Record<string, unknown> = {}): Promise<RunView> {
  const runId = await startAdHocRun(
    platform.services,
    team,
    { steps: [{ id: 'probe', type: 'tool', server, tool, args, retry: { maxAttempts: 1 } }], output: { text: '{{ $steps.probe.text }}' } },
    {},
    'hostile',
  );
  return waitForRunEnd(platform.services, team, runId, 90_000);
}

/** The hostile fixture's answer to a read-style probe: { ok, code, ... } as it saw it from inside. */
async function probe(team: ActingContext, tool: string, args: Record<string, unknown> = {}) {
  const run = await call(team, 'hostile', tool, args);
  expect(run.status, JSON.stringify(run.steps)).toBe('succeeded');
  return JSON.parse((run.output as { text: string }).text) as { ok: boolean; code?: string; text?: string; entries?: string[] } & Record<string, unknown>;
}

const stepError = (run: RunView) => JSON.stringify(run.steps[0]?.error ?? null);

async function expectRefused(promise: Promise<unknown>, path: RegExp) {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(JSON.stringify((error as AppError).options.fieldErrors ?? [])).toMatch(path);
}

async function addHostileServer(team: ActingContext) {
  await createPrivateServer(platform.db, team.teamId, {
    slug: 'hostile',
    name: 'Hostile fixture',
    description: 'Tries to escape its sandbox',
    version: '1.0.0',
    transport: 'stdio',
    command: [process.execPath, path.join(FIXTURES, 'hostile-server.mjs')],
    url: null,
    repository: null,
    tags: [],
    metadata: {
      packages: [
        {
          registryType: 'npm',
          identifier: 'hostile-fixture',
          transport: { type: 'stdio' },
          environmentVariables: [{ name: 'API_KEY', description: 'A credential', isSecret: true }],
        },
      ],
    },
  });
}

beforeAll(async () => {
  platform = await startPlatform({ sandbox: true, allowedCommands: [process.execPath], sandboxReadOnlyPaths: [FIXTURES] });
  [teamA, teamB] = await Promise.all([platform.newTeam('attacker'), platform.newTeam('victim')]);
  await Promise.all([addHostileServer(teamA), addHostileServer(teamB)]);
  await platform.services.secrets.create(teamB, { name: 'B_KEY', value: B_SECRET });
  await platform.services.installations.install(teamB, { server: 'hostile', name: 'hostile', config: { env: { API_KEY: '{{ secrets.B_KEY }}' } } });
  await platform.services.installations.install(teamA, { server: 'hostile', name: 'hostile' });
  for (const team of [teamA, teamB]) {
    await platform.services.installations.install(team, { server: 'server-memory', name: 'memory' });
    await platform.services.installations.install(team, { server: 'server-everything', name: 'everything' });
    await platform.services.installations.install(team, { server: 'server-filesystem', name: 'disk' });
  }
  // Team B writes something confidential and keeps a server process (with its secret in its env) running.
  const created = await call(teamB, 'memory', 'create_entities', {
    entities: [{ name: 'B-confidential', entityType: 'secret', observations: ['the merger closes on Friday'] }],
  });
  expect(created.status, stepError(created)).toBe('succeeded');
  expect((await probe(teamB, 'identity')).uid).toBeTypeOf('number');

  otherDatabase = net.createServer((client) => {
    const upstream = net.connect(5432, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => otherDatabase.listen(0, '127.0.0.1', resolve));
}, 240_000);

afterAll(async () => {
  otherDatabase?.close();
  await platform?.stop();
});

describe("a team's own server, from inside its sandbox", () => {
  it('runs as a uid of its own, sees only its own processes and exactly the environment it was given', async () => {
    const [a, b] = [await probe(teamA, 'identity'), await probe(teamB, 'identity')];
    if (isRoot) {
      expect(a.uid).not.toBe(0);
      expect(a.uid).not.toBe(b.uid);
    }
    expect(a.pids).not.toContain(process.pid);
    const env = a.env as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual(expect.not.arrayContaining(['MANIFOLD_MASTER_KEYS', 'DATABASE_URL', 'AUTH_SECRET', 'API_KEY']));
    expect(JSON.stringify(env)).not.toContain(B_SECRET);
    expect(env.HOME).toBe(a.cwd);
    expect(String(a.cwd)).toContain(teamA.teamId);
  });

  it("cannot read the worker's environment, its checkout, .env, another team's folder or /etc/shadow", async () => {
    const bFolder = path.join(dataDir(), 'servers', teamB.teamId);
    const attempts: Array<[string, Record<string, unknown>, RegExp]> = [
      ['read_file', { path: `/proc/${process.pid}/environ` }, /ENOENT/],
      ['read_file', { path: path.join(repoRoot(), '.env') }, /ENOENT/],
      ['read_file', { path: path.join(repoRoot(), 'package.json') }, /ENOENT/],
      ['list_dir', { path: bFolder }, /ENOENT/],
      ['read_file', { path: '/etc/shadow' }, /EACCES/],
    ];
    for (const [tool, args, code] of attempts) {
      const answer = await probe(teamA, tool, args);
      expect(answer.ok, `${tool} ${JSON.stringify(args)}`).toBe(false);
      expect(answer.code, `${tool} ${JSON.stringify(args)}`).toMatch(code);
    }
    // The data dir's skeleton above its own folder holds only its own path (mount points), never another team's.
    const servers = await probe(teamA, 'list_dir', { path: path.join(dataDir(), 'servers') });
    expect(servers.ok ? servers.entries : []).not.toContain(teamB.teamId);
    // Its pid 1 is the sandbox's own init, whose environment is the server's: nothing of the worker's or team B's.
    const init = await probe(teamA, 'read_file', { path: '/proc/1/environ' });
    expect(String(init.text ?? '')).not.toMatch(/MANIFOLD_MASTER_KEYS|DATABASE_URL/);
    expect(String(init.text ?? '')).not.toContain(B_SECRET);
  });

  it('cannot write outside its folder; its /tmp is its own', async () => {
    for (const target of ['/usr/local/hostile', '/etc/hostile', path.join(repoRoot(), 'hostile')]) {
      const answer = await probe(teamA, 'write_file', { path: target, text: 'x' });
      // A checkout under /tmp (a CI clone) lies inside the sandbox's own /tmp: the write lands in its tmpfs.
      if (!target.startsWith('/tmp/')) {
        expect(answer.ok, target).toBe(false);
        expect(answer.code, target).toMatch(/EROFS|EACCES|ENOENT/);
      }
      expect(existsSync(target), target).toBe(false);
    }
    // /tmp (and, in this suite, the data dir under it) is a tmpfs of the sandbox's own: a write lands nowhere else.
    for (const target of [`/tmp/hostile-${process.pid}`, path.join(dataDir(), 'servers', teamB.teamId, 'hostile')]) {
      await probe(teamA, 'write_file', { path: target, text: 'x' });
      expect(existsSync(target), target).toBe(false);
    }
  });

  it('has no network: not Postgres over TCP or its unix socket, not the worker, not the outside', async () => {
    for (const [args, code] of [
      [{ host: '127.0.0.1', port: 5432 }, /ECONNREFUSED/],
      [{ host: '127.0.0.1', port: (otherDatabase.address() as net.AddressInfo).port }, /ECONNREFUSED/],
      [{ host: '1.1.1.1', port: 443 }, /ENETUNREACH|EHOSTUNREACH/],
    ] as const) {
      const answer = await probe(teamA, 'connect_tcp', args);
      expect(answer, JSON.stringify(args)).toMatchObject({ ok: false, code: expect.stringMatching(code) });
    }
    const socket = await probe(teamA, 'connect_unix', { path: '/var/run/postgresql/.s.PGSQL.5432' });
    expect(socket).toMatchObject({ ok: false, code: 'ENOENT' });
  });

  it('a fork bomb and a memory hog end with their limit named, and the next call works again', async () => {
    const forks = await call(teamA, 'hostile', 'fork_bomb', { count: 500 });
    expect(forks.status).toBe('failed');
    expect(stepError(forks)).toMatch(/process(es)? limit/);
    const memory = await call(teamA, 'hostile', 'allocate', { mib: 4096 });
    expect(memory.status).toBe('failed');
    expect(stepError(memory)).toMatch(/memory limit \(512 MiB\)/);
    expect((await probe(teamA, 'identity')).uid).toBeTypeOf('number');
  });

  it('loader variables and undeclared settings are refused when installing, naming the field', async () => {
    await expectRefused(
      platform.services.installations.install(teamA, { server: 'hostile', name: 'preload', config: { env: { LD_PRELOAD: '/tmp/x.so' } } }),
      /config\.env\.LD_PRELOAD/,
    );
    await expectRefused(
      platform.services.installations.install(teamA, { server: 'hostile', name: 'opts', config: { env: { NODE_OPTIONS: '--require /tmp/x.js' } } }),
      /config\.env\.NODE_OPTIONS/,
    );
    await expectRefused(
      platform.services.installations.install(teamA, { server: 'hostile', name: 'args', config: { args: { '--root': '/' } } }),
      /config\.args/,
    );
  });
});

describe("the issue's probes, replayed through public catalog servers", () => {
  it('server-filesystem cannot be rooted at "/" or outside its folder, and reads nothing outside it', async () => {
    await expectRefused(platform.services.installations.install(teamA, { server: 'server-filesystem', name: 'root', config: { args: ['/'] } }), /config\.args/);
    for (const directory of ['/', '../..', '/proc'])
      await expectRefused(
        platform.services.installations.install(teamA, { server: 'server-filesystem', name: 'root', config: { args: { directory } } }),
        /config\.args\.directory/,
      );
    for (const file of ['/proc/self/environ', `/proc/${process.pid}/environ`, path.join(repoRoot(), '.env'), '/etc/hostname']) {
      const read = await call(teamA, 'disk', 'read_text_file', { path: file });
      expect(read.status, file).toBe('failed');
      expect(stepError(read), file).toMatch(/outside allowed directories|ENOENT|EACCES/i);
    }
  });

  it("server-memory keeps one file per installation: team A never sees team B's entities", async () => {
    const graph = await call(teamA, 'memory', 'read_graph');
    expect(graph.status, stepError(graph)).toBe('succeeded');
    expect(JSON.stringify(graph.output)).not.toContain('B-confidential');
    const own = await call(teamB, 'memory', 'read_graph');
    expect(JSON.stringify(own.output)).toContain('B-confidential');
  });

  it("server-everything's URL fetch reaches neither Temporal nor the metadata address", async () => {
    for (const url of [`http://${platform.temporal.address}/api/v1/namespaces`, 'http://169.254.169.254/latest/meta-data/']) {
      const fetched = await call(teamA, 'everything', 'gzip-file-as-resource', { name: 'x.gz', data: url, outputType: 'resource' });
      expect(fetched.status, url).toBe('failed');
      expect(stepError(fetched), url).toMatch(/fetch failed|ENETUNREACH|ECONNREFUSED|network/i);
    }
  });

  it("server-postgres cannot reach Manifold's own database, but reaches the host its installation names", async () => {
    const own = new URL(platform.databaseUrl);
    const relay = new URL(platform.databaseUrl);
    relay.port = String((otherDatabase.address() as net.AddressInfo).port);
    await platform.services.secrets.create(teamA, { name: 'MANIFOLD_DB', value: own.toString() });
    await platform.services.secrets.create(teamA, { name: 'OTHER_DB', value: relay.toString() });
    // A credential in plain config is refused: connection strings are bound from secrets.
    await expectRefused(
      platform.services.installations.install(teamA, { server: 'server-postgres', name: 'plain', config: { args: { connectionString: own.toString() } } }),
      /config\.args\.connectionString/,
    );
    await platform.services.installations.install(teamA, {
      server: 'server-postgres',
      name: 'manifold-db',
      config: { args: { connectionString: '{{ secrets.MANIFOLD_DB }}' } },
    });
    await platform.services.installations.install(teamA, {
      server: 'server-postgres',
      name: 'other-db',
      config: { args: { connectionString: '{{ secrets.OTHER_DB }}' } },
    });
    const refused = await call(teamA, 'manifold-db', 'query', { sql: 'SELECT current_user' });
    expect(refused.status).toBe('failed');
    expect(refused.steps[0]?.error).toMatchObject({ errorClass: 'network_blocked' });
    expect(stepError(refused)).toMatch(new RegExp(`egress proxy refused 127\\.0\\.0\\.1:${own.port}: .*Manifold`));
    expect(stepError(refused)).not.toContain(own.password || '\u0000');
    const allowed = await call(teamA, 'other-db', 'query', { sql: 'SELECT 41 + 1 AS answer' });
    expect(allowed.status, stepError(allowed)).toBe('succeeded');
    expect(JSON.stringify(allowed.output)).toContain('42');
  });
});

describe('the policy is part of the certification evidence', () => {
  it('a certification of a stdio server records the sandbox it was measured in', async () => {
    const { report } = await platform.services.certification.certify(teamA, 'server-memory', { probeCalls: 5 });
    expect(report.sandbox).toMatchObject({ sandboxed: true, network: { mode: 'none' }, limits: { memoryMiB: 512, processes: 64 } });
  });
});

describe('afterwards', () => {
  it("team B's server, data and secret are intact, and nothing of B's reached A's runs", async () => {
    const b = await probe(teamB, 'identity');
    // B's server still has its secret (an echoed value comes back redacted, never in clear).
    expect((b.env as Record<string, string>).API_KEY).toBeTruthy();
    expect(JSON.stringify(b)).not.toContain(B_SECRET);
    const runs = await platform.services.runs.list(teamA, {});
    expect(JSON.stringify(runs)).not.toContain(B_SECRET);
    expect(JSON.stringify(runs)).not.toContain('B-confidential');
  });
});
