// Records the Temporal histories that replay.test.ts replays against the current interpreter: one real run per
// step kind (tool, map, parallel, choice, wait, catch, cancel, retry, …) on the test Temporal server, written to
// test/histories/<kind>.json (and a wide map's child workflows to <kind>.chunk-<first item>.json). Runs only when
// asked: `npm run record:histories` (after a deliberate, patched change of the interpreter; never to make a failing
// replay pass). It records only the kinds that have no committed history yet: the committed ones prove that runs
// recorded by older interpreters still replay. Re-recording one is a deliberate act: MANIFOLD_RECORD_KINDS=a,b.
import { existsSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflowId } from '@manifold/core';
import type { ActingContext } from '@manifold/services';
import { waitFor } from '@manifold/testing';
import { addFixtureServer, startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';
import { KINDS_WITH_CHILDREN, PLAINTEXT_MARKER, RECORDED_KINDS, REPLAY_KEYRING } from './histories/replay-key';

const isRecording = process.env.MANIFOLD_RECORD_HISTORIES === '1';
const historiesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');
const historyFile = (name: string) => path.join(historiesDir, `${name}.json`);
/** Histories above this are committed gzipped (<name>.json.gz): a 500-item chunk is ≈600 KB of JSON, ≈60 KB zipped. */
const GZIP_ABOVE_BYTES = 100_000;
const named = (process.env.MANIFOLD_RECORD_KINDS ?? '').split(',').filter(Boolean);
/** The kinds this recording writes: those named, else those without a committed history. */
const kindsToRecord = RECORDED_KINDS.filter(
  (kind) => (named.length ? named.includes(kind) : ![historyFile(kind), `${historyFile(kind)}.gz`].some((file) => existsSync(file))),
);

const echo = (id: string, message: string) => ({ id, type: 'tool', server: 'fixture', tool: 'echo', args: { message } });
const quickRetry = { initialInterval: '100ms', maxInterval: '200ms' };

/** The run each history comes from; `expect` is the status it must end with. */
interface Scenario {
  definition: unknown;
  expect: string;
  /** Cancel the run once the step `first` succeeded (or, with `waitingStep`, once that step is waiting). */
  cancel?: boolean;
  retryRun?: boolean;
  /** A wait step the run must be seen sleeping in (recorded `waiting`) before it goes on. */
  waitingStep?: string;
}

const SCENARIOS: Record<(typeof RECORDED_KINDS)[number], Scenario> = {
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
  // Claim-check: an output above the payload threshold (64 KiB) is stored and referenced; templates naming it are
  // rendered by the renderValue activity (a choice, an argument, the stored text passed on whole, the run output).
  'stored-values': {
    definition: {
      steps: [
        { id: 'big', type: 'tool', server: 'fixture', tool: 'big_text', args: { bytes: 70_000, marker: 'HEAD' } },
        { id: 'pick', type: 'choice', choices: [{ when: '{{ $length($steps.big.text) > 65536 }}', steps: [echo('long', 'long')] }] },
        echo('head', '{{ $substring($steps.big.text, 0, 4) }}'),
        echo('again', '{{ $steps.big.text }}'),
      ],
      output: { head: '{{ $steps.head.text }}', length: '{{ $length($steps.again.text) }}' },
    },
    expect: 'succeeded',
  },
  // A map just wider than MAP_CHUNK_ITEMS (500) runs as two interpretMapChunk children (patch map-chunks-v1);
  // its items are trivial (a choice that calls a tool for the last item only), so the histories stay small.
  'map-chunks': {
    definition: {
      steps: [
        {
          id: 'fan',
          type: 'map',
          items: '{{ [1..501] }}',
          maxConcurrency: 100,
          steps: [{ id: 'pick', type: 'choice', choices: [{ when: '{{ $item = 501 }}', steps: [echo('last', 'item {{ $item }}')] }] }],
        },
      ],
      output: '{{ $count($steps.fan) }}',
    },
    expect: 'succeeded',
  },
  // A wait recorded `waiting` with its wake-up time while it sleeps (patch wait-visible-v1).
  'wait-visible': {
    definition: { steps: [{ id: 'pause', type: 'wait', duration: '2s' }, echo('after', 'woke')] },
    expect: 'succeeded',
    waitingStep: 'pause',
  },
  // Cancelled while it is recorded waiting: the step ends `cancelled`.
  'cancel-waiting': {
    definition: { steps: [echo('first', 'first'), { id: 'long', type: 'wait', duration: '10m' }] },
    expect: 'cancelled',
    cancel: true,
    waitingStep: 'long',
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

  it.each(kindsToRecord)('records %s', async (kind) => {
    const scenario = SCENARIOS[kind];
    const input = { who: 'Ada', items: ['a', 'b', 'c'], key: `${kind}-${Date.now()}`, marker: PLAINTEXT_MARKER };
    let runId = await startAdHocRun(platform.services, team, scenario.definition, input, `replay-${kind}`);
    const [awaitedKey, awaitedStatus] = scenario.waitingStep ? [scenario.waitingStep, 'waiting'] : ['first', 'succeeded'];
    if (scenario.cancel || scenario.waitingStep)
      await waitFor(async () => (await platform.services.runs.get(team, runId)).steps.some((s) => s.key === awaitedKey && s.status === awaitedStatus), {
        timeoutMs: 60_000,
        intervalMs: 50,
        description: `step ${awaitedKey} to be ${awaitedStatus}`,
      });
    if (scenario.cancel) await platform.services.runs.cancel(team, runId);
    let run = await waitForRunEnd(platform.services, team, runId);
    if (scenario.retryRun) {
      expect(run.status).toBe('failed');
      runId = (await platform.services.runs.retry(team, runId)).runId;
      run = await waitForRunEnd(platform.services, team, runId);
    }
    expect(run.status, JSON.stringify(run.error)).toBe(scenario.expect);
    // The run row ends before the workflow execution closes: wait for the close event, so the history is whole.
    const handle = platform.client.workflow.getHandle(runWorkflowId(runId));
    await handle.result().catch(() => undefined);
    const history = await handle.fetchHistory();
    const children = (history.events ?? []).flatMap((event) => {
      const id = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
      return id ? [id] : [];
    });
    expect(children.length > 0).toBe(KINDS_WITH_CHILDREN.includes(kind));
    const write = (name: string, json: string) => {
      // Payloads are encrypted with the fixture key: the run's input never shows as plain text.
      expect(json).not.toContain(PLAINTEXT_MARKER);
      if (json.length > GZIP_ABOVE_BYTES) writeFileSync(`${historyFile(name)}.gz`, gzipSync(`${json}\n`));
      else writeFileSync(historyFile(name), `${json}\n`);
    };
    write(kind, historyToJSON(history));
    // A chunk's workflow id ends in the index of its first item (see executeMapInChunks).
    for (const id of children) write(`${kind}.chunk-${id.split('/').pop()}`, historyToJSON(await platform.client.workflow.getHandle(id).fetchHistory()));
  });
});
