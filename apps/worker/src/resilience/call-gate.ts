// Admission of one tool call through the installation's shared call gate: fails fast with `circuit_open` while
// the breaker is open, and otherwise waits — for a free concurrency slot and for its reserved rate-limit slot —
// at most until the step's deadline, then fails with `rate_limited`. The rules are @manifold/core's
// call-gate-rules; the shared state is @manifold/db's; this file does the waiting and the errors.
import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import {
  decideAdmission,
  decideCompletion,
  hasCallGate,
  spreadRetryAfter,
  verdictOf,
  type AdmissionDecision,
  type InstallationLimits,
  type ToolErrorClass,
} from '@manifold/core';
import { releaseCallLease, updateCallGate, type Database } from '@manifold/db';
import { McpCallError } from '@manifold/mcp';

/** A refusal that says when trying again makes sense (already spread with jitter for an open circuit). */
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
  /** Returns the lease (concurrency or probe slot) and tells the breaker how the call went. */
  leave(errorClass: ToolErrorClass | 'cancelled' | null, detail?: string): Promise<void>;
}

const NO_GATE: CallTicket = { leave: async () => undefined };

/**
 * Polling for a free concurrency slot: cockatiel's decorrelated-jitter backoff from 10 ms up to 200 ms, so that
 * callers waiting on the same installation do not poll Postgres in lock-step.
 */
const BUSY_BACKOFF = new ExponentialBackoff({ initialDelay: 10, maxDelay: 200 });

export async function enterCallGate(
  db: Database,
  teamId: string,
  installation: { id: string; name: string },
  limits: InstallationLimits,
  options: { deadline: number; signal?: AbortSignal; leaseMs: number },
): Promise<CallTicket> {
  if (!hasCallGate(limits)) return NO_GATE;
  const { breaker } = limits;
  let backoff: IBackoff<unknown> | undefined;
  for (;;) {
    const { result: admission, leaseId } = await updateCallGate<AdmissionDecision>(db, teamId, installation.id, (gate) => {
      const decision = decideAdmission(gate, limits, options.leaseMs);
      return { result: decision, change: decision.admitted ? decision.change : undefined };
    });
    if (admission.admitted) {
      const ticket: CallTicket = {
        leave: (errorClass, detail) =>
          releaseCallLease(
            db,
            teamId,
            installation.id,
            leaseId,
            breaker
              ? (gate, { wasProbe }) =>
                  decideCompletion(gate, breaker, { verdict: verdictOf(errorClass, breaker), wasProbe, detail: detail?.slice(0, 200) })
              : undefined,
          ),
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
        // Spread: runs refused during one cool-down must not all come back the instant it ends.
        spreadRetryAfter(admission.retryAfterMs, breaker?.coolDownMs ?? 0),
      );
    // Busy: every concurrency slot is taken. Wait (backpressure) until one frees or the step's time is up.
    backoff = (backoff ?? BUSY_BACKOFF).next(undefined);
    const pollMs = Math.max(1, Math.round(backoff.duration));
    if (Date.now() + pollMs > options.deadline)
      throw new GateRefusal(
        'rate_limited',
        `Server "${installation.name}" is at its concurrency limit for longer than the step's timeout.`,
        pollMs,
      );
    await sleep(pollMs, undefined, options.signal ? { signal: options.signal } : {});
  }
}
