// Activities of a run: every tool call and every record the interpreter writes. Built by a factory that
// receives its dependencies, so tests hand in real ones pointed at test services.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import {
  DEFAULT_PAYLOAD_THRESHOLD_BYTES,
  IDEMPOTENCY_META_KEY,
  MissingPayloadError,
  ExpressionError,
  isPayloadRef,
  NEVER_RETRIED,
  readInstallationLimits,
  renderTemplate,
  retryDelayMs,
  toToolOutput,
  toolCallKey,
  type ExpressionScope,
  type PayloadRef,
  type ToolErrorClass,
  type ToolOutput,
} from '@manifold/core';
import {
  finishRun,
  finishStep,
  getInstallationByName,
  markRunRunning,
  recordStepWaiting,
  type Database,
  type InstallationChangeFeed,
  type InstallationWithServer,
} from '@manifold/db';
import { classifyError, classifyToolErrorResult, McpCallError, type McpPool } from '@manifold/mcp';
import type { CallToolInput, FinishStepInput, RenderValueInput, RunActivities } from '@manifold/workflows';
import { setupFailure } from '../secrets/setup-failure';
import { connectionSpecFor, type SpecHost } from '../connection-spec';
import { createInstallationLookup } from './installation-cache';
import { openAttemptRecord } from './attempt-record';
import { createEndedAttemptWriter } from './ended-attempt-writer';
import { INTERNAL_ERROR_MESSAGE, looksInternal } from './internal-errors';
import { toolPinCheck } from './tool-pin-check';
import { createPayloadStore } from './payload-store';
import { NO_SECRETS, type SecretBinder, type SecretBinding } from '../secrets/bind-secrets';
import { isUnknownOutcome, isUnsafeToRepeat, refuseRepeat } from '../resilience/repeat-guard';
import { enterCallGate, GateRefusal, type CallTicket } from '../resilience/call-gate';
import { TOOL_ACTIVITY_MARGIN_MS, TOOL_HEARTBEAT_INTERVAL_MS } from '@manifold/workflows';

export interface RunActivityDeps {
  db: Database;
  pool: McpPool;
  logger: Logger;
  dataDir: string;
  /** Sandbox defaults for stdio servers (see SpecHost). */
  sandbox?: SpecHost['sandbox'];
  /** The operator's MANIFOLD_ALLOWED_COMMANDS, re-checked before a team entry's program starts. */
  allowedCommands: readonly string[];
  bindSecrets: SecretBinder;
  /** How long an installation row is reused (default INSTALLATION_CACHE_TTL_MS; 0 reads it for every call). */
  installationCacheMs?: number | undefined;
  /** Announces installation changes, so the cache drops a changed row at once. */
  installationChanges?: InstallationChangeFeed | undefined;
  /** Values whose JSON is larger are stored in Postgres and referenced (default DEFAULT_PAYLOAD_THRESHOLD_BYTES). */
  payloadThresholdBytes?: number | undefined;
}

const MAX_ERROR_MESSAGE = 2000;

/** The text of an isError result, which is the tool's own explanation. */
function toolErrorMessage(output: ToolOutput): string {
  return (output.text || JSON.stringify(output.content)).slice(0, MAX_ERROR_MESSAGE);
}

/**
 * A Temporal failure whose type is our error class; the step's policy decides whether it is retried. The
 * delay before the next attempt follows the step's backoff with its jitter.
 */
function toFailure(
  errorClass: ToolErrorClass,
  message: string,
  input: CallToolInput,
  attempt: number,
  options: { nonRetryable?: boolean; retryAfterMs?: number } = {},
): ApplicationFailure {
  // An open circuit says when calls resume: never retry sooner than that.
  const delay = Math.max(input.retry ? retryDelayMs(input.retry, attempt) : 0, options.retryAfterMs ?? 0);
  return ApplicationFailure.create({
    type: errorClass,
    message,
    nonRetryable: options.nonRetryable || NEVER_RETRIED.includes(errorClass),
    ...(delay > 0 ? { nextRetryDelay: delay } : {}),
  });
}

/** A step's end as the record functions take it. */
function stepEnd(input: FinishStepInput) {
  return [
    { key: input.stepKey, stepId: input.stepId, kind: input.kind },
    {
      status: input.status,
      output: input.output,
      error: input.error,
      ...(input.startedAt !== undefined ? { startedAt: new Date(input.startedAt) } : {}),
    },
  ] as const;
}

export function createRunActivities(deps: RunActivityDeps): RunActivities {
  const { db, pool, logger, bindSecrets } = deps;
  const writeEnded = createEndedAttemptWriter(db);
  const payloads = createPayloadStore(db, { thresholdBytes: deps.payloadThresholdBytes ?? DEFAULT_PAYLOAD_THRESHOLD_BYTES });
  const lookupInstallation = createInstallationLookup(
    (teamId, name) => getInstallationByName(db, teamId, name),
    deps.installationCacheMs,
    deps.installationChanges,
  );
  async function callTool(input: CallToolInput): Promise<ToolOutput | PayloadRef> {
    const { teamId, runId, stepKey } = input;
    const context = Context.current();
    const attempt = context.info.attempt;
    const log = logger.child({ teamId, runId, stepKey, attempt, server: input.server, tool: input.tool });
    // Secrets are resolved first, so even the stored input of the attempt is redacted.
    let setupError: unknown;
    let installation: InstallationWithServer | null = null;
    let binding: SecretBinding = NO_SECRETS;
    // Arguments too big for history arrive as a reference (the attempt row keeps the reference, not the bulk).
    let resolvedArgs = input.args as Record<string, unknown>;
    try {
      if (isPayloadRef(input.args)) resolvedArgs = (await payloads.resolve(teamId, input.args)) as Record<string, unknown>;
      installation = await lookupInstallation(teamId, input.server);
      if (!installation) throw new McpCallError('not_found', `This team has no server installation named "${input.server}".`);
      binding = await bindSecrets(installation, { runId, stepKey });
    } catch (error) {
      setupError = setupFailure(error);
    }
    const { redactor } = binding;
    const isUnsafe = installation ? isUnsafeToRepeat(input.idempotent, installation.toolsSnapshot, input.tool) : input.idempotent === false;
    const idempotencyKey = toolCallKey(runId, stepKey);
    const record = openAttemptRecord(db, teamId, {
      start: {
        runId,
        stepKey,
        stepId: input.stepId,
        kind: 'tool',
        input: redactor.redact(input.args),
        attempt,
        idempotencyKey,
        startedAt: new Date(),
      },
      // A short idempotent call made as a local activity is written once, when it ends: a crash loses at most
      // the row of an attempt that is safe to repeat. Anything else leaves its evidence before calling.
      opensAtOnce: !context.info.isLocal || isUnsafe,
      writeEnded,
    });
    const opened = await record.opened;
    if (opened?.alreadySucceeded) return opened.output as ToolOutput;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);

    let output: ToolOutput;
    let ticket: CallTicket | undefined;
    // Heartbeats tell Temporal the worker is alive and bring it the run's cancellation (a local activity has
    // neither: its cancellation comes with the workflow task).
    const heartbeat = context.info.isLocal ? undefined : setInterval(() => context.heartbeat(), TOOL_HEARTBEAT_INTERVAL_MS);
    try {
      if (setupError || !installation) throw setupError;
      const refusal = isUnsafe && opened ? refuseRepeat(opened.priorAttempts) : null;
      if (refusal) throw new McpCallError('outcome_unknown', refusal);
      // Waiting for the installation's rate and concurrency limits counts against the call's timeout.
      const limits = readInstallationLimits(installation.limits);
      const timeoutMs = limits.timeoutMs ? Math.min(input.timeoutMs, limits.timeoutMs) : input.timeoutMs;
      const deadline = Date.now() + timeoutMs;
      ticket = await enterCallGate(db, teamId, installation, limits, {
        deadline,
        signal: context.cancellationSignal,
        leaseMs: timeoutMs + TOOL_ACTIVITY_MARGIN_MS,
      });
      const result = await pool.callTool(
        connectionSpecFor(installation, deps, binding.secrets, binding.authorization),
        input.tool,
        resolvedArgs,
        {
          timeoutMs: Math.max(1, deadline - Date.now()),
          signal: context.cancellationSignal,
          // Pinning holds at call time: a new session serves only the approved tool definitions.
          verifyTools: toolPinCheck(db, teamId, installation),
          // The same key on every attempt and every worker: a server that honours it can drop a repeat.
          meta: { [IDEMPOTENCY_META_KEY]: idempotencyKey },
        },
      );
      // A server may echo a secret back: nothing it returns leaves this activity unredacted.
      output = redactor.redact(toToolOutput(result));
      if (result.isError) {
        // An SDK server wraps its JSON-RPC errors (-32602 for refused arguments) in an isError result.
        const errorClass = classifyToolErrorResult(output.text);
        const what = errorClass === 'invalid_arguments' ? 'refused the arguments' : errorClass === 'tool_error' ? 'reported an error' : 'failed';
        throw new McpCallError(errorClass, `Tool "${input.tool}" ${what}: ${toolErrorMessage(output)}`);
      }
    } catch (error) {
      clearInterval(heartbeat);
      if (context.cancellationSignal.aborted) {
        await ticket?.leave('cancelled');
        await record.fail({ latencyMs: elapsed(), errorClass: 'cancelled', errorMessage: 'The run was cancelled.' });
        throw new CancelledFailure('The run was cancelled during this call.');
      }
      const failure = classifyError(error, `Tool "${input.tool}" on "${input.server}"`);
      // A call that may have taken effect is not repeated when repeating it is unsafe.
      const isFinal = failure.errorClass === 'outcome_unknown' || (isUnsafe && isUnknownOutcome(failure.errorClass));
      const note =
        isFinal && failure.errorClass !== 'outcome_unknown' ? ' Not retried: the call may have taken effect and it is not idempotent.' : '';
      // What the server or protocol said is the team's to read; our own internals (Prisma, paths) are not.
      const isFromServer = error instanceof McpCallError || (error instanceof Error && error.name === 'McpError');
      const said =
        isFromServer || !looksInternal(failure.message)
          ? failure.message
          : `Tool "${input.tool}" on "${input.server}": ${INTERNAL_ERROR_MESSAGE}`;
      if (said !== failure.message) log.error({ err: error }, 'tool call failed with an internal error');
      const message = redactor.redactText(said + note).slice(0, MAX_ERROR_MESSAGE);
      await ticket?.leave(failure.errorClass, message);
      await record.fail({ latencyMs: elapsed(), errorClass: failure.errorClass, errorMessage: message });
      log.warn({ errorClass: failure.errorClass, latencyMs: elapsed() }, 'tool call failed');
      throw toFailure(failure.errorClass, message, input, attempt, {
        nonRetryable: isFinal,
        ...(error instanceof GateRefusal ? { retryAfterMs: error.retryAfterMs } : {}),
      });
    }

    clearInterval(heartbeat);
    await ticket?.leave(null);
    const latencyMs = elapsed();
    // Above the threshold the output is stored once and the step (and Temporal history) keeps a reference.
    const kept = (await payloads.spill(teamId, { runId, key: stepKey, attempt }, output)) as ToolOutput | PayloadRef;
    const recorded = await record.succeed(latencyMs, kept);
    log.debug({ latencyMs }, 'tool call succeeded');
    return recorded;
  }

  async function renderValue(input: RenderValueInput): Promise<unknown> {
    let scope: ExpressionScope;
    try {
      scope = (await payloads.resolve(input.teamId, input.scope)) as ExpressionScope;
    } catch (error) {
      if (error instanceof MissingPayloadError) throw ApplicationFailure.nonRetryable(error.message, 'internal');
      throw error;
    }
    let value: unknown;
    try {
      value = await renderTemplate(input.template, scope, input.path);
    } catch (error) {
      if (error instanceof ExpressionError) throw ApplicationFailure.nonRetryable(error.message, 'invalid_arguments');
      throw error;
    }
    // A rendered value is the same every time, so attempt 0: a repeat finds the row it wrote.
    return payloads.spill(input.teamId, { runId: input.runId, key: input.key, attempt: 0 }, value);
  }

  return {
    callTool,
    renderValue,
    async storeValue({ teamId, runId, key, value }) {
      return payloads.store(teamId, { runId, key, attempt: 0 }, value);
    },
    async joinStoredArrays({ teamId, runId, key, parts }) {
      const arrays = (await payloads.resolve(teamId, parts)) as unknown[][];
      return payloads.store(teamId, { runId, key, attempt: 0 }, arrays.flat());
    },
    async markRunRunning({ teamId, runId }) {
      await markRunRunning(db, teamId, runId);
    },
    async finishStep(input) {
      await finishStep(db, input.teamId, input.runId, ...stepEnd(input));
    },
    async recordStepWaiting({ teamId, runId, stepKey, stepId, startedAt, wakeAt }) {
      await recordStepWaiting(db, teamId, runId, { key: stepKey, stepId, kind: 'wait' }, { startedAt: new Date(startedAt), wakeAt: new Date(wakeAt) });
    },
    async finishRun({ teamId, runId, status, output, error, steps }) {
      const ended = (steps ?? []).map((input) => {
        const [step, result] = stepEnd(input);
        return { step, result };
      });
      await finishRun(db, teamId, runId, { status, output, error }, ended);
      logger.info({ teamId, runId, status }, 'run finished');
    },
  };
}
