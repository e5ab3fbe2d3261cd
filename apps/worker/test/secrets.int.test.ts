// Secrets end to end against the real parts (Temporal dev server, Postgres, the fixture MCP server over stdio
// and HTTP, server-everything): injection into headers, env and declared arguments, the canary leak scan, the
// payload codec and online key rotation.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflowId } from '@manifold/core';
import { createPrivateServer, deleteTeam, listAuditLog } from '@manifold/db';
import { createKeyringWrapper, parseKeyring } from '@manifold/secrets';
import { createSecretVault, createServices, type ActingContext, type RunView } from '@manifold/services';
import {
  FIXTURE_SERVER_METADATA,
  fixtureStdioCommand,
  repoRoot,
  sha256Hex,
  startFixtureHttpServer,
  type RunningHttpServer,
} from '@manifold/testing';
import { waitForRunEnd } from './run-helpers';
import { columnsContaining, flatten, logCapture } from './leak-scan';
import { startPlatform, type Platform } from './platform';

const OLD_MASTER = `m1:${randomBytes(32).toString('base64')}`;
const NEW_MASTER = `m2:${randomBytes(32).toString('base64')}`;
// Unique per test run, so a hit can only come from this run.
const API_TOKEN = `canary-token-${randomUUID()}`;
const ENV_CANARY = `canary-env-${randomUUID()}`;
const ARG_CANARY = `canary-arg-${randomUUID()}`;
const INPUT_CANARY = `canary-input-${randomUUID()}`;

let platform: Platform;

/** The real `manifold` command line, against this platform's database. */
async function cli(masterKeys: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(`${repoRoot()}/node_modules/.bin/tsx`, ['apps/cli/src/main.ts', ...args], {
    cwd: repoRoot(),
    env: { ...process.env, DATABASE_URL: platform.databaseUrl, MANIFOLD_MASTER_KEYS: masterKeys },
  });
  return stdout;
}
let team: ActingContext;
let remote: RunningHttpServer;
const logs = logCapture();

const finished = (runId: string) => waitForRunEnd(platform.services, team, runId, 90_000);

// A team entry runs an absolute program the operator lists (MANIFOLD_ALLOWED_COMMANDS), as a team's own would.
const EVERYTHING_BIN = `${repoRoot()}/node_modules/.bin/mcp-server-everything`;

const FIXTURE_ENTRY = { version: '1.0.0', repository: null, tags: [], metadata: {}, description: 'Fixture' };

/** The remote fixture (it requires the API_TOKEN bearer header) in a team's catalog. */
function addHttpFixture(teamId: string) {
  return createPrivateServer(platform.db, teamId, {
    ...FIXTURE_ENTRY,
    slug: 'fixture-http',
    name: 'Fixture (http)',
    transport: 'http',
    command: [],
    url: remote.url,
  });
}

async function run(workflow: string, input: Record<string, unknown> = {}): Promise<RunView> {
  const { runId } = await platform.services.runs.trigger(team, { workflow, input }, null);
  return finished(runId);
}

beforeAll(async () => {
  // The worker knows both master keys; the newest (m2) wraps new keys. Secrets below are first written under m1.
  platform = await startPlatform({
    masterKeys: `${OLD_MASTER},${NEW_MASTER}`,
    logLevel: 'debug',
    logDestination: logs.sink,
    allowedCommands: [EVERYTHING_BIN],
  });
  team = await platform.newTeam('secrets');
  remote = await startFixtureHttpServer({ env: { FIXTURE_REQUIRE_HEADER: `Authorization: Bearer ${API_TOKEN}` } });
  await createPrivateServer(platform.db, team.teamId, {
    ...FIXTURE_ENTRY,
    slug: 'fixture-stdio',
    name: 'Fixture (stdio)',
    transport: 'stdio',
    command: fixtureStdioCommand(),
    url: null,
    metadata: FIXTURE_SERVER_METADATA,
  });
  // server-everything echoes its whole environment back (get-env): a private entry declaring CANARY, the
  // public one declares no variables.
  await createPrivateServer(platform.db, team.teamId, {
    ...FIXTURE_ENTRY,
    slug: 'everything-canary',
    name: 'Everything with a CANARY variable',
    transport: 'stdio',
    command: [EVERYTHING_BIN, 'stdio'],
    url: null,
    metadata: { packages: [{ registryType: 'npm', identifier: 'x', environmentVariables: [{ name: 'CANARY', isSecret: true }] }] },
  });
  await addHttpFixture(team.teamId);

  // Written by a process that only knows m1, as before a master key rotation.
  const oldServices = createServices({
    db: platform.db,
    temporal: platform.services as never,
    keyWrapper: createKeyringWrapper(parseKeyring(OLD_MASTER)),
  });
  await oldServices.secrets.create(team, { name: 'API_TOKEN', value: API_TOKEN, description: 'Remote fixture token' });
  await oldServices.secrets.create(team, { name: 'ENV_CANARY', value: ENV_CANARY });
  await oldServices.secrets.create(team, { name: 'ARG_CANARY', value: ARG_CANARY });

  const i = platform.services.installations;
  await i.install(team, {
    server: 'fixture-http',
    name: 'remote',
    config: { headers: { Authorization: 'Bearer {{ secrets.API_TOKEN }}' } },
  });
  await i.install(team, { server: 'fixture-stdio', name: 'local', config: { env: { API_KEY: '{{ secrets.ENV_CANARY }}' } } });
  // A credential the server takes as a declared argument, substituted at launch like env.
  await i.install(team, { server: 'fixture-stdio', name: 'by-arg', config: { args: { token: '{{ secrets.ARG_CANARY }}' } } });
  await i.install(team, { server: 'everything-canary', name: 'everything', config: { env: { CANARY: '{{ secrets.ENV_CANARY }}' } } });

  await platform.services.workflows.create(team, {
    slug: 'uses-secrets',
    name: 'uses secrets',
    definition: {
      input: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] },
      steps: [
        { id: 'remote', type: 'tool', server: 'remote', tool: 'echo', args: { message: '{{ $input.note }}' } },
        { id: 'local', type: 'tool', server: 'local', tool: 'env', args: { name: 'API_KEY' } },
        { id: 'echoed', type: 'tool', server: 'everything', tool: 'get-env', args: {} },
        { id: 'argument', type: 'tool', server: 'by-arg', tool: 'arg_token', args: {} },
      ],
      output: {
        note: '{{ $steps.remote.structuredContent.message }}',
        envHash: '{{ $steps.local.structuredContent.sha256 }}',
        argHash: '{{ $steps.argument.structuredContent.sha256 }}',
        echoed: '{{ $steps.echoed.text }}',
      },
    },
  });
}, 180_000);

afterAll(async () => {
  await remote?.stop();
  await platform?.stop();
});

describe('secrets end to end', () => {
  let runView: RunView;

  it('injects secrets as headers, env and declared arguments just in time; an echoed value comes back redacted', async () => {
    runView = await run('uses-secrets', { note: INPUT_CANARY });
    expect(runView.status, JSON.stringify(runView.steps.map((s) => s.error))).toBe('succeeded');
    const output = runView.output as { note: string; envHash: string; argHash: string; echoed: string };
    expect(output.note).toBe(INPUT_CANARY); // the remote server accepted the bound Authorization header
    expect(output.envHash).toBe(sha256Hex(ENV_CANARY)); // the stdio child received exactly the secret
    expect(output.argHash).toBe(sha256Hex(ARG_CANARY)); // and the one bound into its --token argument
    expect(output.echoed).toContain('CANARY');
    expect(output.echoed).toContain('[redacted]');
    expect(output.echoed).not.toContain(ENV_CANARY);
  });

  it('fails a step that binds a missing secret with a clear, non-retried error', async () => {
    await platform.services.installations.install(team, {
      server: 'fixture-http',
      name: 'unbound',
      config: { headers: { Authorization: 'Bearer {{ secrets.NOPE }}' } },
    });
    await platform.services.workflows.create(team, {
      slug: 'missing-secret',
      name: 'm',
      definition: { steps: [{ id: 'a', type: 'tool', server: 'unbound', tool: 'echo', args: { message: 'x' } }] },
    });
    const failed = await run('missing-secret');
    expect(failed.status).toBe('failed');
    expect(failed.steps[0]!.attempts).toHaveLength(1);
    expect(failed.steps[0]!.attempts[0]!.errorMessage).toMatch(/Secret "NOPE" not found/);
  });

  it('a team key wrapped by a master key the worker lacks fails the step once as config_error (not retried as transport)', async () => {
    // Another deployment's keyring wrote this team's data key: this worker's keyring cannot unwrap it.
    const other = await platform.newTeam('foreign-key');
    const foreign = createServices({
      db: platform.db,
      temporal: platform.services as never,
      keyWrapper: createKeyringWrapper(parseKeyring(`elsewhere:${randomBytes(32).toString('base64')}`)),
    });
    await foreign.secrets.create(other, { name: 'API_TOKEN', value: API_TOKEN });
    await addHttpFixture(other.teamId);
    await platform.services.installations.install(other, {
      server: 'fixture-http',
      name: 'remote',
      config: { headers: { Authorization: 'Bearer {{ secrets.API_TOKEN }}' } },
    });
    await platform.services.workflows.create(other, {
      slug: 'keyless',
      name: 'k',
      definition: {
        steps: [
          {
            id: 'a',
            type: 'tool',
            server: 'remote',
            tool: 'echo',
            args: { message: 'x' },
            retry: { maxAttempts: 4, initialInterval: '1s' },
          },
        ],
      },
    });
    try {
      const { runId } = await platform.services.runs.trigger(other, { workflow: 'keyless', input: {} }, null);
      const failed = await waitForRunEnd(platform.services, other, runId, 90_000);
      expect(failed.status).toBe('failed');
      expect(failed.steps[0]!.attempts.map((a) => a.errorClass)).toEqual(['config_error']);
      expect(failed.steps[0]!.attempts[0]!.errorMessage).toMatch(/MANIFOLD_MASTER_KEYS/);
    } finally {
      // The master-key rotation below walks every team: this one's key could not be re-wrapped here.
      await deleteTeam(platform.db, other.teamId);
    }
  });

  it('leaks the secret canaries nowhere: API responses, logs, Temporal history, any database column', async () => {
    const responses = JSON.stringify([
      await platform.services.runs.get(team, runView.id),
      await platform.services.secrets.list(team),
      await platform.services.secrets.get(team, 'API_TOKEN'),
      await platform.services.installations.list(team),
    ]);
    const history = flatten(await platform.temporal.env.client.workflow.getHandle(runWorkflowId(runView.id)).fetchHistory());
    const logText = logs.lines.join('');
    expect(logText).toContain('tool call succeeded'); // the capture works
    for (const canary of [API_TOKEN, ENV_CANARY, ARG_CANARY]) {
      expect(responses).not.toContain(canary);
      expect(logText).not.toContain(canary);
      expect(history).not.toContain(canary);
      expect(await columnsContaining(platform.databaseUrl, canary)).toEqual([]); // ciphertext included: it holds no clear text either
    }
    // The payload codec: Temporal holds the run's input and result only encrypted.
    expect(history).not.toContain(INPUT_CANARY);
    expect(history).toContain('binary/encrypted');
    expect(await columnsContaining(platform.databaseUrl, INPUT_CANARY)).toEqual(expect.arrayContaining(['Run.input'])); // Postgres keeps run records by design
  });

  it('audits each use once per (run, step, secret) with run, step and server', async () => {
    const { items } = await listAuditLog(platform.db, team.teamId, { limit: 200 });
    const uses = items.filter((e) => e.action === 'secret.used' && (e.metadata as { runId?: string }).runId === runView.id);
    expect(uses.map((e) => e.metadata).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [
        { name: 'API_TOKEN', version: 1, server: 'remote', runId: runView.id, stepKey: 'remote' },
        { name: 'ARG_CANARY', version: 1, server: 'by-arg', runId: runView.id, stepKey: 'argument' },
        { name: 'ENV_CANARY', version: 1, server: 'everything', runId: runView.id, stepKey: 'echoed' },
        { name: 'ENV_CANARY', version: 1, server: 'local', runId: runView.id, stepKey: 'local' },
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
  });

  it('rotates the master key while runs execute, after which the old master key can be retired', async () => {
    // Runs keep executing back to back for as long as the rotation command runs.
    let isRotating = true;
    const during: RunView[] = [];
    const traffic = (async () => {
      while (isRotating) during.push(await run('uses-secrets', { note: `during-${during.length}` }));
    })();
    const output = await cli(`${OLD_MASTER},${NEW_MASTER}`, 'secrets', 'rotate-master-key').finally(() => (isRotating = false));
    await traffic;
    expect(output).toContain('Re-wrapped 1 team data key(s) of 1 team(s) under master key "m2"');
    expect(during.length).toBeGreaterThan(0);
    for (const result of during) expect(result.status).toBe('succeeded');
    expect(await cli(`${OLD_MASTER},${NEW_MASTER}`, 'secrets', 'rotate-master-key')).toContain('Re-wrapped 0'); // idempotent

    const retired = createSecretVault({ db: platform.db, keyWrapper: createKeyringWrapper(parseKeyring(NEW_MASTER)) });
    const resolved = await retired.resolve(team.teamId, ['API_TOKEN', 'ENV_CANARY']);
    expect(resolved.values.get('API_TOKEN')).toBe(API_TOKEN);
    const { items } = await listAuditLog(platform.db, team.teamId, { limit: 200 });
    expect(items.find((e) => e.action === 'team_key.rewrapped')?.metadata).toMatchObject({ from: ['m1'], to: 'm2' });
  });

  it('rotates the team key and uses a new secret version on the next run (new pool session)', async () => {
    expect(await cli(NEW_MASTER, 'secrets', 'rotate-team-key', '--team', team.teamId)).toContain(
      'data key version 2, 3 secret version(s) re-encrypted',
    );
    const nextValue = `rotated-${randomUUID()}`;
    const updated = await platform.services.secrets.putVersion(team, 'ENV_CANARY', { value: nextValue });
    expect(updated.version).toBe(2);
    expect(JSON.stringify(updated)).not.toContain(nextValue);
    const after = await run('uses-secrets', { note: 'after rotation' });
    expect(after.status).toBe('succeeded');
    expect((after.output as { envHash: string }).envHash).toBe(sha256Hex(nextValue));
    const { items } = await listAuditLog(platform.db, team.teamId, { limit: 200 });
    expect(items.map((e) => e.action)).toEqual(expect.arrayContaining(['team_key.rotated', 'secret.version_added', 'secret.created']));
  });

  it('lists metadata with usage, and refuses to delete a secret in use unless forced', async () => {
    const list = await platform.services.secrets.list(team);
    expect(list.map((s) => [s.name, s.version, s.usedBy])).toEqual([
      ['API_TOKEN', 1, ['remote']],
      ['ARG_CANARY', 1, ['by-arg']],
      ['ENV_CANARY', 2, ['everything', 'local']],
    ]);
    expect(list[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    await expect(platform.services.secrets.delete(team, 'API_TOKEN')).rejects.toThrow(/used by "remote"/);
    await platform.services.secrets.delete(team, 'API_TOKEN', { force: 'true' });
    await expect(platform.services.secrets.get(team, 'API_TOKEN')).rejects.toThrow(/not found/);
    const other = await platform.newTeam('other');
    await expect(platform.services.secrets.get(other, 'ENV_CANARY')).rejects.toThrow(/not found/);
  });
});
