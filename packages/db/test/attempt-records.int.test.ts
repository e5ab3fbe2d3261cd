// How the worker records tool-call attempts: a batch of attempts written when they end, attempts opened
// before a call, and what a call repeated after a worker crash finds (Temporal may restart a local activity
// at attempt 1; the records must neither overwrite nor duplicate what is there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@manifold/testing';
import {
  beginAttempt,
  createDatabase,
  createRunOnce,
  createUserWithTeam,
  createWorkflow,
  getRun,
  getWorkflowBySlug,
  recordEndedAttempts,
  type AttemptStart,
  type Database,
} from '../src/index';

let database: TestDatabase;
let db: Database;
let teamId: string;
let runId: string;
const actor = { type: 'system' } as const;

const start = (stepKey: string, attempt = 1): AttemptStart => ({
  runId,
  stepKey,
  stepId: stepKey.replace(/\[\d+\]$/, ''),
  kind: 'tool',
  input: { message: stepKey },
  attempt,
  idempotencyKey: `${runId}:${stepKey}`,
  startedAt: new Date(),
});
const ok = (output: unknown) => ({ status: 'succeeded' as const, latencyMs: 3, output });
const failed = { status: 'failed' as const, latencyMs: 3, errorClass: 'tool_error', errorMessage: 'no' };
const attemptsOf = async (key: string) =>
  (await getRun(db, teamId, runId))!.steps.find((s) => s.key === key)!.attempts.map((a) => [a.attempt, a.status, a.errorClass]);

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, { maxConnections: 4 });
  teamId = (await createUserWithTeam(db, { email: 'r@example.test', passwordHash: 'x', teamName: 'R' })).teamId;
  const definition = { steps: [{ id: 'say', type: 'tool' as const, server: 'everything', tool: 'echo', args: {} }] };
  await createWorkflow(db, teamId, actor, { slug: 'flow', name: 'Flow', definition: definition as never });
  const workflow = (await getWorkflowBySlug(db, teamId, 'flow'))!;
  runId = (
    await createRunOnce(db, teamId, {
      workflowId: workflow.id,
      workflowVersionId: workflow.version.id,
      input: {},
      idempotencyKey: null,
      requestHash: 'h',
      actor,
    })
  ).run.id;
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('attempt records', () => {
  it('writes a batch of ended attempts with their steps: successes close their step, failures leave it running', async () => {
    const records = await recordEndedAttempts(db, teamId, [
      { start: start('each[0]'), result: ok({ text: 'a' }) },
      { start: start('each[1]'), result: failed },
      { start: start('each[2]'), result: ok({ text: 'c' }) },
    ]);
    expect(records).toEqual([
      { alreadySucceeded: false, attempt: 1 },
      { alreadySucceeded: false, attempt: 1 },
      { alreadySucceeded: false, attempt: 1 },
    ]);
    const run = (await getRun(db, teamId, runId))!;
    const steps = Object.fromEntries(run.steps.map((s) => [s.key, s]));
    expect(steps['each[0]']).toMatchObject({ status: 'succeeded', output: { text: 'a' }, stepId: 'each' });
    expect(steps['each[1]']).toMatchObject({ status: 'running' });
    expect(await attemptsOf('each[1]')).toEqual([[1, 'failed', 'tool_error']]);
  });

  it('records the next attempt of a known step after the ones there, in the same batch as new steps', async () => {
    const records = await recordEndedAttempts(db, teamId, [
      { start: start('each[1]', 2), result: ok({ text: 'b' }) },
      { start: start('each[3]'), result: ok({ text: 'd' }) },
    ]);
    expect(records).toEqual([
      { alreadySucceeded: false, attempt: 2 },
      { alreadySucceeded: false, attempt: 1 },
    ]);
    expect(await attemptsOf('each[1]')).toEqual([
      [1, 'failed', 'tool_error'],
      [2, 'succeeded', null],
    ]);
  });

  it('adds nothing for a step that already succeeded (a call repeated after a crash) and returns its output', async () => {
    const [again] = await recordEndedAttempts(db, teamId, [{ start: start('each[0]'), result: ok({ text: 'other' }) }]);
    expect(again).toEqual({ alreadySucceeded: true, output: { text: 'a' } });
    expect(await beginAttempt(db, teamId, start('each[0]'))).toEqual({ alreadySucceeded: true, output: { text: 'a' } });
    expect(await attemptsOf('each[0]')).toEqual([[1, 'succeeded', null]]);
  });

  it('after a worker died mid-call, a restarted attempt 1 closes the dead one as outcome_unknown and is recorded as 2', async () => {
    const opened = await beginAttempt(db, teamId, start('slow'));
    expect(opened).toMatchObject({ alreadySucceeded: false, attempt: 1, priorAttempts: [] });
    // The worker dies; the local activity restarts at attempt 1 on another worker.
    const again = await beginAttempt(db, teamId, start('slow', 1));
    expect(again).toMatchObject({
      alreadySucceeded: false,
      attempt: 2,
      priorAttempts: [{ attempt: 1, status: 'running', errorClass: null }],
    });
    expect(await attemptsOf('slow')).toEqual([
      [1, 'failed', 'outcome_unknown'],
      [2, 'running', null],
    ]);
  });
});
