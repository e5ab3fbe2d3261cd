// Determinism guard: the committed histories of real runs (test/histories, one per step kind, plus the child
// workflows of a wide map) replay against the current interpreter. A change to workflow code that would break runs
// already in flight fails here; guard it with `patched()` and record a new history (npm run record:histories)
// rather than re-recording over it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createPayloadCodec, parseKeyring } from '@manifold/secrets';
import { failureConverterPath, workflowBundleOptions } from '../src/create-worker';
import { KINDS_WITH_CHILDREN, RECORDED_KINDS, REPLAY_KEYRING } from './histories/replay-key';

const historiesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');
const dataConverter = { failureConverterPath, payloadCodecs: [createPayloadCodec(parseKeyring(REPLAY_KEYRING))] };
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const HISTORY_FILE = /^(?<name>(?<kind>[^.]+)(?:\.chunk-\d+)?)\.json(?<gz>\.gz)?$/;

/** Every committed history: `<kind>.json`, a child workflow's `<kind>.chunk-<n>.json`; big ones gzipped (.json.gz). */
function loadHistories() {
  return readdirSync(historiesDir)
    .flatMap((file) => {
      const match = HISTORY_FILE.exec(file);
      if (!match) return [];
      const { name, kind, gz } = match.groups!;
      const bytes = readFileSync(path.join(historiesDir, file));
      const json = (gz ? gunzipSync(bytes) : bytes).toString('utf8');
      return [{ workflowId: name!, kind: kind!, isChild: name !== kind, history: historyFromJSON(JSON.parse(json)) }];
    })
    .sort((a, b) => a.workflowId.localeCompare(b.workflowId));
}

type Recorded = ReturnType<typeof loadHistories>[number];
const startOf = (history: Recorded['history']) => history.events?.[0]?.workflowExecutionStartedEventAttributes;
/** The workflow type a history ran (its first event says). */
const workflowTypeOf = (history: Recorded['history']) => startOf(history)?.workflowType?.name;

/**
 * What to replay: a run that started children must replay under its real workflow id (the children's ids derive
 * from it, and the history does not hold its own id): its children's histories name it as their parent.
 */
function toReplay(histories: Recorded[]) {
  const parentIds = new Map(histories.filter((h) => h.isChild).map((h) => [h.kind, startOf(h.history)?.parentWorkflowExecution?.workflowId]));
  return histories.map((h) => ({ name: h.workflowId, workflowId: (!h.isChild && parentIds.get(h.kind)) || h.workflowId, history: h.history }));
}

/** Replays and reports each history by its file name, with the error if it failed. */
async function replay(workflowBundle: Awaited<ReturnType<typeof bundleWorkflowCode>>, histories: Recorded[]) {
  const replays = toReplay(histories);
  const names = new Map(replays.map((r) => [r.workflowId, r.name]));
  const results: Array<{ workflowId: string; error?: string }> = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter }, replays))
    results.push({ workflowId: names.get(result.workflowId)!, ...(result.error ? { error: String(result.error.message ?? result.error) } : {}) });
  return results;
}

// A failed replay is reported in its result; the SDK's own state-change logs are noise here.
Runtime.install({ logger: new DefaultLogger('ERROR') });

describe('workflow replay', () => {
  it('has a recorded history for every step kind, and the child workflows of the kinds that start them', () => {
    const histories = loadHistories();
    expect(histories.filter((h) => !h.isChild).map((h) => h.workflowId)).toEqual([...RECORDED_KINDS].sort((a, b) => a.localeCompare(b)));
    for (const h of histories) expect(workflowTypeOf(h.history), h.workflowId).toBe(h.isChild ? 'interpretMapChunk' : 'interpretRun');
    const kindsWithChildren = new Set(histories.filter((h) => h.isChild).map((h) => h.kind));
    expect([...kindsWithChildren].sort()).toEqual([...KINDS_WITH_CHILDREN].sort());
  });

  it('replays every recorded history against the current interpreter', async () => {
    const histories = loadHistories();
    const workflowBundle = await bundleWorkflowCode({ ...workflowBundleOptions, logger: silent });
    expect(await replay(workflowBundle, histories)).toEqual(histories.map(({ workflowId }) => ({ workflowId })));
  }, 120_000);

  it("fails on a workflow change that breaks a recorded history, a child workflow's included", async () => {
    const histories = loadHistories().filter((h) => h.workflowId === 'tool' || h.workflowId === 'map-chunks.chunk-500');
    expect(histories).toHaveLength(2);
    const workflowsPath = path.join(historiesDir, 'diverging-workflow.ts');
    const workflowBundle = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: silent });
    expect(await replay(workflowBundle, histories)).toEqual(
      histories.map(({ workflowId }) => ({ workflowId, error: expect.stringMatching(/nondeterminism/i) })),
    );
  }, 120_000);
});
