// Activities of a run: every tool call and every record the interpreter writes. Built by a factory that
// receives its dependencies, so tests hand in real ones pointed at test services.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import { AppError, NEVER_RETRIED, toToolOutput, toolCallKey, type ToolErrorClass, type ToolOutput } from '@manifold/core';
import { beginAttempt, finishAttempt, finishRun, finishStep, getInstallationByName, markRunRunning, type Database } from '@manifold/db';
import { classifyError, McpCallError, type McpPool } from '@manifold/mcp';
import type { CallToolInput, RunActivities } from '@manifold/workflows';
import { createRedactor } from '@manifold/secrets';
import { connectionSpecFor } from '../connection-spec';
import type { SecretBinder, SecretBinding } from '../secrets/bind-secrets';

export interface RunActivityDeps {
  db: Database;
  pool: McpPool;
  logger: Logger;
  dataDir: string;
  bindSecrets: SecretBinder;
}

const MAX_ERROR_MESSAGE = 2000;

/** The text of an isError result, which is the tool's own explanation. */
function toolErrorMessage(output: ToolOutput): string {
  return (output.text || JSON.stringify(output.content)).slice(0, MAX_ERROR_MESSAGE);
}

/** A Temporal failure whose type is our error class; the step's policy decides whether it is retried. */
function toFailure(errorClass: ToolErrorClass, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: errorClass, message, nonRetryable: NEVER_RETRIED.includes(errorClass) });
}

export function createRunActivities({ db, pool, logger, dataDir, bindSecrets }: RunActivityDeps): RunActivities {
  async function callTool(input: CallToolInput): Promise<ToolOutput> {
    const { teamId, runId, stepKey } = input;
    const context = Context.current();
    const attempt = context.info.attempt;
    const log = logger.child({ teamId, runId, stepKey, attempt, server: input.server, tool: input.tool });
    // Secrets are resolved first, so even the stored input of the attempt is redacted.
    let setupError: unknown;
    let installation: Awaited<ReturnType<typeof getInstallationByName>> = null;
    let binding: SecretBinding = { secrets: { values: new Map(), versions: {} }, redactor: createRedactor([]) };
    try {
      installation = await getInstallationByName(db, teamId, input.server);
      if (!installation) throw new McpCallError('not_found', `This team has no server installation named "${input.server}".`);
      binding = await bindSecrets(installation, { runId, stepKey });
    } catch (error) {
      setupError = error instanceof AppError && error.code === 'not_found' ? new McpCallError('not_found', error.message) : error;
    }
    const { redactor } = binding;
    const { attemptId } = await beginAttempt(db, teamId, {
      runId,
      stepKey,
      stepId: input.stepId,
      kind: 'tool',
      input: redactor.redact(input.args),
      attempt,
      idempotencyKey: toolCallKey(runId, stepKey),
    });
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);

    let output: ToolOutput;
    try {
      if (setupError || !installation) throw setupError;
      const result = await pool.callTool(connectionSpecFor(installation, dataDir, binding.secrets), input.tool, input.args, {
        timeoutMs: input.timeoutMs,
        signal: context.cancellationSignal,
      });
      // A server may echo a secret back: nothing it returns leaves this activity unredacted.
      output = redactor.redact(toToolOutput(result));
      if (result.isError) throw new McpCallError('tool_error', `Tool "${input.tool}" reported an error: ${toolErrorMessage(output)}`);
    } catch (error) {
      const failure = classifyError(error, `Tool "${input.tool}" on "${input.server}"`);
      const message = redactor.redactText(failure.message).slice(0, MAX_ERROR_MESSAGE);
      await finishAttempt(db, teamId, attemptId, {
        status: 'failed',
        latencyMs: elapsed(),
        errorClass: failure.errorClass,
        errorMessage: message,
      });
      log.warn({ errorClass: failure.errorClass, latencyMs: elapsed() }, 'tool call failed');
      throw toFailure(failure.errorClass, message);
    }

    const latencyMs = elapsed();
    await finishAttempt(db, teamId, attemptId, { status: 'succeeded', latencyMs });
    await finishStep(db, teamId, runId, { key: stepKey, stepId: input.stepId, kind: 'tool' }, { status: 'succeeded', output });
    log.debug({ latencyMs }, 'tool call succeeded');
    return output;
  }

  return {
    callTool,
    async markRunRunning({ teamId, runId }) {
      await markRunRunning(db, teamId, runId);
    },
    async finishStep(input) {
      await finishStep(
        db,
        input.teamId,
        input.runId,
        { key: input.stepKey, stepId: input.stepId, kind: input.kind },
        {
          status: input.status,
          output: input.output,
          error: input.error,
        },
      );
    },
    async finishRun({ teamId, runId, status, output, error }) {
      await finishRun(db, teamId, runId, { status, output, error });
      logger.info({ teamId, runId, status }, 'run finished');
    },
  };
}
