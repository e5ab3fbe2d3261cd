// Never blindly repeat a call that may already have happened: a tool step marked `idempotent: false`, or a
// tool its server annotates as destructive (and not idempotent), is not called again after an attempt whose
// outcome is unknown — a timeout, a dropped connection, or a worker that died mid-call.
import type { ToolErrorClass } from '@manifold/core';
import type { PriorAttempt } from '@manifold/db';

/** Error classes after which the call may or may not have taken effect on the server. */
export const UNKNOWN_OUTCOME: readonly string[] = ['timeout', 'transport_error', 'outcome_unknown'];

interface ToolAnnotations {
  destructiveHint?: unknown;
  idempotentHint?: unknown;
}

/** Whether repeating the call is unsafe: the step says so, or the tool's snapshot annotations do. */
export function isUnsafeToRepeat(stepIdempotent: boolean | undefined, toolsSnapshot: unknown, tool: string): boolean {
  if (stepIdempotent === false) return true;
  if (!Array.isArray(toolsSnapshot)) return false;
  const entry = (toolsSnapshot as Array<{ name?: unknown; annotations?: ToolAnnotations }>).find((t) => t.name === tool);
  // MCP's default for destructiveHint is true, which would make nearly every tool unrepeatable; only an
  // explicit annotation counts.
  return entry?.annotations?.destructiveHint === true && entry.annotations.idempotentHint !== true;
}

/** The reason not to make this attempt, or null when it is safe. */
export function refuseRepeat(priorAttempts: PriorAttempt[]): string | null {
  const uncertain = priorAttempts.find((p) => p.status === 'running' || (p.errorClass !== null && UNKNOWN_OUTCOME.includes(p.errorClass)));
  if (!uncertain) return null;
  const how = uncertain.status === 'running' ? 'the worker stopped during it' : `it ended with ${uncertain.errorClass}`;
  return `Not repeated: attempt ${uncertain.attempt} may have taken effect (${how}) and this tool call is not idempotent.`;
}

export function isUnknownOutcome(errorClass: ToolErrorClass): boolean {
  return UNKNOWN_OUTCOME.includes(errorClass);
}
