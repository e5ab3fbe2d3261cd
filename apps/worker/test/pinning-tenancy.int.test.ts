// Hostile-tenant probes of tool pinning and certification: a changed tool definition is held at call time
// without anyone listing tools; a new installation under another name cannot launder a changed tool set; a
// read-only key's tool listing starts no server and writes nothing; a team's certification of a public
// server through its own (broken, token-carrying) installation changes nothing any other team sees.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@manifold/core';
import { createSystemDatabase, inTeam, upsertPublicServer, type SystemDatabase } from '@manifold/db';
import type { ActingContext } from '@manifold/services';
import { freePort, rejectionOf, startFixtureHttpServer, type RunningHttpServer } from '@manifold/testing';
import { addFixtureServer, startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let system: SystemDatabase;

const refusal = (promise: Promise<unknown>) => rejectionOf(promise, AppError);
const POISON = { env: { FIXTURE_POISON_DESCRIPTION: '1' } };

/** Sets an installation's config directly (the probe is about pinning, not about which config the API accepts). */
async function setConfig(ctx: ActingContext, name: string, config: { env?: Record<string, string> }) {
  const installation = await platform.services.installations.get(ctx, name);
  await inTeam(platform.db, ctx.teamId, (tx) => tx.serverInstallation.update({ where: { id: installation.id }, data: { config } }));
}

/** An API key of the team with these scopes (what a route hands the services for a key). */
const apiKey = (team: ActingContext, id: string, scopes: string[]): ActingContext => ({
  teamId: team.teamId,
  actor: { type: 'apiKey', id },
  scopes,
});

const echoStep = (server: string) => ({ steps: [{ id: 'say', type: 'tool', server, tool: 'echo', args: { message: 'hi' } }] });

async function runEcho(ctx: ActingContext, server: string) {
  const runId = await startAdHocRun(platform.services, ctx, echoStep(server), {}, `echo-${server}`);
  return waitForRunEnd(platform.services, ctx, runId, 60_000);
}

beforeAll(async () => {
  platform = await startPlatform({ installationCacheMs: 0 });
  system = createSystemDatabase(platform.databaseUrl);
});

afterAll(async () => {
  await system?.$disconnect();
  await platform?.stop();
});

describe('pinning holds at call time', () => {
  let team: ActingContext;
  beforeAll(async () => {
    team = await platform.newTeam('call-time');
    await addFixtureServer(platform.db, team);
    await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
  });

  it('approves the first session of an installation its owner made, in the owner’s name', async () => {
    expect((await runEcho(team, 'fixture')).status).toBe('succeeded');
    const { snapshots, pending } = await platform.services.toolPinning.snapshots(team, 'fixture');
    expect(pending).toBeNull();
    expect(snapshots.map((s) => [s.status, s.approvedBy])).toEqual([['approved', `user:${team.actor.id}`]]);
  });

  it('holds a call whose tool description changed in a new session, without anyone listing tools; approval releases it', async () => {
    await setConfig(team, 'fixture', POISON); // a new pool key: the next call opens a new session
    const held = await runEcho(team, 'fixture');
    expect(held.status).toBe('failed');
    const attempts = held.steps[0]!.attempts;
    expect(attempts.map((a) => a.errorClass)).toEqual(['tools_held']); // not retried
    expect(attempts[0]!.errorMessage).toMatch(/Tool definitions of "fixture" changed; waiting for approval: "echo" was changed \(description\)/);

    const { pending } = await platform.services.toolPinning.snapshots(team, 'fixture');
    expect(pending?.changes).toEqual([expect.objectContaining({ tool: 'echo', kind: 'changed', fields: ['description'] })]);
    expect(attempts[0]!.errorMessage).toContain(pending!.id);

    await platform.services.toolPinning.approve(team, 'fixture', { snapshotId: pending!.id });
    // The same pooled session: its earlier verdict is checked again before it refuses.
    expect((await runEcho(team, 'fixture')).status).toBe('succeeded');
  });
});

describe('installing under a new name does not launder a tool set', () => {
  let team: ActingContext;
  let key: ActingContext;
  beforeAll(async () => {
    team = await platform.newTeam('launder');
    key = apiKey(team, 'key-without-approve', ['servers:read', 'servers:write', 'workflows:read', 'workflows:write', 'runs:read', 'runs:write']);
    await addFixtureServer(platform.db, team);
    await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
    expect((await platform.services.installations.listTools(team, 'fixture')).pinning?.status).toBe('approved');
  });

  it('a key without tools:approve installs a changed server under a new name: its first listing waits for approval', async () => {
    await platform.services.installations.install(key, { server: 'fixture', name: 'fixture-copy' });
    await setConfig(key, 'fixture-copy', POISON);
    const listing = await platform.services.installations.listTools(key, 'fixture-copy');
    expect(listing.source).toBe('live');
    expect(listing.pinning?.status).toBe('pending');
    expect(listing.pinning?.changes.every((c) => c.kind === 'added')).toBe(true);
    expect((await refusal(platform.services.toolPinning.approve(key, 'fixture-copy', {}))).code).toBe('forbidden');

    // Repointing a workflow at the new name: the run is refused at start.
    const error = await refusal(startAdHocRun(platform.services, key, echoStep('fixture-copy'), {}, 'repointed'));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/held: the definition of tool "echo" on "fixture-copy" changed/);
  });

  it('and never listed, the new installation’s calls are held at call time', async () => {
    await platform.services.installations.install(key, { server: 'fixture', name: 'fixture-unlisted' });
    await setConfig(key, 'fixture-unlisted', POISON);
    const run = await runEcho(key, 'fixture-unlisted');
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.attempts.map((a) => a.errorClass)).toEqual(['tools_held']);
    expect(run.steps[0]!.attempts[0]!.errorMessage).toMatch(/"fixture-unlisted" changed; waiting for approval: this installation's tools were never approved/);
  });

  it('an identical tool set of the same server is approved by the team’s approved snapshot', async () => {
    await platform.services.installations.install(key, { server: 'fixture', name: 'fixture-same' });
    const listing = await platform.services.installations.listTools(key, 'fixture-same');
    expect(listing.pinning?.status).toBe('approved');
    const { snapshots } = await platform.services.toolPinning.snapshots(key, 'fixture-same');
    expect(snapshots[0]!.approvedBy).toMatch(/^system:matches-snapshot:/);
    expect((await runEcho(key, 'fixture-same')).status).toBe('succeeded');
  });

  it('an owner’s installation in another team does not vouch for this team', async () => {
    const other = await platform.newTeam('launder-other');
    const otherKey = apiKey(other, 'other-key', ['servers:read', 'servers:write']);
    await addFixtureServer(platform.db, other);
    await platform.services.installations.install(otherKey, { server: 'fixture', name: 'fixture' });
    expect((await platform.services.installations.listTools(otherKey, 'fixture')).pinning?.status).toBe('pending');
  });
});

describe('listing tools with a read-only key', () => {
  let team: ActingContext;
  let readOnly: ActingContext;
  beforeAll(async () => {
    team = await platform.newTeam('read-only');
    readOnly = apiKey(team, 'read-only-key', ['servers:read']);
    await addFixtureServer(platform.db, team);
    await platform.services.installations.install(team, { server: 'fixture', name: 'listed' });
    await platform.services.installations.listTools(team, 'listed');
    await platform.services.installations.install(team, { server: 'fixture', name: 'never-listed' });
  });

  const teamRows = () =>
    inTeam(platform.db, team.teamId, async (tx) => ({
      snapshots: await tx.toolSnapshot.count({ where: { teamId: team.teamId } }),
      audit: await tx.auditLog.count({ where: { teamId: team.teamId } }),
      listedAt: (await tx.serverInstallation.findMany({ where: { teamId: team.teamId }, select: { name: true, toolsSnapshotAt: true } })).map(
        (i) => [i.name, i.toolsSnapshotAt?.toISOString() ?? null],
      ),
    }));

  it('returns the approved snapshot, starts no server process and writes nothing', async () => {
    const before = { pool: platform.pool.stats(), rows: await teamRows(), certifications: await system.certification.count() };
    const listed = await platform.services.installations.listTools(readOnly, 'listed');
    expect(listed.source).toBe('stored');
    expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'env']));
    expect(listed.pinning?.status).toBe('approved');
    const never = await platform.services.installations.listTools(readOnly, 'never-listed');
    expect(never).toMatchObject({ source: 'stored', tools: [] });

    expect(platform.pool.stats()).toEqual(before.pool);
    expect(await teamRows()).toEqual(before.rows);
    expect(await system.certification.count()).toBe(before.certifications);
  });

  it('refuses a live listing without servers:write', async () => {
    const error = await refusal(platform.services.installations.listTools(readOnly, 'never-listed', { live: true }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/"servers:write"/);
  });
});

describe('certification is tenant-scoped', () => {
  let remote: RunningHttpServer;
  let serverId: string;
  let teamA: ActingContext;
  let teamB: ActingContext;
  const token = `tok_A_${randomBytes(8).toString('hex')}`;
  const slug = 'public-remote-fixture';

  const viewOf = async (ctx: ActingContext) => ({
    tier: (await platform.services.catalog.get(ctx, slug)).item.tier,
    alerts: await platform.services.certification.alerts(ctx),
    history: (await platform.services.certification.history(ctx, slug)).items,
  });

  beforeAll(async () => {
    remote = await startFixtureHttpServer();
    const server = await upsertPublicServer(system, {
      slug,
      name: 'Public remote fixture',
      description: 'A public remote entry for the cross-tenant probes',
      version: '1.0.0',
      transport: 'http',
      command: [],
      url: remote.url,
      repository: 'https://github.com/manifold/fixture',
      tags: ['fixture'],
      metadata: {
        name: `io.manifold.test/${slug}`,
        remotes: [{ type: 'streamable-http', url: remote.url }],
        _meta: {
          'io.manifold/catalog': {
            license: 'MIT',
            releasedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
            probe: { tool: 'echo', arguments: { message: 'probe' } },
          },
        },
      },
    });
    serverId = server.id;
    // The system's certification of the canonical configuration: the tier every team sees.
    const canonical = await platform.client.workflow.execute('certifyServer', {
      taskQueue: platform.taskQueue,
      workflowId: `system-certify-${serverId}`,
      args: [{ serverId, trigger: 'schedule', probeCalls: 5 }],
    });
    expect((canonical as { tier: string }).tier).toBe('verified'); // plain http without auth: verified at most
    teamA = await platform.newTeam('certifier');
    teamB = await platform.newTeam('bystander');
    await platform.services.installations.install(teamB, { server: slug, name: 'remote' });
    const closed = await freePort();
    await platform.services.installations.install(teamA, {
      server: slug,
      name: 'remote',
      config: { url: `http://127.0.0.1:${closed}/mcp?api_key=${token}` },
    });
  });

  afterAll(async () => {
    await remote?.stop();
  });

  it('team A certifies through its broken, token-carrying installation: B’s tier, alerts and reports are unchanged', async () => {
    const beforeB = await viewOf(teamB);
    expect(beforeB.tier).toBe('verified');

    const result = await platform.services.certification.certify(teamA, slug, { installation: 'remote', probeCalls: 5 });
    expect(result.tier).toBe('unverified');
    expect(result.flaggedTeams).toBe(0);
    expect(result.report.scope).toBe('team');

    const afterB = await viewOf(teamB);
    expect(afterB).toEqual(beforeB);
    expect(afterB.history.map((c) => c.id)).not.toContain(result.certificationId);
    expect((await refusal(platform.services.certification.report(teamB, result.certificationId))).code).toBe('not_found');
    // Nor does A's own report set the public tier for A.
    expect((await viewOf(teamA)).tier).toBe('verified');
    expect((await viewOf(teamA)).history.find((c) => c.id === result.certificationId)?.scope).toBe('team');
  });

  it('keeps the token out of every stored and shown evidence, even for team A', async () => {
    const [row] = await system.certification.findMany({ where: { serverId, teamId: teamA.teamId } });
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row!.evidence)).toContain('api_key=redacted');
    const report = await platform.services.certification.report(teamA, row!.id);
    expect(JSON.stringify(report)).not.toContain(token);
    expect(JSON.stringify(await viewOf(teamB))).not.toContain(token);
  });

  it('a team’s certify without an installation measures the canonical configuration: a system evaluation', async () => {
    const result = await platform.services.certification.certify(teamB, slug, { probeCalls: 5 });
    expect(result.report.scope).toBe('system');
    expect(result.tier).toBe('verified');
    expect(result.report.latency.probeMs).toHaveLength(30); // the system's probe count, not the team's
    const seen = (await viewOf(teamA)).history.find((c) => c.id === result.certificationId);
    expect(seen?.scope).toBe('system'); // shared with every team
  });

  it('a system re-evaluation still sets the public tier (and its drop alerts every team using it)', async () => {
    await remote.stop();
    const again = (await platform.client.workflow.execute('certifyServer', {
      taskQueue: platform.taskQueue,
      workflowId: `system-recertify-${serverId}`,
      args: [{ serverId, trigger: 'schedule', probeCalls: 5 }],
    })) as { tier: string; flaggedTeams: number };
    expect(again.tier).toBe('unverified');
    expect(again.flaggedTeams).toBe(2); // A and B both use it
    expect((await viewOf(teamB)).tier).toBe('unverified');
    expect((await viewOf(teamB)).alerts.map((a) => [a.serverSlug, a.fromTier, a.toTier])).toEqual([[slug, 'verified', 'unverified']]);
  });
});
