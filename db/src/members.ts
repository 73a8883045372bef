import type { Kysely, Transaction } from "kysely";
import { DataError } from "./errors.js";
import type { DB, Role } from "./schema.js";

export interface MemberWithUser {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly createdAt: Date;
}

/** The members of a workspace with their names and emails, oldest first. */
export async function listMembers(db: Kysely<DB>, workspaceId: string): Promise<MemberWithUser[]> {
  return db
    .selectFrom("member")
    .innerJoin("user", "user.id", "member.user_id")
    .select(["member.user_id as userId", "user.name", "user.email", "member.role", "member.created_at as createdAt"])
    .where("member.workspace_id", "=", workspaceId)
    .orderBy("member.created_at")
    .orderBy("member.user_id")
    .execute();
}

export async function findMemberRole(db: Kysely<DB>, workspaceId: string, userId: string): Promise<Role | undefined> {
  const row = await db
    .selectFrom("member")
    .select("role")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.role;
}

/** Changes a member's role; refuses to leave the workspace without an owner. */
export async function updateMemberRole(
  db: Kysely<DB>,
  input: { readonly workspaceId: string; readonly userId: string; readonly role: Role },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await lockMember(trx, input.workspaceId, input.userId);
    if (current === input.role) return;
    if (current === "owner") await assertAnotherOwner(trx, input.workspaceId, "change the role of");
    await trx
      .updateTable("member")
      .set({ role: input.role })
      .where("workspace_id", "=", input.workspaceId)
      .where("user_id", "=", input.userId)
      .execute();
  });
}

/** Removes a member (also used to leave); refuses to remove the last owner. */
export async function removeMember(
  db: Kysely<DB>,
  input: { readonly workspaceId: string; readonly userId: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await lockMember(trx, input.workspaceId, input.userId);
    if (current === "owner") await assertAnotherOwner(trx, input.workspaceId, "remove");
    await trx
      .deleteFrom("member")
      .where("workspace_id", "=", input.workspaceId)
      .where("user_id", "=", input.userId)
      .execute();
  });
}

async function lockMember(trx: Transaction<DB>, workspaceId: string, userId: string): Promise<Role> {
  // Lock the workspace's owners first, in one order for everyone, so two concurrent demotions of
  // different owners serialize and the second one sees the first one's result.
  await trx
    .selectFrom("member")
    .select("user_id")
    .where("workspace_id", "=", workspaceId)
    .where("role", "=", "owner")
    .orderBy("user_id")
    .forUpdate()
    .execute();
  const row = await trx
    .selectFrom("member")
    .select("role")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new DataError("NOT_FOUND", "member not found", "userId");
  return row.role;
}

async function assertAnotherOwner(trx: Transaction<DB>, workspaceId: string, action: string): Promise<void> {
  const { owners } = await trx
    .selectFrom("member")
    .select((eb) => eb.fn.countAll<number>().as("owners"))
    .where("workspace_id", "=", workspaceId)
    .where("role", "=", "owner")
    .executeTakeFirstOrThrow();
  if (owners <= 1) {
    throw new DataError(
      "BAD_REQUEST",
      `Cannot ${action} the last owner: make another member an owner first.`,
      "userId",
    );
  }
}
