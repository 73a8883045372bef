export { closeDatabase, createDatabase, getDatabase, type CreateDatabaseOptions, type Database } from "./database.js";
export { databaseOptionsFromEnv, isPostgresUrl, type DatabaseOptions, type DialectName } from "./connection.js";
export { migrateToLatest, type MigrationReport } from "./migrate.js";
export { migrations } from "./migrations/index.js";
export * from "./schema.js";
export { DataError, type DataErrorCode } from "./errors.js";
export { isRole, roleAtLeast } from "./roles.js";
export { jsonb } from "./json.js";
export {
  getInstanceSetting,
  getOrCreateInstanceSetting,
  isSignUpOpen,
  setInstanceSetting,
  setSignUpOpen,
} from "./instance-settings.js";
export {
  addInstanceOperator,
  isInstanceOperator,
  listInstanceOperators,
  nameInstanceOperator,
  removeInstanceOperator,
  type InstanceOperator,
} from "./operators.js";
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
  invitationRefusal,
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
  findTaskModel,
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
  BlobIntegrityError,
  BlobTooLargeError,
  DEFAULT_PRESIGN_SECONDS,
  type BlobSource,
  type BlobStore,
  type ListedBlob,
  type PresignOptions,
  type PutBlobOptions,
  type StoredBlob,
} from "./blobs/blob-store.js";
export { LocalBlobStore } from "./blobs/local-blob-store.js";
export { S3BlobStore, type S3BlobStoreOptions } from "./blobs/s3-blob-store.js";
export {
  BLOB_KINDS,
  blobStorageFromEnv,
  blobStoreFromEnvironment,
  describeBlobStorage,
  openBlobStore,
  s3ClientFor,
  type BlobKind,
  type BlobStorage,
  type S3Settings,
} from "./blobs/blob-storage.js";
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
  creditAmountMessage,
  ensureCurrentPeriod,
  getCreditAccount,
  isPlanName,
  listWorkspaceCredits,
  MAX_CREDIT_AMOUNT,
  MAX_CREDIT_TOTAL,
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
  type WorkspaceCredits,
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
  appendTestSetImages,
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
export type {
  AnnotationJobItemTable,
  AnnotationJobTable,
  AnnotationSource,
  PreannotationFailure,
  PreannotationRunTable,
  PreannotationStatus,
  TrainingConfirmationTable,
  TrainingImageSource,
  TrainingImageTable,
  TrainingItemTable,
} from "./schema-training.js";
export { TRAINING_IMAGE_SOURCES } from "./schema-training.js";
export {
  addTrainingItems,
  allTrainingItems,
  annotationQueue,
  confirmTrainingItems,
  countTrainingSet,
  createAnnotationJobs,
  createPreannotationRun,
  failStalePreannotationRuns,
  findPreannotationRun,
  PREANNOTATION_FAILURES_KEPT,
  updatePreannotationRun,
  type PreannotationRunInfo,
  findTrainingImage,
  findTrainingItems,
  listAnnotationJobs,
  listTrainingItems,
  proposeTrainingAnnotations,
  pruneTrainingImages,
  rejectTrainingProposals,
  removeTrainingItems,
  setChecksRequired,
  setTrainingAnnotations,
  setTrainingThumbnail,
  taskTrainingImageIds,
  trainingBlobInUse,
  TRAINING_STATUSES,
  type AddTrainingItemsResult,
  type AnnotationJobInfo,
  type NewTrainingImage,
  type TrainingImageInfo,
  type TrainingItemInfo,
  type TrainingLabelCount,
  type TrainingListFilter,
  type TrainingSetCounts,
  type TrainingStatus,
} from "./training-sets.js";
