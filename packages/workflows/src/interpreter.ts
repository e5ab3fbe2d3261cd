// The one workflow that runs any definition: walks the steps (tool calls, maps with bounded fan-out, parallel
// branches, choices, durable waits), renders arguments from earlier outputs, calls tools as activities with
// the step's retry policy, applies `catch` fallbacks, and records how each step and the run ended.
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  deprecatePatch,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  DEFAULT_RETRY_POLICY,
  DEFAULT_STEP_TIMEOUT,
  containsPayloadRef,
  ExpressionError,
  isPayloadRef,
  MAP_ITEMS_LIMIT,
  NEVER_RETRIED,
  payloadItemRef,
  renderTemplate,
  toMilliseconds,
  type ChoiceStep,
  type ExpressionScope,
  type MapStep,
  type ParallelStep,
  type PayloadRef,
  type Step,
  type ToolStep,
  type WaitStep,
} from '@manifold/core/workflow-runtime';
import { runAllSettled, runBounded } from './bounded';
import { scopeFor } from './template-scope';
import {
  ACTIVITY_PRESETS,
  LOCAL_TOOL_CALL_MAX_TIMEOUT_MS,
  MAP_CHUNK_ITEMS,
  TOOL_ACTIVITY_MARGIN_MS,
  TOOL_HEARTBEAT_TIMEOUT_MS,
  type FinishStepInput,
  type InterpretRunInput,
  type MapChunkInput,
  type RunActivities,
  type RunFailure,
  type RunOutcome,
} from './contracts';

/**
 * Record writes and short tool calls run as local activities: in the worker that runs the workflow task, with
 * no task queue round trip and no second workflow task per step (what made a step cost ≈ 50 ms).
 * The patch that introduced them is deprecated: runs recorded with its marker still replay (test/histories in
 * apps/worker prove it); runs from before it (no marker) are no longer supported. Once no run with the marker
 * can be in flight, the deprecatePatch call goes too.
 */
const LOCAL_ACTIVITIES_PATCH = 'local-activities-v1';
const localRecords = proxyLocalActivities<RunActivities>(ACTIVITY_PRESETS.dbWrite);

/** A run as the interpreter walks it: whose it is and how it reaches its activities. */
interface RunContext {
  teamId: string;
  runId: string;
  records: typeof localRecords;
  /** Success records of the run's last step, written with the run's end (one local activity fewer). */
  owedRecords: FinishStepInput[];
}

/** A step failed and the run cannot go on; carries what the run record should say. */
class StepFailed extends Error {
  constructor(readonly failure: RunFailure) {
    super(failure.message);
  }
}

/**
 * Where a step runs: what its expressions see, the suffix of its key ("[3]" inside item 3 of a map), and how
 * many items its maps may still fan out to (MAP_ITEMS_LIMIT divided by the item counts of the enclosing maps).
 */
interface Frame {
  scope: ExpressionScope;
  suffix: string;
  itemBudget: number;
}

export async function interpretRun(input: InterpretRunInput): Promise<RunOutcome> {
  deprecatePatch(LOCAL_ACTIVITIES_PATCH);
  const { teamId, runId, definition } = input;
  const run: RunContext = { teamId, runId, records: localRecords, owedRecords: [] };
  const { records } = run;
  // The first step need not wait for the run to be marked running: the two writes go out together. The
  // mark only moves a `queued` run, so it cannot undo the end either; it is awaited before the end is written,
  // and its failure is not the run's (the end write moves a `queued` run as well).
  const marking = records.markRunRunning({ teamId, runId }).catch(() => undefined);
  const scope: ExpressionScope = { input: input.input, steps: {} };
  try {
    const frame: Frame = { scope, suffix: '', itemBudget: MAP_ITEMS_LIMIT };
    const last = await runSequence(run, definition.steps, frame, input.completed, true);
    const output = definition.output === undefined ? last : await renderOutput(run, definition.output, frame);
    await marking;
    await records.finishRun({ teamId, runId, status: 'succeeded', output, ...owed(run) });
    return { status: 'succeeded', output };
  } catch (error) {
    await marking;
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => records.finishRun({ teamId, runId, status: 'cancelled', ...owed(run) }));
      throw error;
    }
    const failure = error instanceof StepFailed ? error.failure : { errorClass: 'internal', message: String(error) };
    await records.finishRun({ teamId, runId, status: 'failed', error: failure, ...owed(run) });
    // Fail the Temporal execution too, so its UI and metrics agree with ours; it is never retried.
    throw ApplicationFailure.nonRetryable(failure.message, failure.errorClass, failure);
  }
}

/** The owed step records for finishRun (taken, so a later end does not write them twice). */
function owed(run: RunContext): { steps?: FinishStepInput[] } {
  const steps = run.owedRecords.splice(0);
  return steps.length ? { steps } : {};
}

/**
 * Runs steps in order; each sees the outputs of the ones before it. Returns the last step's output. Steps in
 * `completed` (a retried run's earlier successes) are not run again: their outputs are reused, recorded `skipped`.
 * With `owesLast`, the last step's success record is left to the run's end, which writes it in its transaction.
 */
async function runSequence(
  run: RunContext,
  steps: Step[],
  frame: Frame,
  completed?: Record<string, unknown>,
  owesLast = false,
): Promise<unknown> {
  let last: unknown = null;
  for (const [index, step] of steps.entries()) {
    if (completed && step.id in completed) {
      last = completed[step.id];
      const { teamId, runId, records } = run;
      await records.finishStep({ teamId, runId, stepKey: step.id, stepId: step.id, kind: step.type, status: 'skipped', output: last });
    } else last = await runStep(run, step, frame, owesLast && index === steps.length - 1);
    frame.scope.steps[step.id] = last;
  }
  return last;
}

/** A nested frame: its own copy of the outputs seen so far, so siblings running at once do not see each other. */
const childFrame = (frame: Frame, extra: Partial<ExpressionScope> = {}, suffix = frame.suffix, itemBudget = frame.itemBudget): Frame => ({
  scope: { ...frame.scope, steps: { ...frame.scope.steps }, ...extra },
  suffix,
  itemBudget,
});

async function runStep(run: RunContext, step: Step, frame: Frame, isOwed = false): Promise<unknown> {
  const { teamId, runId, records } = run;
  const key = step.id + frame.suffix;
  const startedAt = Date.now(); // workflow time: replay-safe
  const ended = (status: FinishStepInput['status'], output?: unknown, error?: RunFailure): FinishStepInput => ({
    teamId,
    runId,
    stepKey: key,
    stepId: step.id,
    kind: step.type,
    status,
    output,
    error,
    startedAt,
  });
  const record = (status: 'succeeded' | 'failed' | 'degraded' | 'cancelled', output?: unknown, error?: RunFailure) =>
    records.finishStep(ended(status, output, error));

  try {
    const output = await executeStep(run, step, frame, key);
    // A tool call records its own success in the same activity; the other kinds are recorded here, or by the
    // run's end when nothing follows (a fan-out's map step: one local activity and transaction fewer).
    if (step.type !== 'tool') {
      if (isOwed) run.owedRecords.push(ended('succeeded', output));
      else await record('succeeded', output);
    }
    return output;
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => record('cancelled'));
      throw error;
    }
    const failure: RunFailure =
      error instanceof StepFailed
        ? error.failure
        : { stepId: key, errorClass: 'internal', message: error instanceof Error ? error.message : String(error) };
    if (!step.catch) {
      await record('failed', undefined, failure);
      throw new StepFailed(failure);
    }
    // The fallback: a default value or another step; either way this step is `degraded`, with the reason.
    const errorScope = { errorClass: failure.errorClass, message: failure.message };
    let output: unknown;
    try {
      output =
        'value' in step.catch
          ? await renderValue(
              run,
              step.catch.value,
              childFrame(frame, { error: errorScope }),
              `steps.${step.id}.catch.value`,
              `${key}:catch`,
            )
          : await runStep(run, step.catch.step, childFrame(frame, { error: errorScope }));
    } catch (fallbackError) {
      if (isCancellation(fallbackError)) throw fallbackError;
      const fallbackFailure =
        fallbackError instanceof StepFailed
          ? fallbackError.failure
          : (renderFailure(key, fallbackError) ?? {
              stepId: key,
              errorClass: 'invalid_arguments',
              message: String((fallbackError as Error).message ?? fallbackError),
            });
      await record('failed', undefined, fallbackFailure);
      throw new StepFailed(fallbackFailure);
    }
    await record('degraded', output, failure);
    return output;
  }
}

async function executeStep(run: RunContext, step: Step, frame: Frame, key: string): Promise<unknown> {
  switch (step.type) {
    case 'tool':
      return executeToolStep(run, step, frame, key);
    case 'map':
      return executeMapStep(run, step, frame, key);
    case 'parallel':
      return executeParallelStep(run, step, frame);
    case 'choice':
      return executeChoiceStep(run, step, frame, key);
    case 'wait':
      return executeWaitStep(run, step, key);
  }
}

const WAIT_VISIBLE_PATCH = 'wait-visible-v1';

/**
 * Sleeps durably. The step is recorded `waiting`, with its wake-up time, while the timer runs, so the run page
 * and the API show it (runs from before the patch replay as they ran: a bare timer, the step written at its end).
 */
async function executeWaitStep(run: RunContext, step: WaitStep, key: string): Promise<null> {
  const durationMs = toMilliseconds(step.duration);
  if (!patched(WAIT_VISIBLE_PATCH)) {
    await sleep(durationMs);
    return null;
  }
  const startedAt = Date.now(); // workflow time: replay-safe
  const timer = sleep(durationMs);
  const { teamId, runId } = run;
  // Visibility only: a write that keeps failing does not fail the wait (the step's end is recorded anyway).
  const recording = run.records
    .recordStepWaiting({ teamId, runId, stepKey: key, stepId: step.id, startedAt, wakeAt: startedAt + durationMs })
    .catch((error: unknown) => {
      if (isCancellation(error)) throw error;
    });
  await Promise.all([timer, recording]);
  return null;
}

/** Whether a value holds a "{{ … }}" template anywhere (what renderTemplate would change). */
function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value && typeof value === 'object') return Object.values(value).some(hasTemplate);
  return false;
}

/** A template's failure (its expression, or the activity that rendered it) as the step's; null for anything else. */
function renderFailure(key: string, error: unknown): RunFailure | null {
  if (error instanceof ExpressionError) return { stepId: key, errorClass: 'invalid_arguments', message: error.message };
  if (error instanceof ActivityFailure) return describeActivityFailure(key, error);
  return null;
}

async function render(run: RunContext, value: unknown, frame: Frame, path: string, key: string, suffix: string): Promise<unknown> {
  try {
    return await renderValue(run, value, frame, path, `${key}:${suffix}`);
  } catch (error) {
    const failure = renderFailure(key, error);
    throw failure ? new StepFailed(failure) : error;
  }
}

/**
 * Renders a template. When what it names holds stored values (references), it is rendered by an activity that
 * can load them, and a result above the threshold comes back as a reference too; else here, as pure code.
 * Runs from before claim-check never hold references, so their replays issue the same commands as before.
 */
async function renderValue(run: RunContext, value: unknown, frame: Frame, path: string, key: string): Promise<unknown> {
  const scope = scopeFor(value, frame.scope);
  if (!containsPayloadRef(scope)) return renderTemplate(value, frame.scope, path);
  return run.records.renderValue({ teamId: run.teamId, runId: run.runId, key, template: value, scope, path });
}

async function executeMapStep(run: RunContext, step: MapStep, frame: Frame, key: string): Promise<unknown> {
  const rendered = await render(run, step.items, frame, `steps.${step.id}.items`, key, 'items');
  // A stored array fans out without loading it here: each item is a reference to its place in it.
  const stored = isPayloadRef(rendered) && rendered.length !== undefined ? rendered : null;
  const count = stored ? stored.length! : Array.isArray(rendered) ? rendered.length : -1;
  if (count < 0)
    throw new StepFailed({
      stepId: key,
      errorClass: 'invalid_arguments',
      message: `steps.${step.id}.items: expected an array, got ${isPayloadRef(rendered) ? 'a stored object' : typeof rendered}.`,
    });
  const bound = Math.min(step.maxItems ?? MAP_ITEMS_LIMIT, frame.itemBudget);
  if (count > bound)
    throw new StepFailed({
      stepId: key,
      errorClass: 'invalid_arguments',
      message:
        `steps.${step.id}.items: ${count} items, more than this map may take (${bound}: ` +
        (bound === frame.itemBudget && bound < (step.maxItems ?? MAP_ITEMS_LIMIT)
          ? `the limit of ${MAP_ITEMS_LIMIT} items per run shared with the enclosing maps).`
          : `steps.${step.id}.maxItems${step.maxItems === undefined ? `, default ${MAP_ITEMS_LIMIT}` : ''}).`),
    });
  const itemBudget = Math.floor(frame.itemBudget / Math.max(1, count));
  // Wide maps run in child workflows, MAP_CHUNK_ITEMS items each, so no history holds thousands of calls.
  // (Runs that reached a wide map before this change replay inline: the patch marker is absent.)
  if (count > MAP_CHUNK_ITEMS && patched(MAP_CHUNKS_PATCH)) {
    const items = stored ?? (rendered as unknown[]);
    return executeMapInChunks(run, step, frame, key, { items, count, itemBudget });
  }
  const itemAt = (index: number): unknown => (stored ? payloadItemRef(stored, index) : (rendered as unknown[])[index]);
  return runBounded(count, step.maxConcurrency, (index) =>
    runSequence(run, step.steps, childFrame(frame, { item: itemAt(index), index }, `${frame.suffix}[${index}]`, itemBudget)),
  );
}

const MAP_CHUNKS_PATCH = 'map-chunks-v1';

/**
 * Runs a wide map as child workflows, one after another (so `maxConcurrency` holds for the whole map); each
 * stores its outputs and returns their reference, and the map's output is their join: one reference.
 */
async function executeMapInChunks(
  run: RunContext,
  step: MapStep,
  frame: Frame,
  key: string,
  map: { items: PayloadRef | unknown[]; count: number; itemBudget: number },
): Promise<PayloadRef> {
  const { teamId, runId } = run;
  const scope = scopeFor(step.steps, frame.scope);
  const parts: PayloadRef[] = [];
  for (let start = 0; start < map.count; start += MAP_CHUNK_ITEMS) {
    const count = Math.min(MAP_CHUNK_ITEMS, map.count - start);
    const chunk: MapChunkInput = {
      teamId,
      runId,
      step,
      scope,
      suffix: frame.suffix,
      itemBudget: map.itemBudget,
      start,
      items: Array.isArray(map.items) ? map.items.slice(start, start + count) : { stored: map.items, count },
    };
    try {
      parts.push(await executeChild(interpretMapChunk, { args: [chunk], workflowId: `${workflowInfo().workflowId}/${key}/${start}` }));
    } catch (error) {
      if (isCancellation(error)) throw error;
      throw new StepFailed(describeChildFailure(key, error));
    }
  }
  return run.records.joinStoredArrays({ teamId, runId, key: `${key}:output`, parts });
}

/** A chunk of a wide map (see executeMapInChunks): its items' steps, then its outputs stored. */
export async function interpretMapChunk(input: MapChunkInput): Promise<PayloadRef> {
  const { teamId, runId, step, start } = input;
  const run: RunContext = { teamId, runId, records: localRecords, owedRecords: [] };
  const frame: Frame = { scope: input.scope, suffix: input.suffix, itemBudget: input.itemBudget };
  const items = input.items;
  const count = Array.isArray(items) ? items.length : items.count;
  const itemAt = (i: number): unknown => (Array.isArray(items) ? items[i] : payloadItemRef(items.stored, start + i));
  let outputs: unknown[];
  try {
    outputs = await runBounded(count, step.maxConcurrency, (i) =>
      runSequence(
        run,
        step.steps,
        childFrame(frame, { item: itemAt(i), index: start + i }, `${input.suffix}[${start + i}]`, input.itemBudget),
      ),
    );
  } catch (error) {
    if (error instanceof StepFailed) throw ApplicationFailure.nonRetryable(error.failure.message, error.failure.errorClass, error.failure);
    throw error;
  }
  return run.records.storeValue({ teamId, runId, key: `${step.id}${input.suffix}:items-${start}`, value: outputs });
}

/** What a failed chunk said: the failure of the step inside it (its ApplicationFailure carries it). */
function describeChildFailure(key: string, error: unknown): RunFailure {
  const cause = error instanceof ChildWorkflowFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    const failure = cause.details?.[0] as RunFailure | undefined;
    return { stepId: failure?.stepId ?? key, errorClass: cause.type ?? 'internal', message: cause.message };
  }
  return { stepId: key, errorClass: 'internal', message: error instanceof Error ? error.message : String(error) };
}

async function executeParallelStep(run: RunContext, step: ParallelStep, frame: Frame): Promise<Record<string, unknown>> {
  const names = Object.keys(step.branches);
  const outputs = await runAllSettled(names.map((name) => () => runSequence(run, step.branches[name]!, childFrame(frame))));
  return Object.fromEntries(names.map((name, i) => [name, outputs[i]]));
}

/** JSONata-style truth: false, null, 0, "" and empty arrays/objects are false. */
function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

async function executeChoiceStep(run: RunContext, step: ChoiceStep, frame: Frame, key: string): Promise<unknown> {
  for (const [index, choice] of step.choices.entries()) {
    if (isTruthy(await render(run, choice.when, frame, `steps.${step.id}.choices[${index}].when`, key, 'when')))
      return runSequence(run, choice.steps, childFrame(frame));
  }
  return step.default ? runSequence(run, step.default, childFrame(frame)) : null;
}

async function executeToolStep(run: RunContext, step: ToolStep, frame: Frame, key: string): Promise<unknown> {
  const { teamId, runId } = run;
  // Literal arguments are used as they are: rendering would cost JSONata nothing but a dozen promises, each
  // of which the SDK's workflow sandbox tags with a stack trace (measurable in a 50-item fan-out).
  const args = (hasTemplate(step.args) ? await render(run, step.args, frame, `steps.${step.id}.args`, key, 'args') : step.args) as Record<
    string,
    unknown
  >;

  const policy = { ...DEFAULT_RETRY_POLICY, ...step.retry };
  const timeoutMs = toMilliseconds(step.timeout ?? DEFAULT_STEP_TIMEOUT);
  const retry = {
    maximumAttempts: policy.maxAttempts,
    initialInterval: toMilliseconds(policy.initialInterval),
    backoffCoefficient: policy.backoffCoefficient,
    maximumInterval: toMilliseconds(policy.maxInterval),
    nonRetryableErrorTypes: [...NEVER_RETRIED, ...policy.nonRetryable],
  };
  // A cancelled run waits for the call to stop, so its attempt row is closed first.
  const cancellationType = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;
  // Local: a short call that is safe to repeat (a local activity restarts after a worker crash, and has no
  // heartbeat; its cancellation arrives with the next workflow task). A long or non-idempotent call stays a
  // regular activity that heartbeats, so Temporal notices a dead worker and counts its attempts durably.
  const isLocal = step.idempotent !== false && timeoutMs <= LOCAL_TOOL_CALL_MAX_TIMEOUT_MS;
  const { callTool } = isLocal
    ? proxyLocalActivities<RunActivities>({ startToCloseTimeout: timeoutMs + TOOL_ACTIVITY_MARGIN_MS, cancellationType, retry })
    : proxyActivities<RunActivities>({
        startToCloseTimeout: timeoutMs + TOOL_ACTIVITY_MARGIN_MS,
        heartbeatTimeout: TOOL_HEARTBEAT_TIMEOUT_MS,
        cancellationType,
        retry,
      });

  try {
    return await callTool({
      teamId,
      runId,
      stepKey: key,
      stepId: step.id,
      server: step.server,
      tool: step.tool,
      args,
      timeoutMs,
      idempotent: step.idempotent !== false,
      retry: {
        initialInterval: policy.initialInterval,
        backoffCoefficient: policy.backoffCoefficient,
        maxInterval: policy.maxInterval,
        jitter: policy.jitter,
        maxAttempts: policy.maxAttempts,
      },
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    throw new StepFailed(describeActivityFailure(key, error));
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

async function renderOutput(run: RunContext, template: unknown, frame: Frame): Promise<unknown> {
  try {
    return await renderValue(run, template, frame, 'output', ':output');
  } catch (error) {
    const failure = renderFailure('output', error);
    if (!failure) throw error;
    // The run's output is no step: its failure names none.
    throw new StepFailed({ errorClass: failure.errorClass, message: failure.message });
  }
}
