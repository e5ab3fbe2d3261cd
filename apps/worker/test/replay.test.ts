// Determinism guard: the committed histories of real runs (test/histories, one per step kind) replay against
// the current interpreter. A change to workflow code that would break runs already in flight fails here;
// guard it with `patched()` and record a new history (npm run record:histories) rather than re-recording over it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createPayloadCodec, parseKeyring } from '@manifold/secrets';
import { failureConverterPath, workflowBundleOptions } from '../src/create-worker';
import { RECORDED_KINDS, REPLAY_KEYRING } from './histories/replay-key';

const historiesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');
const dataConverter = { failureConverterPath, payloadCodecs: [createPayloadCodec(parseKeyring(REPLAY_KEYRING))] };
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function loadHistories() {
  return readdirSync(historiesDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ workflowId: path.basename(file, '.json'), history: historyFromJSON(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8'))) }))
    .sort((a, b) => a.workflowId.localeCompare(b.workflowId));
}

// A failed replay is reported in its result; the SDK's own state-change logs are noise here.
Runtime.install({ logger: new DefaultLogger('ERROR') });

describe('workflow replay', () => {
  it('has a recorded history for every step kind', () => {
    expect(loadHistories().map((h) => h.workflowId)).toEqual([...RECORDED_KINDS].sort((a, b) => a.localeCompare(b)));
  });

  it('replays every recorded history against the current interpreter', async () => {
    const histories = loadHistories();
    const workflowBundle = await bundleWorkflowCode({ ...workflowBundleOptions, logger: silent });
    const results: Array<{ workflowId: string; error?: string }> = [];
    const replays = Worker.runReplayHistories({ workflowBundle, dataConverter }, histories);
    for await (const result of replays)
      results.push({ workflowId: result.workflowId, ...(result.error ? { error: String(result.error.message ?? result.error) } : {}) });
    expect(results).toEqual(histories.map(({ workflowId }) => ({ workflowId })));
  }, 120_000);

  it('fails on a workflow change that breaks a recorded history', async () => {
    const [history] = loadHistories().filter((h) => h.workflowId === 'tool');
    const workflowsPath = path.join(historiesDir, 'diverging-workflow.ts');
    const workflowBundle = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: silent });
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter }, [history!])) results.push(result);
    expect(results).toHaveLength(1);
    expect(results[0]!.error?.message).toMatch(/nondeterminism/i);
  }, 120_000);
});
