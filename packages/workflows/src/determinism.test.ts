// Workflow code must bundle for Temporal's sandbox: no Node built-ins, no I/O modules. The lint rules say
// so; this proves the real bundle builds.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bundleWorkflowCode } from '@temporalio/worker';

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('workflow bundle', () => {
  it('bundles the interpreter for the Temporal sandbox', async () => {
    const workflowsPath = createRequire(import.meta.url).resolve('@manifold/workflows/workflows');
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: silent });
    expect(code).toContain('interpretRun');
    expect(code).toContain('listServerTools');
    // Every new run evaluates the bundle's modules again: zod's schema construction must not be among them.
    expect(code).not.toMatch(/node_modules\/zod\//);
  }, 60_000);
});
