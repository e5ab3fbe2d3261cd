// The public shape of a run, shared by the REST API and the dashboard (its schema: runResponse in @manifold/core,
// which the OpenAPI document shows; the return types below keep the two the same).
import { isTerminalRunStatus, type RunResponse, type RunSummaryResponse } from '@manifold/core';
import type { RunDetail, RunRow } from '@manifold/db';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

type RunSummarySource = RunRow & {
  workflow: { slug: string; name: string };
  workflowVersion: { version: number };
  steps: Array<{ status: string; wakeAt: Date | null }>;
};

/** The earliest wake-up of the run's steps still `waiting`, or null (the run is not sleeping in a wait step). */
function waitingUntil(steps: RunSummarySource['steps']): string | null {
  const wakes = steps.filter((s) => s.status === 'waiting' && s.wakeAt).map((s) => s.wakeAt!.getTime());
  return wakes.length ? new Date(Math.min(...wakes)).toISOString() : null;
}

export function presentRunSummary(run: RunSummarySource): RunSummaryResponse {
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
    /** Set while the run sleeps in a wait step: when it wakes up. */
    waitingUntil: isTerminalRunStatus(run.status) ? null : waitingUntil(run.steps),
  };
}

export function presentRun(run: RunDetail): RunResponse {
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
      /** A wait step: when it wakes up (set while it is `waiting`, kept after). */
      wakeAt: iso(step.wakeAt),
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

export type RunView = RunResponse;
export type RunSummaryView = RunSummaryResponse;
