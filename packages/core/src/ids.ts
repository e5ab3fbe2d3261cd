/** The Temporal workflow id of a run: deterministic, so a repeated start finds the same execution. */
export const runWorkflowId = (runId: string) => `run-${runId}`;

/** The idempotency key a tool call carries: stable across retries and worker crashes. */
export const toolCallKey = (runId: string, stepKey: string) => `${runId}:${stepKey}`;

/** Where each tools/call carries its toolCallKey in `_meta`, so a server that honours it can drop a repeat. */
export const IDEMPOTENCY_META_KEY = 'io.manifold/idempotency-key';
