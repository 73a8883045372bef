export { closeDatabase, createDatabase, getDatabase, type CreateDatabaseOptions, type Database } from "./database.js";
export { databaseOptionsFromEnv, isPostgresUrl, type DatabaseOptions, type DialectName } from "./connection.js";
export { migrateToLatest, type MigrationReport } from "./migrate.js";
export { migrations } from "./migrations/index.js";
export * from "./schema.js";
export { DataError, type DataErrorCode } from "./errors.js";
export { isRole, roleAtLeast } from "./roles.js";
export { jsonb } from "./json.js";
export { getOrCreateInstanceSetting } from "./instance-settings.js";
export { hasAnyUser } from "./users.js";
export {
  createWorkspace,
  findWorkspaceOfUser,
  listWorkspacesOfUser,
  renameWorkspace,
  type WorkspaceOfUser,
} from "./workspaces.js";
export { findMemberRole, listMembers, removeMember, updateMemberRole, type MemberWithUser } from "./members.js";
export {
  acceptInvitation,
  createInvitation,
  findInvitationByToken,
  hashInvitationToken,
  invitationState,
  INVITATION_TTL_MS,
  listPendingInvitations,
  revokeInvitation,
  type InvitationState,
  type PendingInvitation,
} from "./invitations.js";
export {
  createFlow,
  deleteFlow,
  findFlow,
  FlowInUseError,
  listFlows,
  markFlowCalled,
  renameFlow,
  type FlowInfo,
} from "./flows.js";
export {
  deployFlowVersion,
  findDeployedVersion,
  findFlowDraft,
  findFlowVersion,
  FlowVersionConflictError,
  listFlowVersions,
  putFlowDraft,
  saveFlowVersion,
  type FlowDraft,
  type FlowVersionInfo,
  type SavedFlowVersion,
} from "./flow-versions.js";
export {
  findNestingFlows,
  findTaskReferences,
  listNestedFlowIds,
  NESTED_FLOW_ACTION_PREFIX,
  type FlowReference,
} from "./flow-references.js";
export {
  addTaskLabels,
  createTask,
  deleteTask,
  deleteTaskLabel,
  findTask,
  isTaskType,
  listTasks,
  renameTask,
  renameTaskLabel,
  TaskInUseError,
  type TaskInfo,
} from "./tasks.js";
export {
  activateModelVersion,
  createModelVersion,
  findModelVersion,
  findModelVersionForRuntime,
  listModelVersions,
  modelFileInUse,
  type ModelVersionForRuntime,
  type ModelVersionInfo,
} from "./model-versions.js";
export {
  BlobTooLargeError,
  type BlobSource,
  type BlobStore,
  type PutBlobOptions,
  type StoredBlob,
} from "./blobs/blob-store.js";
export { LocalBlobStore } from "./blobs/local-blob-store.js";
export {
  authenticateApiKey,
  createApiToken,
  hashApiKey,
  listApiTokens,
  revokeApiToken,
  type ApiTokenInfo,
  type AuthenticatedToken,
} from "./api-tokens.js";
export {
  addCredits,
  ensureCurrentPeriod,
  getCreditAccount,
  isPlanName,
  periodStartFor,
  placeCreditHold,
  PLANS,
  holdForJob,
  releaseCreditHold,
  releaseLapsedCreditHolds,
  renewHoldLeases,
  UNRENEWED_HOLD_LEASE_MS,
  setCreditPlan,
  settleCreditHold,
  type CreditAccount,
  type HoldResult,
  type PlanName,
  type UsageRecord,
} from "./credits.js";
export {
  callsPerToken,
  creditsPerDayByFlow,
  listRecentUsage,
  type DailyFlowCredits,
  type TokenCalls,
  type UsageEventInfo,
} from "./usage.js";
export type { EvaluationStatus, EvaluationTable, TestSetImageTable, TestSetTable } from "./schema-evaluations.js";
export {
  createTestSet,
  deleteTestSet,
  findTestSet,
  findTestSetImage,
  listTestSetImages,
  listTestSets,
  taskBlobs,
  testImageInUse,
  testSetNotFound,
  type TestSetImageInfo,
  type TestSetInfo,
} from "./test-sets.js";
export {
  createEvaluation,
  failEvaluation,
  failStaleEvaluations,
  findEvaluation,
  findEvaluationResults,
  finishEvaluation,
  listEvaluations,
  updateEvaluationProgress,
  type EvaluationInfo,
} from "./evaluations.js";
export {
  ABANDONED_CLAIM_MS,
  API_REQUEST_TTL_MS,
  claimIdempotencyKey,
  findApiRequest,
  releaseApiRequest,
  renewClaimLeases,
  storeApiResponse,
  sweepExpiredApiRequests,
  type ClaimResult,
  type StoredApiRequest,
} from "./api-requests.js";
