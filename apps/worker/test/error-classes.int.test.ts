// Error classes at the edges, against the fixture server over stdio: a JSON-RPC -32602 is invalid_arguments and
// never retried, a result off the tool's own outputSchema is protocol_error, only failures that say the server
// is unhealthy count for its circuit breaker, and every call carries its idempotency key in `_meta`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_META_KEY, type AppError } from '@manifold/core';
import type { ActingContext, RunView } from '@manifold/services';
import { addFixtureServer, startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

const call = (id: string, server: string, tool: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'tool',
  server,
  tool,
  args,
  ...extra,
});
const quickRetry = (maxAttempts: number) => ({ retry: { maxAttempts, initialInterval: '100ms', maxInterval: '200ms' } });

async function runToEnd(definition: unknown, input: Record<string, unknown> = {}): Promise<RunView> {
  return waitForRunEnd(platform.services, team, await startAdHocRun(platform.services, team, definition, input, 'errors'));
}

const attemptClasses = (run: RunView, key: string) => run.steps.find((s) => s.key === key)?.attempts.map((a) => a.errorClass ?? 'ok');

beforeAll(async () => {
  platform = await startPlatform({ installationCacheMs: 0 });
  team = await platform.newTeam('errors');
  await addFixtureServer(platform.db, team);
  for (const name of ['fixture', 'guarded']) {
    await platform.services.installations.install(team, { server: 'fixture', name });
    await platform.services.installations.listTools(team, name);
  }
}, 180_000);

afterAll(async () => {
  await platform?.stop();
});

describe('error classes', () => {
  it('a JSON-RPC -32602 from the server is invalid_arguments and is not retried', async () => {
    const run = await runToEnd({ steps: [call('refused', 'fixture', 'reject_params', { message: 'field "path" is required' }, quickRetry(3))] });
    expect(run.status).toBe('failed');
    expect(attemptClasses(run, 'refused')).toEqual(['invalid_arguments']);
    expect(run.error).toMatchObject({ stepId: 'refused', errorClass: 'invalid_arguments' });
    expect((run.error as { message: string }).message).toContain('field "path" is required');
  });

  it('arguments an SDK server refuses (its -32602 wrapped in an isError result) are invalid_arguments, not retried', async () => {
    // A template renders a number where the tool wants a string: only the server can tell.
    const run = await runToEnd({ steps: [call('wrong', 'fixture', 'echo', { message: '{{ $input.n }}' }, quickRetry(3))] }, { n: 5 });
    expect(run.status).toBe('failed');
    expect(attemptClasses(run, 'wrong')).toEqual(['invalid_arguments']);
    expect((run.error as { message: string }).message).toMatch(/refused the arguments: MCP error -32602: Input validation error/);
  });

  it("a result that breaks the tool's own outputSchema is protocol_error, retried like any server fault", async () => {
    const run = await runToEnd({ steps: [call('off', 'fixture', 'off_schema', {}, quickRetry(2))] });
    expect(run.status).toBe('failed');
    expect(attemptClasses(run, 'off')).toEqual(['protocol_error', 'protocol_error']);
    expect((run.error as { message: string }).message).toMatch(/output schema/);
  });

  it('a result that violates the CallToolResult schema is protocol_error', async () => {
    const run = await runToEnd({ steps: [call('bad', 'fixture', 'malformed', {}, quickRetry(1))] });
    expect(attemptClasses(run, 'bad')).toEqual(['protocol_error']);
  });
});

describe('circuit breaker counting', () => {
  it("tool errors and refused arguments leave the breaker closed; the server's protocol faults open it", async () => {
    await platform.services.installationLimits.set(team, 'guarded', { breaker: { consecutiveFailures: 2, coolDownMs: 60_000 } });
    const degrade = { ...quickRetry(1), catch: { value: null } };
    const blameless = await runToEnd({
      steps: [
        call('e1', 'guarded', 'fail', { message: 'your input is wrong' }, degrade),
        call('e2', 'guarded', 'fail', { message: 'your input is wrong' }, degrade),
        call('e3', 'guarded', 'fail', { message: 'your input is wrong' }, degrade),
        call('r1', 'guarded', 'reject_params', { message: 'bad' }, degrade),
        call('r2', 'guarded', 'reject_params', { message: 'bad' }, degrade),
        call('r3', 'guarded', 'reject_params', { message: 'bad' }, degrade),
        call('ok', 'guarded', 'echo', { message: 'still served' }, quickRetry(1)),
      ],
    });
    expect(blameless.steps.map((s) => [s.key, s.attempts[0]?.errorClass ?? 'ok'])).toEqual([
      ['e1', 'tool_error'],
      ['e2', 'tool_error'],
      ['e3', 'tool_error'],
      ['r1', 'invalid_arguments'],
      ['r2', 'invalid_arguments'],
      ['r3', 'invalid_arguments'],
      ['ok', 'ok'],
    ]);
    const closed = await platform.services.installationLimits.status(team, 'guarded');
    expect(closed).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(closed.limits.breaker?.countToolErrors).toBe(false);

    const faulty = await runToEnd({
      steps: [
        call('p1', 'guarded', 'off_schema', {}, degrade),
        call('p2', 'guarded', 'off_schema', {}, degrade),
        call('after', 'guarded', 'echo', { message: 'x' }, degrade),
      ],
    });
    expect(faulty.steps.map((s) => [s.key, s.attempts[0]?.errorClass])).toEqual([
      ['p1', 'protocol_error'],
      ['p2', 'protocol_error'],
      ['after', 'circuit_open'],
    ]);
    const open = await platform.services.installationLimits.status(team, 'guarded');
    expect(open.state).toBe('open');
    expect(open.history[0]).toMatchObject({ from: 'closed', to: 'open' });
  });

  it('refuses a breaker setting that is not a boolean, naming the field', async () => {
    const refused = await platform.services.installationLimits
      .set(team, 'guarded', { breaker: { countToolErrors: 'yes' } })
      .catch((error: unknown) => error);
    expect((refused as AppError).options.fieldErrors?.map((e) => e.path)).toEqual(['limits.breaker.countToolErrors']);
  });
});

describe('idempotency key', () => {
  it('every call carries its stable key in _meta: the run and step key, per map item', async () => {
    const run = await runToEnd({
      steps: [
        call('meta', 'fixture', 'echo_meta', {}),
        { id: 'fan', type: 'map', items: '{{ $input.items }}', steps: [call('each', 'fixture', 'echo_meta', {})] },
      ],
    }, { items: ['a', 'b'] });
    expect(run.status).toBe('succeeded');
    const keyOf = (key: string) =>
      (run.steps.find((s) => s.key === key)?.output as { structuredContent: { meta: Record<string, unknown> } }).structuredContent.meta[
        IDEMPOTENCY_META_KEY
      ];
    expect(keyOf('meta')).toBe(`${run.id}:meta`);
    expect(keyOf('each[0]')).toBe(`${run.id}:each[0]`);
    expect(keyOf('each[1]')).toBe(`${run.id}:each[1]`);
  });
});
