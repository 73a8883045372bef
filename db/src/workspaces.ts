import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { DataError } from "./errors.js";
import type { DB, Role } from "./schema.js";

export interface WorkspaceOfUser {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

/** Creates a workspace with `ownerId` as its owner, in one transaction. */
export async function createWorkspace(
  db: Kysely<DB>,
  input: { readonly name: string; readonly ownerId: string },
): Promise<{ readonly id: string; readonly name: string }> {
  const name = input.name.trim();
  if (name === "") throw new DataError("BAD_REQUEST", "Enter a workspace name.", "name");
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("workspace").values({ id, name }).execute();
    await trx.insertInto("member").values({ workspace_id: id, user_id: input.ownerId, role: "owner" }).execute();
  });
  return { id, name };
}

/** The workspaces `userId` belongs to, oldest first, with their role in each. */
export async function listWorkspacesOfUser(db: Kysely<DB>, userId: string): Promise<WorkspaceOfUser[]> {
  return db
    .selectFrom("member")
    .innerJoin("workspace", "workspace.id", "member.workspace_id")
    .select(["workspace.id", "workspace.name", "member.role"])
    .where("member.user_id", "=", userId)
    .orderBy("workspace.created_at")
    .orderBy("workspace.id")
    .execute();
}

/** The workspace as `userId` sees it, or undefined when they are not a member (or it does not exist). */
export async function findWorkspaceOfUser(
  db: Kysely<DB>,
  workspaceId: string,
  userId: string,
): Promise<WorkspaceOfUser | undefined> {
  return db
    .selectFrom("member")
    .innerJoin("workspace", "workspace.id", "member.workspace_id")
    .select(["workspace.id", "workspace.name", "member.role"])
    .where("member.workspace_id", "=", workspaceId)
    .where("member.user_id", "=", userId)
    .executeTakeFirst();
}

export async function renameWorkspace(
  db: Kysely<DB>,
  input: { readonly workspaceId: string; readonly name: string },
): Promise<{ readonly id: string; readonly name: string }> {
  const name = input.name.trim();
  if (name === "") throw new DataError("BAD_REQUEST", "Enter a workspace name.", "name");
  const row = await db
    .updateTable("workspace")
    .set({ name })
    .where("id", "=", input.workspaceId)
    .returning(["id", "name"])
    .executeTakeFirst();
  if (!row) throw new DataError("NOT_FOUND", "workspace not found");
  return row;
}
