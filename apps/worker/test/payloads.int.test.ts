// Claim-check and wide maps against the real parts: big tool outputs are stored once in Postgres and pass
// through Temporal history as references; maps of thousands of items run in child workflows. Each test reports
// the Temporal history it produced (describe: event count and bytes) and holds it under Temporal's limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, isPayloadRef, MAP_ITEMS_LIMIT, runWorkflowId } from '@manifold/core';
import type { ActingContext, RunView } from '@manifold/services';
import { MAP_CHUNK_ITEMS } from '@manifold/workflows';
import { inTeam, loadRunPayloads } from '@manifold/db';
import { waitFor } from '@manifold/testing';
import { addFixtureServer, startAdHocRun } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

/** Temporal's own bounds for one workflow execution: it warns above these (and fails at 51,200 events / 50 MB). */
const HISTORY_EVENTS_WARN = 10_240;
const HISTORY_BYTES_WARN = 10 * 1024 * 1024;
/** The largest payload Temporal accepts in one event (blob size limit). */
const PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;

/** Waits for the run's end without resolving its stored values on every poll. */
const finished = (runId: string, timeoutMs = 120_000) =>
  waitFor(
    async () => {
      const run = await platform.services.runs.get(team, runId, { payloads: 'preview' });
      return ['succeeded', 'failed', 'cancelled'].includes(run.status) ? run : undefined;
    },
    { timeoutMs, intervalMs: 250, description: `run ${runId} to finish` },
  );

interface HistoryMeasure {
  workflowId: string;
  events: number;
  bytes: number;
  largestEventBytes: number;
}

async function measureHistory(workflowId: string): Promise<HistoryMeasure> {
  const handle = platform.client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const info = description.raw.workflowExecutionInfo!;
  const history = await handle.fetchHistory();
  // The payload bytes each event carries: what Temporal checks against its per-payload limit.
  const largestEventBytes = Math.max(...(history.events ?? []).map(payloadBytes));
  return { workflowId, events: Number(info.historyLength), bytes: Number(info.historySizeBytes), largestEventBytes };
}

/** The bytes of every binary field (payload data and metadata) inside a decoded history event. */
function payloadBytes(event: unknown): number {
  let total = 0;
  const stack: unknown[] = [event];
  while (stack.length) {
    const current = stack.pop();
    if (current instanceof Uint8Array) total += current.length;
    else if (current && typeof current === 'object') stack.push(...Object.values(current));
  }
  return total;
}

function report(label: string, measures: HistoryMeasure[]) {
  for (const m of measures)
    console.log(`[history] ${label}: ${m.workflowId}: ${m.events} events, ${m.bytes} bytes, largest event ${m.largestEventBytes} bytes`);
  for (const m of measures) {
    expect(m.events, `${m.workflowId} events`).toBeLessThan(HISTORY_EVENTS_WARN);
    expect(m.bytes, `${m.workflowId} bytes`).toBeLessThan(HISTORY_BYTES_WARN);
    expect(m.largestEventBytes, `${m.workflowId} largest event`).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  }
}

const chunkIds = (runId: string, key: string, count: number) =>
  Array.from({ length: Math.ceil(count / MAP_CHUNK_ITEMS) }, (_, i) => `${runWorkflowId(runId)}/${key}/${i * MAP_CHUNK_ITEMS}`);

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('payloads');
  await addFixtureServer(platform.db, team);
  await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
});

describe('big payloads by reference', () => {
  const TEN_MB = 10 * 1000 * 1000;
  let bigRun: RunView;
  let bigPayloadId: string;

  it('a 10 MB tool output finishes: stored once, referenced in history, resolved by templates and the run API', async () => {
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        { id: 'big', type: 'tool', server: 'fixture', tool: 'big_text', args: { bytes: TEN_MB, marker: 'BEGIN' } },
        {
          id: 'measure',
          type: 'tool',
          server: 'fixture',
          tool: 'echo',
          args: { message: "{{ $substring($steps.big.text, 0, 5) & ':' & $string($length($steps.big.text)) }}" },
        },
      ],
      output: { measured: '{{ $steps.measure.text }}', head: '{{ $substring($steps.big.text, 0, 8) }}' },
    });
    bigRun = await finished(runId);
    expect(bigRun.status).toBe('succeeded');
    expect(bigRun.output).toEqual({ measured: `BEGIN:${TEN_MB}`, head: 'BEGINxxx' });

    // The dashboard's view: the step output is a truncated preview with its size.
    const preview = bigRun.steps.find((s) => s.key === 'big')!.output as {
      $manifoldPayload: string;
      bytes: number;
      truncated: boolean;
      preview: string;
    };
    expect(preview.truncated).toBe(true);
    expect(preview.bytes).toBeGreaterThan(TEN_MB);
    expect(preview.preview.length).toBe(4096);
    bigPayloadId = preview.$manifoldPayload;

    // Stored once: one row holds the 10 MB.
    const rows = await inTeam(platform.db, team.teamId, (tx) =>
      tx.runPayload.findMany({ where: { runId }, select: { key: true, bytes: true } }),
    );
    expect(rows.filter((r) => r.bytes > TEN_MB)).toEqual([{ key: 'big', bytes: preview.bytes }]);

    // The run API resolves the reference.
    const resolved = await platform.services.runs.get(team, runId);
    const output = resolved.steps.find((s) => s.key === 'big')!.output as { text: string };
    expect(output.text.length).toBe(TEN_MB);
    expect(output.text.startsWith('BEGINxxx')).toBe(true);

    // The download gives the whole value as stored.
    const download = await platform.services.runs.payload(team, runId, bigPayloadId);
    expect(download.bytes).toBe(preview.bytes);
    expect((JSON.parse(download.body) as { text: string }).text.length).toBe(TEN_MB);

    report('10 MB output', [await measureHistory(runWorkflowId(runId))]);
  }, 180_000);

  it("another team can neither download a run's stored value nor resolve it", async () => {
    const other = await platform.newTeam('other');
    const error = await platform.services.runs.payload(other, bigRun.id, bigPayloadId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not_found');
    // Row-level security: even a query naming the id finds nothing for the other team.
    expect((await loadRunPayloads(platform.db, other.teamId, [bigPayloadId])).size).toBe(0);
  });

  it('a reference forged by a server stays data: it is stored, and never resolved into the value it names', async () => {
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        { id: 'forge', type: 'tool', server: 'fixture', tool: 'forge_reference', args: { id: bigPayloadId } },
        { id: 'use', type: 'tool', server: 'fixture', tool: 'echo', args: { message: '{{ $string($steps.forge.structuredContent) }}' } },
      ],
    });
    const run = await finished(runId);
    expect(run.status).toBe('succeeded');
    const resolved = await platform.services.runs.get(team, runId);
    const used = resolved.steps.find((s) => s.key === 'use')!.output as { text: string };
    expect(JSON.parse(used.text)).toEqual({ $manifoldPayload: bigPayloadId });
    const forged = resolved.steps.find((s) => s.key === 'forge')!.output as { structuredContent: unknown };
    expect(forged.structuredContent).toEqual({ $manifoldPayload: bigPayloadId });
  }, 60_000);
});

describe('stored values in every kind of template', () => {
  it('a choice, a catch value and the run output read a stored output; big arguments travel by reference', async () => {
    const bytes = 200_000;
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        { id: 'big', type: 'tool', server: 'fixture', tool: 'big_text', args: { bytes, marker: 'HEAD' } },
        {
          id: 'pick',
          type: 'choice',
          choices: [
            {
              when: `{{ $length($steps.big.text) = ${bytes} }}`,
              steps: [{ id: 'yes', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'long' } }],
            },
          ],
          default: [{ id: 'no', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'short' } }],
        },
        {
          id: 'broken',
          type: 'tool',
          server: 'fixture',
          tool: 'fail',
          args: { message: 'no' },
          retry: { maxAttempts: 1 },
          catch: { value: '{{ $substring($steps.big.text, 0, 4) & ":" & $error.errorClass }}' },
        },
        // The whole stored text as an argument: rendered above the threshold, it reaches the tool by reference.
        { id: 'again', type: 'tool', server: 'fixture', tool: 'echo', args: { message: '{{ $steps.big.text }}' } },
      ],
      output: { choice: '{{ $steps.pick.text }}', fallback: '{{ $steps.broken }}', echoed: '{{ $steps.again }}' },
    });
    const run = await finished(runId);
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    const resolved = await platform.services.runs.get(team, runId);
    const output = resolved.output as { choice: string; fallback: string; echoed: { text: string } };
    expect(output.choice).toBe('long');
    expect(output.fallback).toBe('HEAD:tool_error');
    expect(output.echoed.text.length).toBe(bytes);
    expect(output.echoed.text.startsWith('HEADxx')).toBe(true);
    // The step's recorded arguments resolve too; the dashboard sees them as a preview.
    expect((resolved.steps.find((s) => s.key === 'again')!.input as { message: string }).message.length).toBe(bytes);
    expect(run.steps.find((s) => s.key === 'again')!.input).toMatchObject({ truncated: true });
    const keys = await inTeam(platform.db, team.teamId, (tx) => tx.runPayload.findMany({ where: { runId }, select: { key: true } }));
    expect(keys.map((k) => k.key).sort()).toEqual([':output', 'again', 'again:args', 'big']);
    report('stored values in templates', [await measureHistory(runWorkflowId(runId))]);
  }, 120_000);
});

describe('wide maps', () => {
  it('a map over 5,000 items finishes in child workflows, each history under Temporal limits', async () => {
    const count = 5_000;
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        { id: 'list', type: 'tool', server: 'fixture', tool: 'number_list', args: { count } },
        {
          id: 'each',
          type: 'map',
          items: '{{ $steps.list.structuredContent.items }}',
          maxConcurrency: 50,
          steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: '{{ $string($item) }}' } }],
        },
      ],
      output: { count: '{{ $count($steps.each) }}', last: '{{ $steps.each[4999].text }}', sum: '{{ $sum($steps.each.($number(text))) }}' },
    });
    const run = await finished(runId, 600_000);
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    expect(run.output).toEqual({ count, last: '4999', sum: (count * (count - 1)) / 2 });
    const each = run.steps.find((s) => s.key === 'each')!;
    expect(each.status).toBe('succeeded');
    expect(isPayloadRef(each.output)).toBe(true);
    expect(run.steps.filter((s) => s.stepId === 'say' && s.status === 'succeeded')).toHaveLength(count);

    const measures = [await measureHistory(runWorkflowId(runId))];
    for (const id of chunkIds(runId, 'each', count)) measures.push(await measureHistory(id));
    expect(measures).toHaveLength(1 + count / MAP_CHUNK_ITEMS);
    report('5,000-item map', measures);
  }, 660_000);

  it('a map over a stored array fans out by reference to its items', async () => {
    // 600 items of 200 characters: above the threshold, so the items stay stored and each item is a reference.
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        { id: 'list', type: 'tool', server: 'fixture', tool: 'number_list', args: { count: 600, pad: 200 } },
        {
          id: 'each',
          type: 'map',
          items: '{{ $steps.list.structuredContent.items }}',
          maxConcurrency: 20,
          steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: "{{ $substringBefore($item, '.') }}" } }],
        },
      ],
      output: '{{ $steps.each[599].text }}',
    });
    const run = await finished(runId, 300_000);
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    expect(run.output).toBe('599');
    const rows = await inTeam(platform.db, team.teamId, (tx) => tx.runPayload.findMany({ where: { runId }, select: { key: true } }));
    expect(rows.map((r) => r.key)).toEqual(expect.arrayContaining(['list', 'each:items']));
    report('stored-array map', [
      await measureHistory(runWorkflowId(runId)),
      ...(await Promise.all(chunkIds(runId, 'each', 600).map(measureHistory))),
    ]);
  }, 360_000);

  it("a failing item inside a chunk fails the run with that item's step and error", async () => {
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        {
          id: 'each',
          type: 'map',
          items: '{{ [0..600] }}',
          maxConcurrency: 20,
          steps: [
            {
              id: 'pick',
              type: 'choice',
              choices: [
                {
                  when: '{{ $item = 550 }}',
                  steps: [
                    {
                      id: 'bad',
                      type: 'tool',
                      server: 'fixture',
                      tool: 'fail',
                      args: { message: 'item 550 is bad' },
                      retry: { maxAttempts: 1 },
                    },
                  ],
                },
              ],
              default: [{ id: 'ok', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'ok' } }],
            },
          ],
        },
      ],
    });
    const run = await finished(runId, 300_000);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ stepId: 'bad[550]', errorClass: 'tool_error' });
    expect((run.error as { message: string }).message).toMatch(/item 550 is bad/);
    expect(run.steps.find((s) => s.key === 'each')).toMatchObject({ status: 'failed' });
    const second = await platform.client.workflow.getHandle(`${runWorkflowId(runId)}/each/500`).describe();
    expect(second.status.name).toBe('FAILED');
  }, 360_000);

  it('cancelling a run cancels the chunk running its wide map, and the run ends cancelled', async () => {
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        {
          id: 'each',
          type: 'map',
          items: '{{ [0..600] }}',
          maxConcurrency: 2,
          steps: [{ id: 'nap', type: 'tool', server: 'fixture', tool: 'slow', args: { ms: 200 } }],
        },
      ],
    });
    await waitFor(
      async () => {
        const run = await platform.services.runs.get(team, runId, { payloads: 'preview' });
        return run.steps.filter((s) => s.status === 'succeeded').length >= 4 ? run : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, description: 'a few items to finish' },
    );
    await platform.services.runs.cancel(team, runId);
    const run = await finished(runId);
    expect(run.status).toBe('cancelled');
    const chunk = await platform.client.workflow.getHandle(`${runWorkflowId(runId)}/each/0`).describe();
    expect(['CANCELLED', 'TERMINATED']).toContain(chunk.status.name);
    expect(run.steps.some((s) => s.status === 'running')).toBe(false);
  }, 120_000);

  it('input beyond the item limit fails the run at the map, saying which bound', async () => {
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        {
          id: 'each',
          type: 'map',
          items: `{{ [0..${MAP_ITEMS_LIMIT}] }}`,
          steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'x' } }],
        },
      ],
    });
    const run = await finished(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ stepId: 'each', errorClass: 'invalid_arguments' });
    expect((run.error as { message: string }).message).toBe(
      `steps.each.items: ${MAP_ITEMS_LIMIT + 1} items, more than this map may take (${MAP_ITEMS_LIMIT}: steps.each.maxItems, default ${MAP_ITEMS_LIMIT}).`,
    );
    expect(run.steps.filter((s) => s.stepId === 'say')).toHaveLength(0);
  });

  it("a nested map shares the run's item limit with its outer map", async () => {
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        {
          id: 'outer',
          type: 'map',
          items: '{{ [1, 2] }}',
          steps: [
            {
              id: 'inner',
              type: 'map',
              items: `{{ [1..${MAP_ITEMS_LIMIT / 2 + 1}] }}`,
              steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'x' } }],
            },
          ],
        },
      ],
    });
    const run = await finished(runId);
    expect(run.status).toBe('failed');
    expect((run.error as { message: string }).message).toMatch(
      new RegExp(
        `^steps\\.inner\\.items: ${MAP_ITEMS_LIMIT / 2 + 1} items, more than this map may take \\(${MAP_ITEMS_LIMIT / 2}: the limit of ${MAP_ITEMS_LIMIT} items per run shared with the enclosing maps\\)\\.$`,
      ),
    );
  });

  it('a declared maxItems bounds the map at run time', async () => {
    const runId = await startAdHocRun(platform.services, team, {
      steps: [
        {
          id: 'few',
          type: 'map',
          items: '{{ [1, 2, 3, 4] }}',
          maxItems: 3,
          steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'x' } }],
        },
      ],
    });
    const run = await finished(runId);
    expect(run.status).toBe('failed');
    expect((run.error as { message: string }).message).toBe(
      'steps.few.items: 4 items, more than this map may take (3: steps.few.maxItems).',
    );
  });
});
