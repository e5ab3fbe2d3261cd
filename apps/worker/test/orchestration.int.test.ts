// The orchestration engine against the real parts: map fan-out with bounded concurrency, parallel branches,
// choices, waits, catch fallbacks, retries, timeouts, error classes and the never-repeat rule for calls that
// are not idempotent — on Temporal, Postgres, server-everything, server-filesystem and the fixture server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActingContext, RunView } from '@manifold/services';
import { addFixtureServer, startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

const finished = (runId: string) => waitForRunEnd(platform.services, team, runId, 120_000);

/** Saves a workflow under a fresh slug and runs it to its end. */
async function runToEnd(definition: unknown, input: Record<string, unknown> = {}): Promise<RunView> {
  return finished(await startAdHocRun(platform.services, team, definition, input));
}

const stepByKey = (run: RunView, key: string) => {
  const step = run.steps.find((s) => s.key === key);
  if (!step) throw new Error(`no step ${key} in ${run.steps.map((s) => s.key).join(', ')}`);
  return step;
};

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('orchestration');
  await addFixtureServer(platform.db, team);
  await platform.services.installations.install(team, { server: 'server-everything', name: 'everything' });
  await platform.services.installations.install(team, { server: 'server-filesystem', name: 'files' });
  await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
  // Snapshots let saving check tool names and literal arguments.
  for (const name of ['everything', 'files', 'fixture']) await platform.services.installations.listTools(team, name);
}, 180_000);

afterAll(async () => {
  await platform?.stop();
});

describe('orchestration', () => {
  it('passes data between three servers: everything → filesystem → fixture', async () => {
    const run = await runToEnd(
      {
        steps: [
          { id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'hello {{ $input.who }}' } },
          {
            id: 'write',
            type: 'tool',
            server: 'files',
            tool: 'write_file',
            args: { path: 'greeting.txt', content: '{{ $steps.say.text }}' },
          },
          { id: 'read', type: 'tool', server: 'files', tool: 'read_text_file', args: { path: 'greeting.txt' } },
          { id: 'back', type: 'tool', server: 'fixture', tool: 'echo', args: { message: '{{ $uppercase($steps.read.text) }}' } },
        ],
        output: '{{ $steps.back.structuredContent.message }}',
      },
      { who: 'Ada' },
    );
    expect(run.error).toBeNull();
    expect(run.output).toBe('ECHO: HELLO ADA');
    expect(run.steps.map((s) => [s.key, s.status])).toEqual([
      ['say', 'succeeded'],
      ['write', 'succeeded'],
      ['read', 'succeeded'],
      ['back', 'succeeded'],
    ]);
  });

  it('fans out 50 items with at most 5 calls in flight, results in item order, one step key per item', async () => {
    const items = Array.from({ length: 50 }, (_, i) => `item-${i}`);
    const run = await runToEnd(
      {
        steps: [
          {
            id: 'fan',
            type: 'map',
            items: '{{ $input.items }}',
            maxConcurrency: 5,
            steps: [
              { id: 'hold', type: 'tool', server: 'fixture', tool: 'concurrency', args: { ms: 40, key: 'fan-50' } },
              { id: 'each', type: 'tool', server: 'fixture', tool: 'echo', args: { message: '{{ $string($index) & ":" & $item }}' } },
            ],
          },
          { id: 'stats', type: 'tool', server: 'fixture', tool: 'concurrency_stats', args: { key: 'fan-50' } },
        ],
        output: { messages: '{{ $steps.fan.structuredContent.message }}', stats: '{{ $steps.stats.structuredContent }}' },
      },
      { items },
    );
    expect(run.error).toBeNull();
    const output = run.output as { messages: string[]; stats: { maxInFlight: number; calls: number } };
    expect(output.messages).toEqual(items.map((item, i) => `${i}:${item}`));
    expect(output.stats.calls).toBe(50);
    expect(output.stats.maxInFlight).toBeLessThanOrEqual(5);
    expect(output.stats.maxInFlight).toBeGreaterThan(1);
    expect(stepByKey(run, 'hold[0]').status).toBe('succeeded');
    expect(stepByKey(run, 'each[49]').input).toEqual({ message: '49:item-49' });
    expect(run.steps.filter((s) => s.stepId === 'hold')).toHaveLength(50);
    expect(stepByKey(run, 'fan')).toMatchObject({ kind: 'map', status: 'succeeded' });
  });

  it('runs parallel branches together, joins their results, takes a choice and waits durably', async () => {
    const run = await runToEnd(
      {
        steps: [
          {
            id: 'both',
            type: 'parallel',
            branches: {
              left: [{ id: 'hold-left', type: 'tool', server: 'fixture', tool: 'concurrency', args: { ms: 1500, key: 'parallel' } }],
              right: [
                { id: 'hold-right', type: 'tool', server: 'fixture', tool: 'concurrency', args: { ms: 1500, key: 'parallel' } },
                { id: 'hi', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'right done' } },
              ],
            },
          },
          { id: 'stats', type: 'tool', server: 'fixture', tool: 'concurrency_stats', args: { key: 'parallel' } },
          { id: 'pause', type: 'wait', duration: '50ms' },
          {
            id: 'pick',
            type: 'choice',
            choices: [
              {
                when: '{{ $input.n > 10 }}',
                steps: [{ id: 'big', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'big' } }],
              },
              {
                when: '{{ $input.n > 1 }}',
                steps: [{ id: 'mid', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'mid' } }],
              },
            ],
            default: [{ id: 'small', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'small' } }],
          },
        ],
        output: {
          branches: '{{ $keys($steps.both) }}',
          right: '{{ $steps.both.right.text }}',
          inFlight: '{{ $steps.stats.structuredContent.maxInFlight }}',
          pick: '{{ $steps.pick.text }}',
        },
      },
      { n: 5 },
    );
    // Both branches' calls were in flight at once.
    expect(run.output).toEqual({ branches: ['left', 'right'], right: 'right done', inFlight: 2, pick: 'mid' });
    expect(run.steps.some((s) => s.key === 'big' || s.key === 'small')).toBe(false);
    expect(stepByKey(run, 'both')).toMatchObject({ kind: 'parallel', status: 'succeeded' });
    expect(stepByKey(run, 'pause')).toMatchObject({ kind: 'wait', status: 'succeeded' });
    expect(stepByKey(run, 'pick')).toMatchObject({ kind: 'choice', status: 'succeeded' });
  });

  it('falls back to a catch value or a catch step and records the step degraded with the reason', async () => {
    const run = await runToEnd({
      steps: [
        {
          id: 'broken',
          type: 'tool',
          server: 'fixture',
          tool: 'fail',
          args: { message: 'nope' },
          retry: { maxAttempts: 2, initialInterval: '50ms' },
          catch: { value: { fallback: true, why: '{{ $error.errorClass }}' } },
        },
        {
          id: 'primary',
          type: 'tool',
          server: 'fixture',
          tool: 'fail',
          args: { message: 'primary down' },
          retry: { maxAttempts: 1 },
          catch: { step: { id: 'secondary', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'from secondary' } } },
        },
      ],
      output: { broken: '{{ $steps.broken }}', primary: '{{ $steps.primary.text }}' },
    });
    expect(run.status).toBe('succeeded');
    expect(run.output).toEqual({ broken: { fallback: true, why: 'tool_error' }, primary: 'from secondary' });
    const broken = stepByKey(run, 'broken');
    expect(broken.status).toBe('degraded');
    expect(broken.error).toMatchObject({ errorClass: 'tool_error', message: expect.stringContaining('nope') });
    expect(broken.attempts.map((a) => a.status)).toEqual(['failed', 'failed']);
    expect(stepByKey(run, 'primary').status).toBe('degraded');
    expect(stepByKey(run, 'secondary').status).toBe('succeeded');
  });

  it('times out slow attempts, retries them, and fails the run with class timeout', async () => {
    const run = await runToEnd({
      steps: [
        {
          id: 'stuck',
          type: 'tool',
          server: 'fixture',
          tool: 'slow',
          args: { ms: 30_000 },
          timeout: '300ms',
          retry: { maxAttempts: 2, initialInterval: '50ms' },
        },
      ],
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ stepId: 'stuck', errorClass: 'timeout' });
    expect(stepByKey(run, 'stuck').attempts.map((a) => [a.status, a.errorClass])).toEqual([
      ['failed', 'timeout'],
      ['failed', 'timeout'],
    ]);
  });

  it('never repeats a non-idempotent call whose outcome is unknown: it falls into its catch', async () => {
    const run = await runToEnd({
      steps: [
        {
          id: 'charge',
          type: 'tool',
          server: 'fixture',
          tool: 'slow',
          args: { ms: 30_000 },
          timeout: '300ms',
          idempotent: false,
          retry: { maxAttempts: 5, initialInterval: '50ms' },
          catch: { value: '{{ $error.message }}' },
        },
      ],
    });
    expect(run.status).toBe('succeeded');
    const charge = stepByKey(run, 'charge');
    expect(charge.status).toBe('degraded');
    expect(charge.attempts).toHaveLength(1);
    expect(run.output).toMatch(/Not retried: the call may have taken effect/);
  });

  it('retries a flaky tool with jittered backoff until it succeeds', async () => {
    const run = await runToEnd({
      steps: [
        {
          id: 'try',
          type: 'tool',
          server: 'fixture',
          tool: 'flaky',
          args: { key: 'orchestration-jitter', failTimes: 2 },
          retry: { maxAttempts: 4, initialInterval: '200ms', jitter: 0.5 },
        },
      ],
    });
    expect(run.status).toBe('succeeded');
    const attempts = stepByKey(run, 'try').attempts;
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'succeeded']);
    // Jitter shortens a delay by at most half: the first wait is at least 100 ms.
    expect(Date.parse(attempts[1]!.startedAt!) - Date.parse(attempts[0]!.startedAt!)).toBeGreaterThanOrEqual(100);
  });

  it.each([
    ['tool_error', { tool: 'fail', args: { message: 'bad' } }],
    ['transport_error', { tool: 'crash', args: {} }],
    ['protocol_error', { tool: 'malformed', args: {} }],
  ])('records error class %s on the attempt and the run', async (errorClass, call) => {
    const run = await runToEnd({ steps: [{ id: 'call', type: 'tool', server: 'fixture', ...call, retry: { maxAttempts: 1 } }] });
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ stepId: 'call', errorClass });
    expect(stepByKey(run, 'call').attempts[0]).toMatchObject({ status: 'failed', errorClass });
  });

  it('fails a map whose items are not an array with invalid_arguments, without calling any tool', async () => {
    const run = await runToEnd(
      {
        steps: [
          {
            id: 'fan',
            type: 'map',
            items: '{{ $input.notAList }}',
            steps: [{ id: 'each', type: 'tool', server: 'fixture', tool: 'echo', args: { message: '{{ $item }}' } }],
          },
        ],
      },
      { notAList: 'x' },
    );
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ stepId: 'fan', errorClass: 'invalid_arguments' });
    expect(run.steps.map((s) => s.key)).toEqual(['fan']);
  });

  it('refuses to save literal arguments that violate the tool input schema, with the path', async () => {
    const error = await platform.services.workflows
      .create(team, {
        slug: 'bad-args',
        name: 'bad',
        definition: { steps: [{ id: 'a', type: 'tool', server: 'fixture', tool: 'slow', args: { ms: 'soon' } }] },
      })
      .catch((e: unknown) => e);
    expect((error as { options: { fieldErrors: unknown } }).options.fieldErrors).toEqual([
      { path: 'definition.steps[0].args.ms', message: expect.stringMatching(/integer|number/) },
    ]);
  });
});
