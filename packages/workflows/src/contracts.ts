// What workflow code and the worker agree on: workflow names, their inputs and outputs, and the activity
// interfaces (workflow code imports these as types only). Arguments carry ids and names, never secrets.
import type {
  Evaluation,
  ExpressionScope,
  MapStep,
  PayloadRef,
  RetryPolicy,
  ServerMeasurements,
  Tier,
  ToolChange,
  ToolOutput,
  WorkflowDefinition,
} from '@manifold/core';

export const TASK_QUEUE_DEFAULT = 'manifold';

export interface InterpretRunInput {
  teamId: string;
  runId: string;
  definition: WorkflowDefinition;
  input: Record<string, unknown>;
  /** A retry of a failed run: outputs of the top-level steps that already succeeded, which are not run again. */
  completed?: Record<string, unknown>;
}

export interface RunFailure {
  stepId?: string;
  errorClass: string;
  message: string;
}

export type RunOutcome = { status: 'succeeded'; output: unknown } | { status: 'failed'; error: RunFailure };

export interface CallToolInput {
  teamId: string;
  runId: string;
  stepKey: string;
  stepId: string;
  server: string;
  tool: string;
  /** The rendered arguments, or a reference to them when they were too big for history (see renderValue). */
  args: Record<string, unknown> | PayloadRef;
  timeoutMs: number;
  /** false: an attempt whose outcome is unknown (timeout, dropped connection, worker crash) is never repeated. */
  idempotent?: boolean;
  /** The step's backoff, so the activity can set each retry's delay (jitter, and waits such as a circuit's cool-down). */
  retry?: Pick<RetryPolicy, 'initialInterval' | 'backoffCoefficient' | 'maxInterval' | 'jitter' | 'maxAttempts'>;
}

export interface FinishStepInput {
  teamId: string;
  runId: string;
  stepKey: string;
  stepId: string;
  kind: string;
  status: 'succeeded' | 'failed' | 'degraded' | 'cancelled' | 'skipped';
  output?: unknown;
  error?: RunFailure;
  /** When the step began (workflow time, ms since the epoch); used if no attempt opened the step. */
  startedAt?: number;
}

/** A wait step as it starts waiting (times are workflow time, ms since the epoch). */
export interface WaitingStepInput {
  teamId: string;
  runId: string;
  stepKey: string;
  stepId: string;
  startedAt: number;
  wakeAt: number;
}

/** A template whose scope holds stored values (references): rendered where they can be loaded. */
export interface RenderValueInput {
  teamId: string;
  runId: string;
  /** Where the value is made (the step execution's key and ":args", ":items", ":when", ":catch", ":output"). */
  key: string;
  template: unknown;
  /** Only what the template's expressions name (see scopeFor in the interpreter). */
  scope: ExpressionScope;
  /** The template's path in the definition, for error messages. */
  path: string;
}

/** Items per child workflow of a wide map (see MapChunkInput): each child's history stays small. */
export const MAP_CHUNK_ITEMS = 500;

/**
 * A slice of a wide map's items, run by its own child workflow (interpretMapChunk): its events and payloads go
 * to the child's history, and its outputs come back stored, as one reference.
 */
export interface MapChunkInput {
  teamId: string;
  runId: string;
  /** The map step (its `steps` run once per item). */
  step: MapStep;
  /** The part of the map's scope its steps' templates name. */
  scope: ExpressionScope;
  /** The map's key suffix and item budget (see the interpreter's Frame). */
  suffix: string;
  itemBudget: number;
  /** Index of the chunk's first item in the whole map. */
  start: number;
  /** The chunk's items, or a stored array and how many of its items from `start`. */
  items: unknown[] | { stored: PayloadRef; count: number };
}

export interface RunActivities {
  markRunRunning(input: { teamId: string; runId: string }): Promise<void>;
  /** The tool's output, or a reference to it once stored (above the payload threshold). */
  callTool(input: CallToolInput): Promise<ToolOutput | PayloadRef>;
  /** The rendered value, or a reference to it once stored; expression errors fail as invalid_arguments. */
  renderValue(input: RenderValueInput): Promise<unknown>;
  /** Stores an array (a map chunk's outputs) and returns its reference. */
  storeValue(input: { teamId: string; runId: string; key: string; value: unknown[] }): Promise<PayloadRef>;
  /** Joins stored arrays (a wide map's chunks, in order) into one stored array; returns its reference. */
  joinStoredArrays(input: { teamId: string; runId: string; key: string; parts: PayloadRef[] }): Promise<PayloadRef>;
  finishStep(input: FinishStepInput): Promise<void>;
  /** Records a wait step as `waiting` until `wakeAt` (insert only: never moves a step that already ended). */
  recordStepWaiting(input: WaitingStepInput): Promise<void>;
  finishRun(input: {
    teamId: string;
    runId: string;
    status: 'succeeded' | 'failed' | 'cancelled';
    output?: unknown;
    error?: RunFailure;
    /** Steps that ended right before the run (its last container step), written in the same transaction. */
    steps?: FinishStepInput[];
  }): Promise<void>;
}

export interface ListToolsInput {
  teamId: string;
  installationId: string;
}

export interface ToolSummary {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

/** How a listing compares with the installation's approved (pinned) tool definitions. */
export interface ToolPinningSummary {
  status: 'approved' | 'pending';
  changes: ToolChange[];
  snapshotId: string;
  /** A change not seen before: the server is re-certified (trigger tools_changed). */
  isNewChange?: boolean;
  serverId?: string;
}

export interface ServerActivities {
  refreshToolsSnapshot(input: ListToolsInput): Promise<{ tools: ToolSummary[]; latencyMs: number; pinning?: ToolPinningSummary }>;
}

/** Activity option presets, declared once. */
export const ACTIVITY_PRESETS = {
  /** Small Postgres writes: fast, retried patiently (a database restart must not fail a run). */
  dbWrite: {
    startToCloseTimeout: '30s',
    retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 30 },
  },
  /** The run sweep: a page of runs, each a Temporal describe and maybe a start; the next tick retries the rest. */
  runSweep: {
    startToCloseTimeout: '2m',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 },
  },
  /** Listing tools on behalf of the dashboard: the person is waiting, so fail fast. */
  listTools: {
    startToCloseTimeout: '60s',
    retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 2 },
  },
  /** Certification probing: many calls and fresh sessions; a failed probe is evidence, not a reason to retry much. */
  certificationProbe: {
    startToCloseTimeout: '5m',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '10s',
      maximumAttempts: 2,
    },
  },
} as const;

export type CertificationTrigger = 'manual' | 'schedule' | 'new_version' | 'tools_changed';

export interface CertifyServerInput {
  serverId: string;
  trigger: CertificationTrigger;
  /** The team that asked; with installationId, the server is reached through that installation's settings. */
  teamId?: string;
  installationId?: string;
  /**
   * Whose result it is. "team" (the default when a team asked): that team's private report. "system": the
   * catalog's canonical configuration, the tier of a public server for every team; never with installationId.
   */
  scope?: 'system' | 'team';
  /** Probe calls for reliability and latency (default 30). */
  probeCalls?: number;
}

export interface CertifyServerResult {
  certificationId: string;
  tier: Tier;
  previousTier: Tier | null;
  scores: Evaluation['scores'];
  reasons: string[];
  /** Teams told that the server lost tier. */
  flaggedTeams: number;
}

/** What one sweep may act on; the defaults suit the schedule (tests pass small ones). */
export interface SweepRunsInput {
  /** A queued run younger than this is left to the request that created it (it is starting it now). */
  startGraceMs?: number;
  /** A queued run older than this that is still not in Temporal fails as `never_started` instead of starting late. */
  neverStartedAfterMs?: number;
  /** Queued runs looked at per sweep (oldest first); as many running ones, and as many closed workflows. */
  limit?: number;
  /** How far back the sweep asks Temporal for closed workflows whose run may still be open (a few ticks). */
  closedLookbackMs?: number;
}

export interface SweepRunsResult {
  checked: number;
  /** Queued runs whose workflow was not in Temporal and was started now (their pinned version). */
  started: number;
  /** Runs ended here, with why (errorClass) — see RUN_SETTLEMENT_CLASSES in @manifold/services. */
  settled: Array<{ runId: string; status: 'failed' | 'cancelled'; errorClass: string | null }>;
  /** Runs this sweep could not look at (e.g. a database error); the next sweep tries them again. */
  skipped: number;
}

export interface ReconcileActivities {
  sweepUnsettledRuns(input: SweepRunsInput): Promise<SweepRunsResult>;
}

export interface CertificationActivities {
  measureServer(input: CertifyServerInput): Promise<{ serverVersion: string; measurements: ServerMeasurements }>;
  recordCertification(input: {
    serverId: string;
    serverVersion: string;
    trigger: CertificationTrigger;
    teamId?: string;
    scope?: 'system' | 'team';
    startedAt: string;
    evaluation: Evaluation;
    measurements: ServerMeasurements;
  }): Promise<Omit<CertifyServerResult, 'scores' | 'reasons'>>;
  /** Servers due for re-certification: certified before on an older version, or with tool changes since. */
  listServersToRecertify(): Promise<Array<{ serverId: string; trigger: CertificationTrigger }>>;
  /** "Test connection": a fresh initialize + tools/list through the installation's settings, timed. */
  probeConnection(input: ListToolsInput): Promise<ConnectionTestResult>;
}

export interface ConnectionTestResult {
  ok: boolean;
  initializeMs: number | null;
  listToolsMs: number | null;
  server: { name: string; version: string } | null;
  tools: string[];
  error: string | null;
}

/** A tool call heartbeats every few seconds; missing heartbeats this long means its worker is gone. */
export const TOOL_HEARTBEAT_TIMEOUT_MS = 10_000;
export const TOOL_HEARTBEAT_INTERVAL_MS = 2_000;

/**
 * Tool calls whose timeout is at most this run as local activities (see interpreter.ts); longer ones are
 * regular activities with heartbeats. A local activity holds its workflow task open (the SDK heartbeats it),
 * so a long one would delay the run's cancellation and other events by up to a workflow-task timeout.
 */
export const LOCAL_TOOL_CALL_MAX_TIMEOUT_MS = 60_000;

/** The margin between a tool call's own timeout and the activity's, for the attempt's database writes. */
export const TOOL_ACTIVITY_MARGIN_MS = 15_000;
