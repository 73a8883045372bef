import type { ColumnType, Insertable, Selectable, Updateable } from "kysely";

/** A member's role in a workspace, from most to least powerful. */
export const ROLES = ["owner", "admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** A timestamp the database fills in by default; read back as a Date. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface WorkspaceTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface MemberTable {
  workspace_id: string;
  user_id: string;
  role: Role;
  created_at: CreatedAt;
}

export interface InvitationTable {
  id: string;
  workspace_id: string;
  role: Role;
  token_hash: string;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Date;
  accepted_by: string | null;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

/** Values the instance keeps for itself across restarts and across app servers (e.g. the auth secret). */
export interface InstanceSettingTable {
  name: string;
  value: string;
}

/**
 * better-auth's user table. better-auth creates and owns it (camelCase columns); it is typed here
 * so that our queries can join it. Write to it only through better-auth.
 */
export interface UserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  image: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The schema as Kysely sees it. Later migrations add their tables here. */
export interface DB {
  workspace: WorkspaceTable;
  member: MemberTable;
  invitation: InvitationTable;
  instance_setting: InstanceSettingTable;
  user: UserTable;
}

export type Workspace = Selectable<WorkspaceTable>;
export type NewWorkspace = Insertable<WorkspaceTable>;
export type WorkspaceUpdate = Updateable<WorkspaceTable>;
export type Member = Selectable<MemberTable>;
export type Invitation = Selectable<InvitationTable>;
export type User = Selectable<UserTable>;
