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
