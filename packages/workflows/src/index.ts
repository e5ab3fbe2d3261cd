// Front door for clients and the worker: names and types only. Workflow code itself is ./workflows.
export {
  ACTIVITY_PRESETS,
  LOCAL_TOOL_CALL_MAX_TIMEOUT_MS,
  MAP_CHUNK_ITEMS,
  TASK_QUEUE_DEFAULT,
  TOOL_ACTIVITY_MARGIN_MS,
  TOOL_HEARTBEAT_INTERVAL_MS,
  TOOL_HEARTBEAT_TIMEOUT_MS,
} from './contracts';
export type {
  CallToolInput,
  FinishStepInput,
  InterpretRunInput,
  ListToolsInput,
  MapChunkInput,
  RenderValueInput,
  RunActivities,
  RunFailure,
  RunOutcome,
  ServerActivities,
  ToolSummary,
  ToolPinningSummary,
  WaitingStepInput,
  CertificationActivities,
  ReconcileActivities,
  SweepRunsInput,
  SweepRunsResult,
  CertificationTrigger,
  CertifyServerInput,
  CertifyServerResult,
  ConnectionTestResult,
} from './contracts';

/** Workflow type names, as registered by the worker's bundle. */
export const WORKFLOW_TYPES = {
  interpretRun: 'interpretRun',
  interpretMapChunk: 'interpretMapChunk',
  listServerTools: 'listServerTools',
  certifyServer: 'certifyServer',
  recertifyServers: 'recertifyServers',
  testServerConnection: 'testServerConnection',
  sweepRuns: 'sweepRuns',
} as const;
