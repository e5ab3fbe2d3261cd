// Reconciliation between the run rows (Postgres) and their workflows (Temporal), against the real parts: a trigger
// while Temporal is unreachable starts when it is back (the run sweep schedule), a terminated workflow's run ends
// failed with the reason, a repeated request never makes a second run, and health tells when no worker polls.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, runWorkflowId, workflowDefinitionSchema } from '@manifold/core';
import { createServices, createTemporalGateway, RUN_SWEEP_SCHEDULE_ID, type ActingContext, type Services } from '@manifold/services';
import type { SweepRunsInput, SweepRunsResult } from '@manifold/workflows';
import { startTemporalTestServer, waitFor } from '@manifold/testing';
import { addFixtureServer, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

const LONG = { steps: [{ id: 'nap', type: 'tool', server: 'fixture', tool: 'slow', args: { ms: 120_000 } }] };

let platform: Platform;
let team: ActingContext;
/** The same application services, with a Temporal gateway pointed at a closed port: Temporal is down for them. */
let offline: Services;
const closeOffline: Array<() => Promise<void>> = [];

const finished = (runId: string) => waitForRunEnd(platform.services, team, runId, 120_000);

/** One sweep, run as the schedule runs it: the sweepRuns workflow on the platform's worker. */
const sweep = (input: SweepRunsInput = { startGraceMs: 0 }) =>
  platform.client.workflow.execute('sweepRuns', {
    taskQueue: platform.taskQueue,
    workflowId: `sweep-${randomUUID()}`,
    args: [input],
  }) as Promise<SweepRunsResult>;

const gatewayAt = (address: string, taskQueue = platform.taskQueue) => {
  const gateway = createTemporalGateway({ address, namespace: platform.temporal.namespace, taskQueue });
  closeOffline.push(() => gateway.close());
  return gateway;
};

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('reconcile');
  await addFixtureServer(platform.db, team);
  await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
  offline = createServices({ db: platform.db, temporal: gatewayAt('127.0.0.1:1') });
  await platform.services.workflows.create(team, {
    slug: 'echo',
    name: 'echo',
    definition: { steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: '{{ $input.message }}' } }] },
  });
}, 180_000);

afterAll(async () => {
  for (const close of closeOffline) await close();
  await platform?.stop();
});

describe('trigger while Temporal is unreachable', () => {
  it('accepts the run queued at once, and the run sweep schedule starts it when Temporal answers again', async () => {
    const began = Date.now();
    const accepted = await offline.runs.trigger(team, { workflow: 'echo', input: { message: 'late' } }, `offline-${randomUUID()}`);
    const tookMs = Date.now() - began;
    expect(accepted).toMatchObject({ created: true, dispatched: false });
    expect(tookMs).toBeLessThan(4_000);
    expect((await platform.services.runs.get(team, accepted.runId)).status).toBe('queued');

    // The schedule a worker creates at start, ticking fast: with its defaults it leaves a run 10 s to its request.
    await gatewayAt(platform.temporal.address).ensureRunSweepSchedule('1s');
    try {
      const run = await finished(accepted.runId);
      expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
      expect(JSON.stringify(run.output)).toContain('late');
      expect(run.steps[0]?.attempts).toHaveLength(1);
      console.log(`[reconcile] queued while Temporal was unreachable; started by the schedule ${Math.round((Date.now() - began) / 1000)} s after the trigger`);
    } finally {
      await platform.client.schedule.getHandle(RUN_SWEEP_SCHEDULE_ID).delete();
    }
  });

  it('a run that cannot start within its deadline fails as never_started, with the reason', async () => {
    const { runId } = await offline.runs.trigger(team, { workflow: 'echo', input: { message: 'never' } }, null);
    const result = await sweep({ startGraceMs: 0, neverStartedAfterMs: 0 });
    expect(result.settled).toContainEqual({ runId, status: 'failed', errorClass: 'never_started' });
    expect(result.skipped).toBe(0);
    const run = await platform.services.runs.get(team, runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ errorClass: 'never_started', message: expect.stringMatching(/could not be started/) });
  });

  it('a repeated request for a still-queued run starts the version the run pinned, not the current one', async () => {
    const v1 = { steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'v1' } }], output: '{{ "v1" }}' };
    const v2 = { steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'v2' } }], output: '{{ "v2" }}' };
    await platform.services.workflows.create(team, { slug: 'pinned', name: 'pinned', definition: v1 });
    const key = `pinned-${randomUUID()}`;
    const first = await offline.runs.trigger(team, { workflow: 'pinned', input: {} }, key);
    expect(first.dispatched).toBe(false);
    await platform.services.workflows.update(team, 'pinned', { definition: v2 });
    const repeated = await platform.services.runs.trigger(team, { workflow: 'pinned', input: {} }, key);
    expect(repeated).toMatchObject({ runId: first.runId, created: false, dispatched: true });
    const run = await finished(first.runId);
    expect(run).toMatchObject({ status: 'succeeded', output: 'v1' });
  });
});

describe('workflows that end in Temporal without recording it', () => {
  it('a workflow terminated in Temporal ends its run failed with the reason, and no attempt stays running', async () => {
    await platform.services.workflows.create(team, { slug: 'long', name: 'long', definition: LONG });
    const { runId } = await platform.services.runs.trigger(team, { workflow: 'long', input: {} }, null);
    await waitFor(async () => (await platform.services.runs.get(team, runId)).steps[0]?.attempts[0]?.status === 'running' || undefined, {
      timeoutMs: 60_000,
      intervalMs: 100,
      description: 'the call to be in flight',
    });
    await platform.client.workflow.getHandle(runWorkflowId(runId)).terminate('operator pulled the plug');
    const result = await sweep();
    expect(result.settled).toContainEqual({ runId, status: 'failed', errorClass: 'workflow_terminated' });
    const run = await platform.services.runs.get(team, runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ errorClass: 'workflow_terminated', message: expect.stringContaining('operator pulled the plug') });
    expect(run.steps[0]).toMatchObject({ status: 'failed' });
    expect(run.steps[0]!.attempts.every((a) => a.status !== 'running')).toBe(true);
    console.log(`[reconcile] terminated workflow → run failed: ${JSON.stringify(run.error)}`);

    // A second sweep finds nothing left to do for it.
    expect((await sweep()).settled.map((s) => s.runId)).not.toContain(runId);
  });

  it('a terminated run behind many older running runs is still found (Temporal lists the closed workflows)', async () => {
    const { runId: older } = await platform.services.runs.trigger(team, { workflow: 'long', input: {} }, null);
    const { runId: younger } = await platform.services.runs.trigger(team, { workflow: 'long', input: {} }, null);
    for (const runId of [older, younger])
      await waitFor(async () => (await platform.services.runs.get(team, runId)).status === 'running' || undefined, {
        timeoutMs: 60_000,
        intervalMs: 100,
        description: `run ${runId} to be running`,
      });
    await platform.client.workflow.getHandle(runWorkflowId(younger)).terminate('second one goes');
    // A sweep that looks at one running run only (the older, still fine) must find the younger through Temporal.
    await waitFor(async () => ((await sweep({ startGraceMs: 0, limit: 1 })).settled.some((s) => s.runId === younger) ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 500,
      description: "the sweep to see the terminated workflow in Temporal's visibility",
    });
    expect(await platform.services.runs.get(team, younger)).toMatchObject({ status: 'failed', error: { errorClass: 'workflow_terminated' } });
    expect((await platform.services.runs.get(team, older)).status).toBe('running');
    await platform.services.runs.cancel(team, older);
    expect((await finished(older)).status).toBe('cancelled');
  });

  it('a workflow that times out in Temporal ends its run failed as workflow_timed_out', async () => {
    // Started by hand with a short execution timeout, as an operator's own tooling might.
    const { runId } = await offline.runs.trigger(team, { workflow: 'long', input: {} }, null);
    await platform.client.workflow.start('interpretRun', {
      taskQueue: platform.taskQueue,
      workflowId: runWorkflowId(runId),
      args: [{ teamId: team.teamId, runId, definition: workflowDefinitionSchema.parse(LONG), input: {} }],
      workflowExecutionTimeout: '2s',
    });
    await waitFor(async () => ((await platform.client.workflow.getHandle(runWorkflowId(runId)).describe()).status.name === 'TIMED_OUT' ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: 'the workflow to time out',
    });
    await sweep();
    const run = await platform.services.runs.get(team, runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ errorClass: 'workflow_timed_out' });
  });
});

describe('nothing doubled', () => {
  it('a double submit with one idempotency key makes one run', async () => {
    const key = `double-${randomUUID()}`;
    const body = { workflow: 'echo', input: { message: 'once' } };
    const [a, b] = await Promise.all([platform.services.runs.trigger(team, body, key), platform.services.runs.trigger(team, body, key)]);
    expect(a.runId).toBe(b.runId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    await finished(a.runId);
    const runs = await platform.services.runs.list(team, { workflow: 'echo', limit: 100 });
    expect(runs.items.filter((r) => r.id === a.runId)).toHaveLength(1);
    const other = await platform.services.runs.trigger(team, { workflow: 'echo', input: { message: 'other' } }, key).catch((e: unknown) => e);
    expect((other as AppError).code).toBe('idempotency_conflict');
  });

  it('a double-clicked retry with one idempotency key makes one retry run; another run with that key is a conflict', async () => {
    await platform.services.workflows.create(team, {
      slug: 'fails',
      name: 'fails',
      definition: { steps: [{ id: 'boom', type: 'tool', server: 'fixture', tool: 'fail', args: { message: 'no' }, retry: { maxAttempts: 1 } }] },
    });
    const { runId } = await platform.services.runs.trigger(team, { workflow: 'fails', input: {} }, null);
    expect((await finished(runId)).status).toBe('failed');
    const key = `retry-${randomUUID()}`;
    const [a, b] = await Promise.all([platform.services.runs.retry(team, runId, key), platform.services.runs.retry(team, runId, key)]);
    expect(a.runId).toBe(b.runId);
    expect(a.retryOf).toBe(runId);
    await finished(a.runId);
    const retries = (await platform.services.runs.list(team, { workflow: 'fails', limit: 100 })).items.filter((r) => r.id !== runId);
    expect(retries).toHaveLength(1);
    const second = await platform.services.runs.trigger(team, { workflow: 'fails', input: {} }, key).catch((e: unknown) => e);
    expect((second as AppError).code).toBe('idempotency_conflict');
  });
});

describe('health and outages', () => {
  it('health is ok with a polling worker, degraded when no worker polls the task queue', async () => {
    expect(await platform.services.health.check()).toEqual({ ok: true, database: 'up', temporal: 'up', workers: 'polling' });
    const noWorker = createServices({ db: platform.db, temporal: gatewayAt(platform.temporal.address, `nobody-${randomUUID()}`) });
    expect(await noWorker.health.check()).toEqual({ ok: false, database: 'up', temporal: 'up', workers: 'none' });
  });

  it('health answers within a second while Temporal is unreachable', async () => {
    const began = Date.now();
    expect(await offline.health.check()).toMatchObject({ ok: false, database: 'up', temporal: 'down', workers: 'unknown' });
    expect(Date.now() - began).toBeLessThan(1_000);
  });

  it('when a Temporal the web was connected to stops: health says down within a second, a trigger is accepted queued', async () => {
    const doomed = await startTemporalTestServer();
    const gateway = gatewayAt(doomed.address);
    const services = createServices({ db: platform.db, temporal: gateway });
    expect(await services.health.check()).toMatchObject({ temporal: 'up', workers: 'none' }); // connected
    await doomed.stop();
    let began = Date.now();
    expect(await services.health.check()).toMatchObject({ ok: false, temporal: 'down' });
    expect(Date.now() - began).toBeLessThan(1_000);
    began = Date.now();
    const accepted = await services.runs.trigger(team, { workflow: 'echo', input: { message: 'stopped' } }, null);
    expect(Date.now() - began).toBeLessThan(4_000);
    expect(accepted).toMatchObject({ created: true, dispatched: false });
    // Its start is the sweep's now (the platform's Temporal plays the one that came back).
    expect((await sweep()).started).toBeGreaterThanOrEqual(1);
    expect((await finished(accepted.runId)).status).toBe('succeeded');
  });

  it('a call that needs Temporal answers unavailable with Retry-After quickly while it is unreachable', async () => {
    const { runId } = await platform.services.runs.trigger(team, { workflow: 'long', input: {} }, null);
    const began = Date.now();
    const refused = await offline.runs.cancel(team, runId).catch((e: unknown) => e);
    expect(Date.now() - began).toBeLessThan(4_000);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'unavailable', status: 503, options: { retryAfterSeconds: 5 } });
    await platform.services.runs.cancel(team, runId);
    expect((await finished(runId)).status).toBe('cancelled');
  });
});
