// The run flow against the real parts: Temporal dev server, Postgres, server-everything and the fixture
// MCP server over stdio.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, runWorkflowId } from '@manifold/core';
import type { ActingContext } from '@manifold/services';
import { addFixtureServer, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

const finished = (runId: string, ctx = team) => waitForRunEnd(platform.services, ctx, runId, 60_000);

async function createWorkflow(slug: string, definition: unknown) {
  await platform.services.workflows.create(team, { slug, name: slug, definition });
}

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('acme');
  await addFixtureServer(platform.db, team);
  await platform.services.installations.install(team, { server: 'server-everything', name: 'everything' });
  await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
});

afterAll(async () => {
  await platform?.stop();
});

describe('run flow', () => {
  it('lists the tools of an installation live and stores the snapshot', async () => {
    const { tools } = await platform.services.installations.listTools(team, 'everything');
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    const installation = await platform.services.installations.get(team, 'everything');
    expect(installation.toolsSnapshotAt).not.toBeNull();
    expect((installation.toolsSnapshot as unknown[]).length).toBe(tools.length);
  });

  it('runs a multi-step workflow, passing data between steps, and records each attempt', async () => {
    await createWorkflow('hello', {
      input: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      steps: [
        { id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'hi {{ $input.name }}' } },
        { id: 'sum', type: 'tool', server: 'everything', tool: 'get-sum', args: { a: '{{ $length($steps.say.text) }}', b: 2 } },
        { id: 'back', type: 'tool', server: 'fixture', tool: 'echo', args: { message: '{{ $steps.sum.text }}' } },
      ],
      output: { greeting: '{{ $steps.say.text }}', sum: '{{ $steps.back.structuredContent.message }}' },
    });
    const { runId, created } = await platform.services.runs.trigger(team, { workflow: 'hello', input: { name: 'Ada' } }, null);
    expect(created).toBe(true);
    const run = await finished(runId);

    expect(run.status).toBe('succeeded');
    // "Echo: hi Ada" has 12 characters.
    expect(run.output).toEqual({ greeting: 'Echo: hi Ada', sum: 'The sum of 12 and 2 is 14.' });
    expect(run.steps.map((s) => [s.key, s.status, s.attempts.length])).toEqual([
      ['say', 'succeeded', 1],
      ['sum', 'succeeded', 1],
      ['back', 'succeeded', 1],
    ]);
    expect(run.steps[1]!.input).toEqual({ a: 12, b: 2 });
    expect(run.steps.every((s) => s.attempts[0]!.status === 'succeeded' && s.attempts[0]!.latencyMs !== null)).toBe(true);
  });

  it('rejects run input that violates the workflow input schema, with the field path', async () => {
    const error = await platform.services.runs.trigger(team, { workflow: 'hello', input: { name: 3 } }, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).options.fieldErrors).toEqual([{ path: 'input.name', message: 'must be string' }]);
  });

  it('replays the same run for a repeated Idempotency-Key and starts one Temporal workflow only', async () => {
    const first = await platform.services.runs.trigger(team, { workflow: 'hello', input: { name: 'Bo' } }, 'key-1');
    const again = await platform.services.runs.trigger(team, { workflow: 'hello', input: { name: 'Bo' } }, 'key-1');
    expect(again).toMatchObject({ runId: first.runId, created: false, dispatched: true });
    await finished(first.runId);
    const afterFinish = await platform.services.runs.trigger(team, { workflow: 'hello', input: { name: 'Bo' } }, 'key-1');
    expect(afterFinish.runId).toBe(first.runId);

    const conflict = await platform.services.runs
      .trigger(team, { workflow: 'hello', input: { name: 'Cy' } }, 'key-1')
      .catch((e: unknown) => e);
    expect((conflict as AppError).code).toBe('idempotency_conflict');

    const client = platform.temporal.env.client;
    const executions = [];
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${runWorkflowId(first.runId)}'` }))
      executions.push(execution);
    expect(executions).toHaveLength(1);
    const runs = await platform.services.runs.list(team, { workflow: 'hello' });
    expect(runs.items.filter((r) => r.id === first.runId)).toHaveLength(1);
  });

  it('retries a failing tool with exponential backoff, then marks the step and run failed with the error', async () => {
    await createWorkflow('always-fails', {
      steps: [
        {
          id: 'boom',
          type: 'tool',
          server: 'fixture',
          tool: 'fail',
          args: { message: 'upstream said no' },
          retry: { maxAttempts: 3, initialInterval: '200ms', backoffCoefficient: 2 },
        },
      ],
    });
    const { runId } = await platform.services.runs.trigger(team, { workflow: 'always-fails', input: {} }, null);
    const run = await finished(runId);

    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ stepId: 'boom', errorClass: 'tool_error', message: expect.stringContaining('upstream said no') });
    const [step] = run.steps;
    expect(step).toMatchObject({ key: 'boom', status: 'failed' });
    expect(step!.attempts.map((a) => [a.attempt, a.status, a.errorClass])).toEqual([
      [1, 'failed', 'tool_error'],
      [2, 'failed', 'tool_error'],
      [3, 'failed', 'tool_error'],
    ]);
    const starts = step!.attempts.map((a) => Date.parse(a.startedAt!));
    // Temporal waits at least the backoff interval between attempts: 200 ms, then 400 ms.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(200);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(400);
  });

  it('succeeds when a flaky tool recovers within its retry budget', async () => {
    await createWorkflow('flaky', {
      steps: [
        {
          id: 'try',
          type: 'tool',
          server: 'fixture',
          tool: 'flaky',
          args: { key: 'run-flow-flaky', failTimes: 2 },
          retry: { maxAttempts: 5, initialInterval: '100ms' },
        },
      ],
    });
    const run = await finished((await platform.services.runs.trigger(team, { workflow: 'flaky', input: {} }, null)).runId);
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]!.attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'succeeded']);
  });

  it('does not retry a step whose error class the policy marks non-retryable', async () => {
    await createWorkflow('no-retry', {
      steps: [
        {
          id: 'once',
          type: 'tool',
          server: 'fixture',
          tool: 'fail',
          args: { message: 'x' },
          retry: { maxAttempts: 5, initialInterval: '100ms', nonRetryable: ['tool_error'] },
        },
      ],
    });
    const run = await finished((await platform.services.runs.trigger(team, { workflow: 'no-retry', input: {} }, null)).runId);
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.attempts).toHaveLength(1);
  });

  it('never shows one team’s run to another team', async () => {
    const other = await platform.newTeam('other');
    const { items } = await platform.services.runs.list(team, {});
    expect(items.length).toBeGreaterThan(0);
    const error = await platform.services.runs.get(other, items[0]!.id).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('not_found');
    expect((await platform.services.runs.list(other, {})).items).toEqual([]);
  });
});
