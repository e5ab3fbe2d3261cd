/** The Temporal workflow id of a run: deterministic, so a repeated start finds the same execution. */
export const runWorkflowId = (runId: string) => `run-${runId}`;

/** The idempotency key a tool call carries: stable across retries and worker crashes. */
export const toolCallKey = (runId: string, stepKey: string) => `${runId}:${stepKey}`;
