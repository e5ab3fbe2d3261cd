// Calls the real /api/v1 route handlers in-process against a fresh database: two teams with data, API keys,
// and a `call()` that builds the Request and the route's params like Next does.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createDatabase,
  createInstallation,
  createRunOnce,
  createSystemDatabase,
  createUserWithTeam,
  createWorkflow,
  findServerForTeam,
  type Database,
} from '@manifold/db';
import { randomBytes } from 'node:crypto';
import { createKeyringWrapper, parseKeyring } from '@manifold/secrets';
import { API_SCOPES, createServices, createTemporalGateway, seedPublicCatalog, type Services } from '@manifold/services';
import { createTestDatabase, type TestDatabase } from '@manifold/testing';

export const API_DIR = fileURLToPath(new URL('../src/app/api/v1/', import.meta.url));

/** Every route file under /api/v1 as its URL pattern, e.g. "/api/v1/runs/[id]". */
export function listRouteFiles(dir = API_DIR): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...listRouteFiles(path));
    else if (name === 'route.ts') found.push(`/api/v1/${relative(API_DIR, dir)}`.replace(/\/$/, ''));
  }
  return found.sort();
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export async function loadRoute(pattern: string): Promise<Record<string, Handler>> {
  return (await import(join(API_DIR, pattern.replace(/^\/api\/v1\/?/, ''), 'route.ts'))) as Record<string, Handler>;
}

export interface TeamFixture {
  teamId: string;
  userId: string;
  installation: string;
  workflow: string;
  runId: string;
  apiKeyId: string;
  secret: string;
  /** Slug of a catalog entry private to this team. */
  privateServer: string;
}

export interface ApiHarness {
  db: Database;
  services: Services;
  a: TeamFixture;
  b: TeamFixture;
  /** A new key of `team` with these scopes (default: all). */
  key(team: TeamFixture, scopes?: readonly string[], expiresAt?: Date | null): Promise<{ id: string; key: string }>;
  call(
    pattern: string,
    method: string,
    options: {
      key: string;
      params?: Record<string, string>;
      body?: unknown;
      /** Sent as is (with `Content-Type: application/json`) instead of `body`. */
      rawBody?: string | ReadableStream<Uint8Array>;
      query?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
  stop(): Promise<void>;
}

/** A team entry's command must be a pinned package runner (or an operator-listed path); this harness never starts it. */
export const EVERYTHING_PINNED = ['npx', '-y', '@modelcontextprotocol/server-everything@2025.11.25', 'stdio'];

const definition = { steps: [{ id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'hi' } }] };

async function seedTeam(db: Database, services: Services, label: string): Promise<TeamFixture> {
  const { userId, teamId } = await createUserWithTeam(db, { email: `${label}@example.test`, passwordHash: 'unused', teamName: label });
  const actor = { type: 'user', id: userId } as const;
  const server = (await findServerForTeam(db, teamId, 'server-everything'))!;
  const installation = `${label}-everything`;
  await createInstallation(db, teamId, actor, { serverId: server.id, name: installation, config: {} });
  const workflow = `${label}-flow`;
  const created = await createWorkflow(db, teamId, actor, { slug: workflow, name: workflow, definition: definition as never });
  const { version } = await services.workflows.get({ teamId, actor, role: 'owner' }, workflow);
  const { run } = await createRunOnce(db, teamId, {
    workflowId: created.id,
    workflowVersionId: version.id,
    input: {},
    idempotencyKey: null,
    requestHash: 'x',
    actor,
  });
  const apiKey = await services.apiKeys.create({ teamId, actor, role: 'owner' }, { name: `${label} key`, scopes: ['runs:read'] });
  const secret = `${label.toUpperCase()}_TOKEN`;
  await services.secrets.create({ teamId, actor, role: 'owner' }, { name: secret, value: `${label}-secret-value` });
  const privateServer = `${label}-internal`;
  await services.catalog.create(
    { teamId, actor, role: 'owner' },
    { slug: privateServer, name: `${label} internal`, transport: 'stdio', command: EVERYTHING_PINNED },
  );
  return { teamId, userId, installation, workflow, runId: run.id, apiKeyId: apiKey.id, secret, privateServer };
}

/** Starts the harness. Call before importing any route module (they read the environment once). */
export async function startApiHarness(env: Record<string, string> = {}): Promise<ApiHarness> {
  const database: TestDatabase = await createTestDatabase();
  // The route modules read their configuration from the environment; restored in stop(), since test files
  // may share a worker process (and createTestDatabase needs the server's admin URL).
  // A throw-away keyring, as MANIFOLD_MASTER_KEYS gives it: the routes' own services read it from the environment.
  const keyring = `test:${randomBytes(32).toString('base64')}`;
  const overrides = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: '127.0.0.1:1', MANIFOLD_MASTER_KEYS: keyring, ...env };
  const saved = Object.fromEntries(Object.keys(overrides).map((key) => [key, process.env[key]]));
  Object.assign(process.env, overrides);
  const system = createSystemDatabase(database.url);
  await seedPublicCatalog(system).finally(() => system.$disconnect());
  const db = createDatabase(database.url, { maxConnections: 4 });
  const temporal = createTemporalGateway({ address: '127.0.0.1:1', namespace: 'default', taskQueue: 'unused' });
  const keyWrapper = createKeyringWrapper(parseKeyring(keyring));
  const services = createServices({ db, temporal, keyWrapper });
  const a = await seedTeam(db, services, 'alpha');
  const b = await seedTeam(db, services, 'bravo');
  return {
    db,
    services,
    a,
    b,
    async key(team, scopes = API_SCOPES, expiresAt = null) {
      const created = await services.apiKeys.create(
        { teamId: team.teamId, actor: { type: 'system' } },
        { name: 'test', scopes: [...scopes], ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
      );
      return { id: created.id, key: created.key };
    },
    async call(pattern, method, { key, params = {}, body, rawBody, query, headers: extra = {} }) {
      const route = await loadRoute(pattern);
      const handler = route[method];
      if (!handler) throw new Error(`${pattern} exports no ${method}`);
      let path = pattern;
      for (const [name, value] of Object.entries(params)) path = path.replace(`[${name}]`, encodeURIComponent(value));
      const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...extra };
      const sent = rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined);
      if (sent !== undefined) headers['content-type'] ??= 'application/json';
      const request = new Request(`http://manifold.test${path}${query ? `?${query}` : ''}`, {
        method,
        headers,
        ...(sent !== undefined ? { body: sent, duplex: 'half' } : {}),
      } as RequestInit);
      return handler(request, { params: Promise.resolve(params) });
    },
    async stop() {
      for (const [key, value] of Object.entries(saved))
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      await db.$disconnect();
      await temporal.close();
      await database.drop();
      // The route modules' own services (the globalThis singleton) hold a pool of their own; dropping the
      // database WITH (FORCE) above closes its connections.
    },
  };
}
