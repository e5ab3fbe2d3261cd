// Admission of one tool call through the installation's shared call gate (Postgres): fails fast with
// `circuit_open` while the breaker is open, and otherwise waits — for a free concurrency slot and for its
// reserved rate-limit slot — at most until the step's deadline, then fails with `rate_limited`.
import { setTimeout as sleep } from 'node:timers/promises';
import { hasCallGate, type BreakerSettings, type InstallationLimits, type ToolErrorClass } from '@manifold/core';
import { admitCall, completeCall, type CallVerdict, type Database } from '@manifold/db';
import { McpCallError } from '@manifold/mcp';

/** A refusal that says when trying again makes sense (the breaker's remaining cool-down). */
export class GateRefusal extends McpCallError {
  constructor(
    errorClass: ToolErrorClass,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(errorClass, message);
  }
}

export interface CallTicket {
  /** Returns the concurrency lease and tells the breaker how the call went. */
  leave(errorClass: ToolErrorClass | 'cancelled' | null, detail?: string): Promise<void>;
}

const NO_GATE: CallTicket = { leave: async () => undefined };
/**
 * Failures that say the server is unhealthy; others (bad arguments, our own limits, unknown tools) do not
 * count. A tool's own error counts only where the installation's breaker says so (`countToolErrors`): by
 * default one workflow's bad input cannot open the circuit for the whole team.
 */
const SERVER_FAILURES: readonly ToolErrorClass[] = ['transport_error', 'timeout', 'protocol_error'];
const BUSY_POLL_MS = { first: 10, max: 200 };

export function verdictOf(errorClass: ToolErrorClass | 'cancelled' | null, breaker?: Pick<BreakerSettings, 'countToolErrors'>): CallVerdict {
  if (errorClass === null) return 'success';
  if (errorClass === 'tool_error') return breaker?.countToolErrors ? 'failure' : 'neutral';
  return errorClass !== 'cancelled' && SERVER_FAILURES.includes(errorClass) ? 'failure' : 'neutral';
}

export async function enterCallGate(
  db: Database,
  teamId: string,
  installation: { id: string; name: string },
  limits: InstallationLimits,
  options: { deadline: number; signal?: AbortSignal; leaseMs: number },
): Promise<CallTicket> {
  if (!hasCallGate(limits)) return NO_GATE;
  let pollMs = BUSY_POLL_MS.first;
  for (;;) {
    const admission = await admitCall(db, teamId, installation.id, limits, options.leaseMs);
    if (admission.admitted) {
      const ticket: CallTicket = {
        leave: (errorClass, detail) =>
          completeCall(db, teamId, installation.id, {
            leaseId: admission.leaseId,
            isProbe: admission.isProbe,
            verdict: verdictOf(errorClass, limits.breaker),
            breaker: limits.breaker,
            ...(detail ? { detail: detail.slice(0, 200) } : {}),
          }),
      };
      if (admission.waitMs > 0) {
        if (Date.now() + admission.waitMs > options.deadline) {
          await ticket.leave('rate_limited');
          throw new GateRefusal(
            'rate_limited',
            `Server "${installation.name}" is at its rate limit; no slot within the step's timeout.`,
            admission.waitMs,
          );
        }
        await sleep(admission.waitMs, undefined, options.signal ? { signal: options.signal } : {});
      }
      return ticket;
    }
    if (admission.reason === 'circuit_open')
      throw new GateRefusal(
        'circuit_open',
        `The circuit breaker of server "${installation.name}" is open after repeated failures; calls resume after its cool-down.`,
        admission.retryAfterMs,
      );
    // Busy: every concurrency slot is taken. Wait (backpressure) until one frees or the step's time is up.
    if (Date.now() + pollMs > options.deadline)
      throw new GateRefusal(
        'rate_limited',
        `Server "${installation.name}" is at its concurrency limit for longer than the step's timeout.`,
        pollMs,
      );
    await sleep(pollMs, undefined, options.signal ? { signal: options.signal } : {});
    pollMs = Math.min(BUSY_POLL_MS.max, pollMs * 2);
  }
}
