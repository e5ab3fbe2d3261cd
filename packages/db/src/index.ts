export { createDatabase, isUniqueViolation } from './client';
export type { Database } from './client';
export { listAuditLog, recordAudit } from './audit';
export type { Actor, AuditEntry } from './audit';
export { createTeam, createUserWithTeam, findTeamByName, findUserByEmail, getMembership, listTeamsForUser } from './identity';
export type { Role, TeamSummary } from './identity';
export { findApiKeyByPrefix, insertApiKey, listApiKeys, touchApiKey } from './api-keys';
export type { ApiKeyRecord } from './api-keys';
export { createPrivateServer, findServerForTeam, listCatalog, upsertPublicServer } from './catalog';
export type { CatalogEntryInput } from './catalog';
export { createInstallation, getInstallationById, getInstallationByName, listInstallations, saveToolsSnapshot } from './installations';
export type { InstallationWithServer, ToolDefinition } from './installations';
export { createWorkflow, getWorkflowBySlug, listWorkflows } from './workflows';
export {
  beginAttempt,
  createRetryRun,
  createRunOnce,
  finishAttempt,
  finishRun,
  finishStep,
  finishSuccessfulAttempt,
  getRun,
  listRuns,
  markRunRunning,
} from './runs';
export type { AttemptStart, NewRun, PriorAttempt, RunDetail, RunRow } from './runs';
export { inTeam, setTeam } from './tenant';
export type { Tx } from './tenant';
export { admitCall, completeCall, getCallGateStatus } from './call-gate';
export type { Admission, CallVerdict, CircuitStateName, GateLimits } from './call-gate';
export { setInstallationLimits } from './installation-limits';
export { archiveWorkflow, listWorkflowVersions, saveWorkflowVersion } from './workflow-versions';
