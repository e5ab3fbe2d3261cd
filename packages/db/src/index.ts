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
export {
  createInstallation,
  getInstallationById,
  getInstallationByName,
  listInstallations,
  saveToolsSnapshot,
  updateInstallationConfig,
} from './installations';
export type { InstallationWithServer, ToolDefinition } from './installations';
export { createWorkflow, getWorkflowBySlug, listWorkflows } from './workflows';
export { beginAttempt, createRunOnce, finishAttempt, finishRun, finishStep, getRun, listRuns, markRunRunning } from './runs';
export type { AttemptStart, NewRun, RunDetail, RunRow } from './runs';
export { inTeam, setTeam } from './tenant';
export type { Tx } from './tenant';
export {
  addSecretVersion,
  createSecret,
  deleteSecret,
  ensureTeamKey,
  getSecretByName,
  getTeamKey,
  listSecrets,
  listTeamIdsWithKeys,
  loadSecretsForUse,
  rewrapTeamKeys,
  rotateTeamKey,
} from './secrets';
export type { SealedVersion, SecretForUse, SecretMetadata, SecretUse, StoredVersion, TeamKeyRow, WrapNewKey } from './secrets';
