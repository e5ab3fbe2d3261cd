// Records the Temporal histories that replay.test.ts replays against the current interpreter: one real run per
// step kind (tool, map, parallel, choice, wait, catch, cancel, retry, …) on the test Temporal server, written to
// test/histories/<kind>.json. Runs only when asked: `npm run record:histories` (after a deliberate, patched
// change of the interpreter; never to make a failing replay pass).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflowId } from '@manifold/core';
import type { ActingContext } from '@manifold/services';
import { waitFor } from '@manifold/testing';
import { addFixtureServer, startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';
import { PLAINTEXT_MARKER, RECORDED_KINDS, REPLAY_KEYRING } from './histories/replay-key';

const isRecording = process.env.MANIFOLD_RECORD_HISTORIES === '1';
const historiesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');

const echo = (id: string, message: string) => ({ id, type: 'tool', server: 'fixture', tool: 'echo', args: { message } });
const quickRetry = { initialInterval: '100ms', maxInterval: '200ms' };

/** The run each history comes from; `expect` is the status it must end with. */
const SCENARIOS: Record<(typeof RECORDED_KINDS)[number], { definition: unknown; expect: string; cancel?: boolean; retryRun?: boolean }> = {
  tool: {
    definition: { steps: [echo('say', 'hello {{ $input.who }}'), echo('again', '{{ $steps.say.text }}!')], output: '{{ $steps.again.text }}' },
    expect: 'succeeded',
  },
  // A non-idempotent call is a regular activity with heartbeats, not a local one.
  'tool-remote': {
    definition: { steps: [{ ...echo('say', 'remote'), idempotent: false, timeout: '90s' }] },
    expect: 'succeeded',
  },
  map: {
    definition: { steps: [{ id: 'fan', type: 'map', items: '{{ $input.items }}', maxConcurrency: 2, steps: [echo('each', '{{ $item }}')] }] },
    expect: 'succeeded',
  },
  parallel: {
    definition: {
      steps: [{ id: 'both', type: 'parallel', branches: { left: [echo('l', 'left')], right: [echo('r', 'right'), echo('r2', 'right again')] } }],
    },
    expect: 'succeeded',
  },
  choice: {
    definition: {
      steps: [
        {
          id: 'pick',
          type: 'choice',
          choices: [
            { when: '{{ $input.who = "nobody" }}', steps: [echo('never', 'never')] },
            { when: '{{ $input.who = "Ada" }}', steps: [echo('ada', 'Ada')] },
          ],
          default: [echo('other', 'other')],
        },
      ],
    },
    expect: 'succeeded',
  },
  wait: { definition: { steps: [{ id: 'pause', type: 'wait', duration: '1s' }, echo('after', 'woke')] }, expect: 'succeeded' },
  catch: {
    definition: {
      steps: [
        { id: 'bad', type: 'tool', server: 'fixture', tool: 'fail', args: { message: 'no' }, retry: { maxAttempts: 1 }, catch: { value: 'fallback' } },
        {
          id: 'worse',
          type: 'tool',
          server: 'fixture',
          tool: 'fail',
          args: { message: 'no' },
          retry: { maxAttempts: 1 },
          catch: { step: echo('rescue', 'rescued from {{ $error.errorClass }}') },
        },
      ],
    },
    expect: 'succeeded',
  },
  cancel: { definition: { steps: [echo('first', 'first'), { id: 'long', type: 'wait', duration: '10m' }] }, expect: 'cancelled', cancel: true },
  retry: {
    definition: {
      steps: [
        { id: 'flaky', type: 'tool', server: 'fixture', tool: 'flaky', args: { key: '{{ $input.key }}', failTimes: 2 }, retry: { maxAttempts: 3, ...quickRetry } },
      ],
    },
    expect: 'succeeded',
  },
  failure: {
    definition: { steps: [{ id: 'bad', type: 'tool', server: 'fixture', tool: 'fail', args: { message: 'it failed' }, retry: { maxAttempts: 2, ...quickRetry } }] },
    expect: 'failed',
  },
  // The first run fails at `flaky`; its retry skips `before` (completed) and succeeds: the history of the retry.
  'run-retry': {
    definition: {
      steps: [
        echo('before', 'done once'),
        { id: 'flaky', type: 'tool', server: 'fixture', tool: 'flaky', args: { key: '{{ $input.key }}', failTimes: 1 }, retry: { maxAttempts: 1 } },
      ],
    },
    expect: 'succeeded',
    retryRun: true,
  },
};

let platform: Platform;
let team: ActingContext;

describe.runIf(isRecording)('recording replay histories', () => {
  beforeAll(async () => {
    platform = await startPlatform({ masterKeys: REPLAY_KEYRING });
    team = await platform.newTeam('replay');
    await addFixtureServer(platform.db, team);
    await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
    await platform.services.installations.listTools(team, 'fixture');
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it.each(RECORDED_KINDS)('records %s', async (kind) => {
    const scenario = SCENARIOS[kind];
    const input = { who: 'Ada', items: ['a', 'b', 'c'], key: `${kind}-${Date.now()}`, marker: PLAINTEXT_MARKER };
    let runId = await startAdHocRun(platform.services, team, scenario.definition, input, `replay-${kind}`);
    if (scenario.cancel) {
      await waitFor(async () => (await platform.services.runs.get(team, runId)).steps.some((s) => s.key === 'first' && s.status === 'succeeded'), {
        timeoutMs: 60_000,
        intervalMs: 50,
        description: 'the first step to succeed',
      });
      await platform.services.runs.cancel(team, runId);
    }
    let run = await waitForRunEnd(platform.services, team, runId);
    if (scenario.retryRun) {
      expect(run.status).toBe('failed');
      runId = (await platform.services.runs.retry(team, runId)).runId;
      run = await waitForRunEnd(platform.services, team, runId);
    }
    expect(run.status).toBe(scenario.expect);
    // The run row ends before the workflow execution closes: wait for the close event, so the history is whole.
    const handle = platform.client.workflow.getHandle(runWorkflowId(runId));
    await handle.result().catch(() => undefined);
    const json = historyToJSON(await handle.fetchHistory());
    // Payloads are encrypted with the fixture key: the run's input never shows as plain text.
    expect(json).not.toContain(PLAINTEXT_MARKER);
    writeFileSync(path.join(historiesDir, `${kind}.json`), `${json}\n`);
  });
});
