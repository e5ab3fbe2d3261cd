// A wait step is visible while it sleeps: the run (as the REST API and the run page get it from the run service)
// shows the step `waiting` with its wake-up time, the runs list says until when the run waits, and the step ends
// `succeeded` (or `cancelled`, or settled by the sweep) without being left `waiting`.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflowId } from '@manifold/core';
import type { ActingContext, RunView } from '@manifold/services';
import type { SweepRunsInput, SweepRunsResult } from '@manifold/workflows';
import { waitFor } from '@manifold/testing';
import { addFixtureServer, startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

const echo = (id: string, message: string) => ({ id, type: 'tool', server: 'fixture', tool: 'echo', args: { message } });
const stepByKey = (run: RunView, key: string) => run.steps.find((s) => s.key === key);

/** Resolves with the run once every step in `keys` is recorded `waiting`. */
const whenWaiting = (runId: string, keys: string[]) =>
  waitFor(
    async () => {
      const run = await platform.services.runs.get(team, runId);
      return keys.every((key) => stepByKey(run, key)?.status === 'waiting') ? run : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100, description: `steps ${keys.join(', ')} to be waiting` },
  );

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('wait-visible');
  await addFixtureServer(platform.db, team);
  await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
  await platform.services.installations.listTools(team, 'fixture');
}, 180_000);

afterAll(async () => {
  await platform?.stop();
});

describe('a wait step while it waits', () => {
  it('shows the step waiting with its wake-up time through the run service and the runs list, then succeeded', async () => {
    const triggeredAt = Date.now();
    const runId = await startAdHocRun(platform.services, team, {
      steps: [echo('before', 'first'), { id: 'pause', type: 'wait', duration: '30s' }, echo('after', 'woke')],
    });

    const waiting = await whenWaiting(runId, ['pause']);
    const seenAt = Date.now();
    expect(waiting.status).toBe('running');
    const pause = stepByKey(waiting, 'pause')!;
    expect(pause).toMatchObject({ kind: 'wait', status: 'waiting', finishedAt: null, attempts: [] });
    // Both times are the workflow's: the wake-up is exactly the duration after the step began.
    const startedAt = Date.parse(pause.startedAt!);
    const wakeAt = Date.parse(pause.wakeAt!);
    expect(wakeAt - startedAt).toBe(30_000);
    expect(startedAt).toBeGreaterThanOrEqual(triggeredAt - 1000);
    expect(startedAt).toBeLessThanOrEqual(seenAt);
    expect(wakeAt).toBeGreaterThan(seenAt); // still in the future: it is waiting, not late
    // Steps come in the order they began: the wait is listed after the step before it, the next not yet.
    expect(waiting.steps.map((s) => s.key)).toEqual(['before', 'pause']);

    const listed = (await platform.services.runs.list(team, { limit: 20 })).items.find((r) => r.id === runId);
    expect(listed).toMatchObject({ status: 'running', waitingUntil: pause.wakeAt });
    console.log(`[wait-visible] step waiting from ${pause.startedAt} until ${pause.wakeAt}; seen ${wakeAt - seenAt} ms before it wakes`);

    const run = await waitForRunEnd(platform.services, team, runId, 180_000);
    expect(run.status).toBe('succeeded');
    const ended = stepByKey(run, 'pause')!;
    expect(ended).toMatchObject({ status: 'succeeded', startedAt: pause.startedAt, wakeAt: pause.wakeAt });
    expect(Date.parse(ended.finishedAt!)).toBeGreaterThanOrEqual(wakeAt);
    expect(stepByKey(run, 'after')).toMatchObject({ status: 'succeeded' });
    expect(run.waitingUntil).toBeNull();
    const relisted = (await platform.services.runs.list(team, { limit: 20 })).items.find((r) => r.id === runId);
    expect(relisted).toMatchObject({ status: 'succeeded', waitingUntil: null });
  }, 240_000);

  it('waits in parallel branches show each wake-up, the run the earliest; cancelling ends them cancelled', async () => {
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        {
          id: 'both',
          type: 'parallel',
          branches: { soon: [{ id: 'short', type: 'wait', duration: '10m' }], later: [{ id: 'long', type: 'wait', duration: '2h' }] },
        },
      ],
    });
    const waiting = await whenWaiting(runId, ['short', 'long']);
    const short = stepByKey(waiting, 'short')!;
    const long = stepByKey(waiting, 'long')!;
    expect(Date.parse(short.wakeAt!) - Date.parse(short.startedAt!)).toBe(600_000);
    expect(Date.parse(long.wakeAt!) - Date.parse(long.startedAt!)).toBe(7_200_000);
    expect(waiting.waitingUntil).toBe(short.wakeAt);

    await platform.services.runs.cancel(team, runId);
    const run = await waitForRunEnd(platform.services, team, runId);
    expect(run.status).toBe('cancelled');
    expect(stepByKey(run, 'short')).toMatchObject({ status: 'cancelled', wakeAt: short.wakeAt });
    expect(stepByKey(run, 'long')).toMatchObject({ status: 'cancelled', wakeAt: long.wakeAt });
    expect(run.waitingUntil).toBeNull();
  }, 120_000);

  it('a workflow terminated while it waits: the sweep settles the run and the step is not left waiting', async () => {
    const runId = await startAdHocRun(platform.services, team, { steps: [{ id: 'nap', type: 'wait', duration: '1h' }] });
    await whenWaiting(runId, ['nap']);
    await platform.client.workflow.getHandle(runWorkflowId(runId)).terminate('stopped while waiting');
    const input: SweepRunsInput = { startGraceMs: 0 };
    const result = (await platform.client.workflow.execute('sweepRuns', {
      taskQueue: platform.taskQueue,
      workflowId: `sweep-${randomUUID()}`,
      args: [input],
    })) as SweepRunsResult;
    expect(result.settled).toContainEqual({ runId, status: 'failed', errorClass: 'workflow_terminated' });
    const run = await platform.services.runs.get(team, runId);
    expect(run.status).toBe('failed');
    expect(stepByKey(run, 'nap')).toMatchObject({ status: 'failed', error: { errorClass: 'workflow_terminated' } });
  }, 120_000);
});
