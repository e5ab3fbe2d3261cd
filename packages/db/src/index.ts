export { APP_ROLE, createDatabase, createSystemDatabase, isDatabaseUnavailable, isUniqueViolation } from './client';
export type { Database, SystemDatabase } from './client';
export { listAuditLog, recordAudit, recordSignIn } from './audit';
export type { Actor, AuditEntry, AuditFilter } from './audit';
export {
  createTeam,
  createUserWithTeam,
  deleteTeam,
  findOrCreateProviderUser,
  renameTeam,
  findTeamByName,
  findUserByEmail,
  getMembership,
  listTeamsForUser,
} from './identity';
export type { Role, TeamSummary } from './identity';
export { deleteSession, deleteSessionsOfUser, findUserById, insertSession, isSessionActive, setPasswordHash } from './sessions';
export { findApiKeyByPrefix, getApiKey, insertApiKey, listApiKeys, revokeApiKey, touchApiKey } from './api-keys';
export type { ApiKeyRecord } from './api-keys';
export { createPrivateServer, findServerForTeam, listCatalog, upsertPublicServer } from './catalog';
export type { CatalogEntryInput } from './catalog';
export {
  createInstallation,
  deleteInstallation,
  getInstallationById,
  getInstallationByName,
  listInstallations,
  updateInstallationConfig,
} from './installations';
export type { InstallationWithServer, ToolDefinition } from './installations';
export { INSTALLATION_CHANGE_CHANNEL, startInstallationChangeFeed } from './installation-changes';
export type { InstallationChangeFeed, InstallationChangeListener } from './installation-changes';
export { createWorkflow, getWorkflowBySlug, listCurrentDefinitions, listWorkflows } from './workflows';
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
  recordEndedAttempts,
  recordStepWaiting,
} from './runs';
export { listRunPayloadHeads, loadRunPayloads, readRunPayload, storeRunPayload } from './run-payloads';
export type { NewRunPayload, RunPayloadHead, StoredRunPayload } from './run-payloads';
export type { AttemptStart, EndedAttempt, EndedAttemptRecord, NewRun, PriorAttempt, RunDetail, RunRow, StepAlreadySucceeded } from './runs';
export { findUnsettledRuns, listUnsettledRuns, settleRun } from './run-settlement';
export type { UnsettledRun } from './run-settlement';
export { inTeam, setTeam } from './tenant';
export type { Tx } from './tenant';
export {
  addSecretVersion,
  createSecret,
  deleteSecret,
  ensureTeamKey,
  getSecretByName,
  listSecrets,
  listTeamIdsWithKeys,
  loadSecretsForUse,
  rewrapTeamKeys,
  rotateTeamKey,
} from './secrets';
export type { SealedVersion, SecretForUse, SecretMetadata, SecretUse, StoredVersion, TeamKeyRow, WrapNewKey } from './secrets';
export { addMember, changeMemberRole, listMembers, removeMember } from './members';
export type { MemberRow } from './members';
export { hitRateLimit, peekRateLimit, readRateLimit, resetRateLimit } from './rate-limits';
export type { RateLimitHit } from './rate-limits';
export { acceptInvitation, createInvitation, findInvitationByTokenHash, listPendingInvitations, revokeInvitation } from './invitations';
export type { InvitationRow } from './invitations';
export {
  approveToolSnapshot,
  approvedToolSnapshot,
  heldToolsByInstallation,
  listToolSnapshots,
  recordToolListing,
  verifyToolListing,
} from './tool-snapshots';
export type { ToolListingResult, ToolSnapshotRow } from './tool-snapshots';
export {
  createTeamServer,
  deleteTeamServer,
  findTeamServer,
  latestToolsOfServer,
  listTeamServerVersions,
  searchCatalog,
  updateTeamServer,
} from './catalog-queries';
export type { CatalogSearchRow } from './catalog-queries';
export {
  currentTiersOfInstallations,
  getCertification,
  getServerForCertification,
  getTeamServerPolicy,
  insertCertification,
  listCertifications,
  listTierAlerts,
  serversToRecertify,
  setTeamServerPolicy,
} from './certifications';
export type { NewCertification } from './certifications';
export { CIRCUIT_HISTORY_LIMIT, getCallGateStatus, releaseCallLease, updateCallGate } from './call-gate';
export { setInstallationLimits } from './installation-limits';
export type { LimitsChangeRule } from './installation-limits';
export { archiveWorkflow, listWorkflowVersions, saveWorkflowVersion } from './workflow-versions';
export { createOAuthAuthorization, deleteOAuthToken, readOAuthToken, takeOAuthAuthorization, withOAuthRefreshLock } from './oauth';
export type { NewOAuthAuthorization, OAuthRefreshLock, OAuthTokenRow, PendingOAuthAuthorization, SealedBytes } from './oauth';
