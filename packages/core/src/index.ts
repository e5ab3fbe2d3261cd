export { AppError, ERROR_CODES, isAppError, notFound, toProblem, validationFailed } from './errors';
export type { ErrorCode, FieldError, ProblemDetails } from './errors';
export { fieldErrorsFromZod, formatPath, parseOrThrow, zodToAppError } from './zod-errors';
export { boundedJson, findJsonBoundsViolation, JSON_BOUNDS } from './json-bounds';
export type { JsonBoundsViolation } from './json-bounds';
export { durationSchema, toMilliseconds } from './durations';
export type { Duration } from './durations';
export { NEVER_RETRIED, TOOL_ERROR_CLASSES } from './tool-errors';
export type { ToolErrorClass } from './tool-errors';
export {
  DEFAULT_RETRY_POLICY,
  DEFAULT_STEP_TIMEOUT,
  retryPolicySchema,
  stepSchema,
  toolStepSchema,
  workflowDefinitionSchema,
  workflowSlugSchema,
} from './workflow-definition';
export type { RetryPolicy, Step, ToolStep, WorkflowDefinition } from './workflow-definition';
export { checkTemplates, collectExpressions, ExpressionError, renderTemplate } from './templates';
export type { ExpressionScope } from './templates';
export { validateDefinition } from './validate-definition';
export type { InstallationCatalog } from './validate-definition';
export {
  createInstallationBody,
  createRunBody,
  createWorkflowBody,
  idempotencyKeySchema,
  installationNameSchema,
  isTerminalRunStatus,
  listRunsQuery,
  RUN_STATUSES,
  runListResponse,
  runResponse,
  runStepResponse,
  runSummaryResponse,
  STEP_STATUSES,
  updateWorkflowBody,
} from './api';
export type {
  CreateInstallationBody,
  CreateRunBody,
  CreateWorkflowBody,
  RunResponse,
  RunStatus,
  RunSummaryResponse,
  StepStatus,
} from './api';
export { IDEMPOTENCY_META_KEY, runWorkflowId, toolCallKey } from './ids';
export { toToolOutput } from './tool-result';
export {
  collectPayloadRefs,
  containsPayloadRef,
  DEFAULT_PAYLOAD_THRESHOLD_BYTES,
  isPayloadRef,
  MissingPayloadError,
  PAYLOAD_REF_FIELD,
  payloadItemRef,
  replacePayloadRefs,
  reservedMarkerErrors,
  resolvePayloadRefs,
  selectPayloadPart,
} from './payload-ref';
export type { LoadedPayload, PayloadRef } from './payload-ref';
export type { ToolContent, ToolOutput } from './tool-result';
export {
  createSecretBody,
  deleteSecretQuery,
  deleteInstallationQuery,
  installationAuthSchema,
  patchInstallationBody,
  putSecretBody,
  secretNameSchema,
  updateInstallationBody,
} from './api';
export type { CreateSecretBody, InstallationAuth, InstallationConfig, PutSecretBody, UpdateInstallationBody } from './api';
export { assertValidSecretReferences, oauthSecretNames, secretReferences, substituteSecrets } from './secret-references';
export { allowedCommandsSetting, checkServerCommand } from './server-command';
export { deleteServerQuery, updateServerBody } from './team-server';
export type { UpdateServerBody } from './team-server';
export { ACTIONS, can, isRole, outranksOrEquals, PERMISSIONS, ROLES } from './permissions';
export type { Action, Role } from './permissions';
export { diffToolSets, toolsUsedBy } from './tool-pinning';
export type { PinnedTool, ToolChange, ToolChangeKind, ToolUse } from './tool-pinning';
export {
  MANIFOLD_META_KEY,
  SERVER_JSON_SCHEMA_URL,
  TIERS,
  catalogEntryFromServerJson,
  catalogQuery,
  catalogSlugSchema,
  createServerBody,
  serverJsonFromCatalogEntry,
  serverJsonSchema,
} from './server-json';
export type { CatalogEntry, CatalogQuery, CreateServerBody, ServerJson, Tier } from './server-json';
export {
  ADVISORY_SEVERITIES,
  CERTIFIED_FLOORS,
  DIMENSIONS,
  EVALUATOR_VERSION,
  LATENCY_BUDGETS,
  scaledLatencyBudgets,
  VERIFIED_FLOORS,
  describeMarker,
  evaluate,
  percentile,
  scanDescription,
  tierRank,
} from './tier-rules';
export type { AdvisorySeverity, Check, LatencyBudgets, MeasuredSandbox, Dimension, Evaluation, Scores, ServerMeasurements } from './tier-rules';
export { redactUrl, redactUrlsInText } from './url-redaction';
export {
  catchSchema,
  choiceStepSchema,
  DEFAULT_MAP_CONCURRENCY,
  MAP_ITEMS_LIMIT,
  mapStepSchema,
  parallelStepSchema,
  waitStepSchema,
  workflowDefinitionJsonSchema,
} from './workflow-definition';
export type { ChoiceStep, MapStep, ParallelStep, StepCatch, StepKind, WaitStep } from './workflow-definition';
export { childSequences } from './validate-definition';
export { choice, map, parallel, tool, wait, when, workflow, WorkflowBuilder } from './builder';
export type { ToolOptions } from './builder';
export { retryDelayMs } from './retry-delay';
export { breakerSettingsSchema, hasCallGate, installationLimitsSchema, readInstallationLimits } from './installation-limits';
export type { BreakerSettings, InstallationLimits } from './installation-limits';
export {
  callsResumeAt,
  decideAdmission,
  decideCompletion,
  decideLimitsChange,
  MAX_RETRY_SPREAD_MS,
  PROBE_WAIT_MS,
  spreadRetryAfter,
  verdictOf,
} from './call-gate-rules';
export type {
  AdmissionDecision,
  CallGateChange,
  CallGateState,
  CallGateView,
  CallVerdict,
  CircuitStateName,
  CircuitTransition,
} from './call-gate-rules';
export {
  ARGUMENT_FORMATS,
  advisorySchema,
  argumentKey,
  environmentVariableSchema,
  isLoaderVariable,
  launchDeclarationsOf,
  launchNetworkSchema,
  packageArgumentSchema,
} from './launch-declarations';
export type { Advisory, ArgumentFormat, EnvironmentVariable, LaunchDeclarations, LaunchNetwork, PackageArgument } from './launch-declarations';
export { checkInstallationConfig, requireLaunchDeclarations, resolveInFolder, resolveLaunch } from './resolve-launch';
export type { EgressTarget, LaunchEntry, LaunchOptions, LaunchPlan } from './resolve-launch';
export { sandboxLimitsOf, sandboxModeOf, sandboxPolicyView, sandboxSettingsShape } from './sandbox-settings';
export type { SandboxLimitsView, SandboxMode, SandboxPolicyView } from './sandbox-settings';
export { ownEndpointSettingsShape } from './own-endpoint-settings';
