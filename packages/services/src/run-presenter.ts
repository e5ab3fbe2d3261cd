// The public shape of a run, shared by the REST API and the dashboard.
import type { RunDetail, RunRow } from '@manifold/db';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export function presentRunSummary(run: RunRow & { workflow: { slug: string; name: string }; workflowVersion: { version: number } }) {
  return {
    id: run.id,
    workflow: run.workflow.slug,
    workflowName: run.workflow.name,
    workflowVersion: run.workflowVersion.version,
    status: run.status,
    retryOfRunId: run.retryOfRunId,
    createdAt: iso(run.createdAt),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
  };
}

export function presentRun(run: RunDetail) {
  return {
    ...presentRunSummary(run),
    input: run.input,
    output: run.output,
    error: run.error,
    steps: run.steps.map((step) => ({
      key: step.key,
      stepId: step.stepId,
      kind: step.kind,
      status: step.status,
      input: step.input,
      output: step.output,
      error: step.error,
      startedAt: iso(step.startedAt),
      finishedAt: iso(step.finishedAt),
      attempts: step.attempts.map((a) => ({
        attempt: a.attempt,
        status: a.status,
        startedAt: iso(a.startedAt),
        finishedAt: iso(a.finishedAt),
        latencyMs: a.latencyMs,
        errorClass: a.errorClass,
        errorMessage: a.errorMessage,
      })),
    })),
  };
}

export type RunView = ReturnType<typeof presentRun>;
export type RunSummaryView = ReturnType<typeof presentRunSummary>;
