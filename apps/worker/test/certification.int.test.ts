// Certification end to end on Temporal: real servers from npm and fixture servers built to fail one check
// each land in the tier the rules predict, with the failing evidence named; history, tier-drop alerts,
// re-certification of a new version, and the team's minimum-tier policy at run start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type Check } from '@manifold/core';
import { createPrivateServer, listTierAlerts, inTeam } from '@manifold/db';
import type { ActingContext, CertificationReport } from '@manifold/services';
import { fixtureStdioCommand, startFixtureHttpServer, type RunningHttpServer } from '@manifold/testing';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;
let openRemote: RunningHttpServer;

/** A private fixture entry with complete metadata, so only the behaviour under test can cost it tier. */
async function fixtureEntry(
  slug: string,
  env: Record<string, string> = {},
  transport: 'stdio' | 'http' = 'stdio',
  url: string | null = null,
) {
  const command = transport === 'stdio' ? fixtureStdioCommand(env) : [];
  await createPrivateServer(platform.db, team.teamId, {
    slug,
    name: slug,
    description: 'Fixture server',
    version: '1.0.0',
    transport,
    command,
    url,
    repository: 'https://github.com/manifold/fixture',
    tags: ['fixture'],
    metadata: {
      name: `io.manifold.test/${slug}`,
      ...(transport === 'stdio'
        ? { packages: [{ registryType: 'npm', identifier: 'fixture', transport: { type: 'stdio' }, environmentVariables: [] }] }
        : { remotes: [{ type: 'streamable-http', url }] }),
      _meta: {
        'io.manifold/catalog': {
          license: 'MIT',
          releasedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
          probe: { tool: 'echo', arguments: { message: 'probe' } },
        },
      },
    },
  });
}

const failed = (report: CertificationReport) => report.checks.filter((c: Check) => !c.passed && !c.skipped).map((c) => c.id);

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('certify');
  openRemote = await startFixtureHttpServer();
  await fixtureEntry('fixture-good');
  // Past the widened p95 budget (2.5 s, see platform.ts) by sleeping: slow whatever the machine's load.
  await fixtureEntry('fixture-slow', { FIXTURE_LATENCY_MS: '3000' });
  await fixtureEntry('fixture-flaky', { FIXTURE_ECHO_FAIL_EVERY: '4' });
  await fixtureEntry('fixture-poisoned', { FIXTURE_POISON_DESCRIPTION: '1' });
  await fixtureEntry('fixture-open-remote', {}, 'http', openRemote.url);
});

afterAll(async () => {
  await openRemote?.stop();
  await platform?.stop();
});

const certify = (slug: string, probeCalls = 20) => platform.services.certification.certify(team, slug, { probeCalls });

describe('certification of fixture servers built to fail one check', () => {
  it('certifies a well-behaved, fully described server', async () => {
    const result = await certify('fixture-good');
    expect(result.tier).toBe('certified');
    expect(failed(result.report)).toEqual([]);
    expect(result.report.latency.probeMs).toHaveLength(20);
  });

  it('a slow server is community: the performance floor fails on the latency checks', async () => {
    const result = await certify('fixture-slow', 5);
    expect(result.tier).toBe('community');
    expect(failed(result.report)).toEqual(expect.arrayContaining(['call_p50', 'call_p95']));
    expect(result.reasons.join('\n')).toMatch(/verified needs performance \d+ < 60/);
    // The sweep below re-measures every certified entry: this one would sleep through a minute of probes there.
    await platform.services.catalog.remove(team, 'fixture-slow', { force: 'true' });
  });

  it('a flaky server is community: the probe success rate fails', async () => {
    const result = await certify('fixture-flaky');
    expect(result.tier).toBe('community');
    expect(failed(result.report)).toContain('probe_success_rate');
    expect(result.report.checks.find((c) => c.id === 'probe_success_rate')!.detail).toMatch(/15\/20 tools\/call echo probes succeeded/);
  });

  it('a poisoned tool description costs certification: verified, with the markers named', async () => {
    const result = await certify('fixture-poisoned');
    expect(result.tier).toBe('verified');
    expect(failed(result.report)).toEqual(['no_prompt_injection']);
    const detail = result.report.checks.find((c) => c.id === 'no_prompt_injection')!.detail;
    expect(detail).toMatch(/"echo" \(.*invisible or zero-width characters.*hidden-instruction tags/);
    expect(detail).toMatch(/credentials or private files/);
  });

  it('an unauthenticated plain-http remote is verified at most: TLS and auth checks fail', async () => {
    const result = await certify('fixture-open-remote');
    expect(result.tier).toBe('verified');
    expect(failed(result.report).sort()).toEqual(['remote_requires_auth', 'remote_tls']);
    expect(result.report.checks.find((c) => c.id === 'remote_requires_auth')!.detail).toBe('Accepted a session without any credentials.');
  });
});

describe('certification of real servers', () => {
  it.each(['server-everything', 'server-memory'])('certifies %s and keeps the evidence', async (slug) => {
    const result = await certify(slug);
    console.info(`[certification] ${slug}: ${result.tier} ${JSON.stringify(result.scores)} failed: ${failed(result.report).join(', ')}`);
    expect(['community', 'verified', 'certified']).toContain(result.tier);
    expect(result.report.checks.find((c) => c.id === 'initialize_well_formed')!.passed).toBe(true);
    expect(result.report.checks.find((c) => c.id === 'no_prompt_injection')!.passed).toBe(true);
    const history = await platform.services.certification.history(team, slug);
    expect(history.items[0]!.id).toBe(result.certificationId);
  });

  it('names the secret echo of server-everything: its read-only get-env probe prints the canary variable', async () => {
    const [latest] = (await platform.services.certification.history(team, 'server-everything')).items;
    const report = await platform.services.certification.report(team, latest!.id);
    expect(report.latency.probeMethod).toBe('tools/call get-env');
    expect(report.checks.find((c) => c.id === 'no_secret_echo')).toMatchObject({
      passed: false,
      detail: expect.stringMatching(/canary secret came back/),
    });
  });
});

describe('tier history, re-certification and policy', () => {
  it('re-certifies a new version on the schedule workflow, and flags the tier drop to teams using the server', async () => {
    await platform.services.installations.install(team, { server: 'fixture-good', name: 'good' });
    // A "new release" that became flaky.
    await inTeam(platform.db, team.teamId, (tx) =>
      tx.mcpServer.updateMany({
        where: { slug: 'fixture-good', teamId: team.teamId },
        data: { version: '1.1.0', command: fixtureStdioCommand({ FIXTURE_ECHO_FAIL_EVERY: '2' }) },
      }),
    );
    const handle = await platform.client.workflow.start('recertifyServers', {
      taskQueue: platform.taskQueue,
      workflowId: `recertify-${Date.now()}`,
      args: [],
    });
    const sweep = (await handle.result()) as { certified: number; failed: number };
    expect(sweep.failed).toBe(0);
    const history = await platform.services.certification.history(team, 'fixture-good');
    expect(history.items.slice(0, 2).map((c) => [c.serverVersion, c.tier, c.trigger])).toEqual([
      ['1.1.0', 'community', 'new_version'],
      ['1.0.0', 'certified', 'manual'],
    ]);
    const alerts = await listTierAlerts(platform.db, team.teamId);
    expect(alerts.map((a) => [a.serverSlug, a.fromTier, a.toTier])).toEqual([['fixture-good', 'certified', 'community']]);
  });

  it('refuses to start a run using a server below the team minimum tier', async () => {
    await platform.services.workflows.create(team, {
      slug: 'uses-good',
      name: 'uses good',
      definition: { steps: [{ id: 'say', type: 'tool', server: 'good', tool: 'echo', args: { message: 'hi' } }] },
    });
    await platform.services.certification.setPolicy(team, { minTier: 'verified' });
    const error = await platform.services.runs.trigger(team, { workflow: 'uses-good', input: {} }, null).then(
      () => undefined,
      (e: unknown) => e as AppError,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error!.message).toMatch(/"good" \(fixture-good: community\), below this team's minimum tier "verified"/);
    expect(error!.options.fieldErrors?.[0]?.path).toBe('definition.steps[0].tool');
    await platform.services.certification.setPolicy(team, { minTier: 'community' });
    const { runId } = await platform.services.runs.trigger(team, { workflow: 'uses-good', input: {} }, null);
    expect(runId).toBeTruthy();
  });

  it('hides a private server’s reports from other teams', async () => {
    const other = await platform.newTeam('other');
    const [latest] = (await platform.services.certification.history(team, 'fixture-good')).items;
    const error = await platform.services.certification.report(other, latest!.id).catch((e: unknown) => e as AppError);
    expect((error as AppError).code).toBe('not_found');
  });
});
