// The one workflow that runs any definition: walks the steps, renders arguments from earlier outputs, calls
// tools as activities with the step's retry policy, and records how the run ended.
import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import {
  DEFAULT_RETRY_POLICY,
  DEFAULT_STEP_TIMEOUT,
  ExpressionError,
  NEVER_RETRIED,
  renderTemplate,
  toMilliseconds,
  type ExpressionScope,
  type Step,
  type ToolStep,
} from '@manifold/core';
import {
  ACTIVITY_PRESETS,
  TOOL_ACTIVITY_MARGIN_MS,
  type InterpretRunInput,
  type RunActivities,
  type RunFailure,
  type RunOutcome,
} from './contracts';

const records = proxyActivities<RunActivities>(ACTIVITY_PRESETS.dbWrite);

/** A step failed and the run cannot go on; carries what the run record should say. */
class StepFailed extends Error {
  constructor(readonly failure: RunFailure) {
    super(failure.message);
  }
}

export async function interpretRun(run: InterpretRunInput): Promise<RunOutcome> {
  const { teamId, runId, definition } = run;
  await records.markRunRunning({ teamId, runId });
  const scope: ExpressionScope = { input: run.input, steps: {} };
  try {
    let last: unknown = null;
    for (const step of definition.steps) {
      last = await executeStep(run, step, scope);
      scope.steps[step.id] = last;
    }
    const output = definition.output === undefined ? last : await renderOutput(definition.output, scope);
    await records.finishRun({ teamId, runId, status: 'succeeded', output });
    return { status: 'succeeded', output };
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => records.finishRun({ teamId, runId, status: 'cancelled' }));
      throw error;
    }
    const failure = error instanceof StepFailed ? error.failure : { errorClass: 'internal', message: String(error) };
    await records.finishRun({ teamId, runId, status: 'failed', error: failure });
    // Fail the Temporal execution too, so its UI and metrics agree with ours; it is never retried.
    throw ApplicationFailure.nonRetryable(failure.message, failure.errorClass, failure);
  }
}

async function executeStep(run: InterpretRunInput, step: Step, scope: ExpressionScope): Promise<unknown> {
  switch (step.type) {
    case 'tool':
      return executeToolStep(run, step, scope);
  }
}

async function executeToolStep(run: InterpretRunInput, step: ToolStep, scope: ExpressionScope): Promise<unknown> {
  const { teamId, runId } = run;
  const stepKey = step.id;
  const fail = async (failure: RunFailure): Promise<never> => {
    await records.finishStep({ teamId, runId, stepKey, stepId: step.id, kind: step.type, status: 'failed', error: failure });
    throw new StepFailed(failure);
  };

  let args: Record<string, unknown>;
  try {
    args = (await renderTemplate(step.args, scope, `steps.${step.id}.args`)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ExpressionError) return fail({ stepId: step.id, errorClass: 'invalid_arguments', message: error.message });
    throw error;
  }

  const policy = { ...DEFAULT_RETRY_POLICY, ...step.retry };
  const timeoutMs = toMilliseconds(step.timeout ?? DEFAULT_STEP_TIMEOUT);
  const { callTool } = proxyActivities<RunActivities>({
    startToCloseTimeout: timeoutMs + TOOL_ACTIVITY_MARGIN_MS,
    retry: {
      maximumAttempts: policy.maxAttempts,
      initialInterval: toMilliseconds(policy.initialInterval),
      backoffCoefficient: policy.backoffCoefficient,
      maximumInterval: toMilliseconds(policy.maxInterval),
      nonRetryableErrorTypes: [...NEVER_RETRIED, ...policy.nonRetryable],
    },
  });

  try {
    return await callTool({ teamId, runId, stepKey, stepId: step.id, server: step.server, tool: step.tool, args, timeoutMs });
  } catch (error) {
    if (isCancellation(error)) throw error;
    return fail(describeActivityFailure(step.id, error));
  }
}

/** The innermost ApplicationFailure names the error class (its type) and says what went wrong. */
function describeActivityFailure(stepId: string, error: unknown): RunFailure {
  let cause: unknown = error;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) return { stepId, errorClass: cause.type ?? 'tool_error', message: cause.message };
  if (error instanceof ActivityFailure && /timeout/i.test(String(error.cause?.message ?? error.message)))
    return { stepId, errorClass: 'timeout', message: error.cause?.message ?? error.message };
  return { stepId, errorClass: 'internal', message: error instanceof Error ? error.message : String(error) };
}

async function renderOutput(template: unknown, scope: ExpressionScope): Promise<unknown> {
  try {
    return await renderTemplate(template, scope, 'output');
  } catch (error) {
    if (error instanceof ExpressionError) throw new StepFailed({ errorClass: 'invalid_arguments', message: error.message });
    throw error;
  }
}
