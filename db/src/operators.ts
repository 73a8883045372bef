import type { Kysely } from "kysely";
import { DataError } from "./errors.js";
import type { DB } from "./schema.js";

// The instance operator: the owner created at setup, and whoever an operator names. Operators set
// workspaces' plans, grant credits, open or close sign-up and name other operators; a workspace's own
// admins do none of this.

export interface InstanceOperator {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  /** The operator who named them; undefined for the setup owner. */
  readonly addedBy: string | undefined;
  readonly createdAt: Date;
}

export async function isInstanceOperator(db: Kysely<DB>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("instance_operator")
    .select("user_id")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Makes `userId` an operator (the setup owner, or someone an operator names); naming twice changes nothing. */
export async function addInstanceOperator(
  db: Kysely<DB>,
  input: { readonly userId: string; readonly addedBy?: string | undefined },
): Promise<void> {
  await db
    .insertInto("instance_operator")
    .values({ user_id: input.userId, added_by: input.addedBy ?? null })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .execute();
}

/**
 * Names the account with `email` an operator.
 * @throws DataError NOT_FOUND when no account has that email (they must sign up first).
 */
export async function nameInstanceOperator(
  db: Kysely<DB>,
  input: { readonly email: string; readonly addedBy: string },
): Promise<{ readonly userId: string }> {
  const user = await db
    .selectFrom("user")
    .select("id")
    .where("email", "=", input.email.trim().toLowerCase())
    .executeTakeFirst();
  if (!user) {
    throw new DataError(
      "NOT_FOUND",
      `No account has the email ${input.email.trim()}: they must have an account first (invite them to a workspace).`,
      "email",
    );
  }
  await addInstanceOperator(db, { userId: user.id, addedBy: input.addedBy });
  return { userId: user.id };
}

/** The operators with their names and emails, in the order they were named. */
export async function listInstanceOperators(db: Kysely<DB>): Promise<InstanceOperator[]> {
  const rows = await db
    .selectFrom("instance_operator as o")
    .innerJoin("user as u", "u.id", "o.user_id")
    .select(["o.user_id", "u.name", "u.email", "o.added_by", "o.created_at"])
    .orderBy("o.created_at")
    .orderBy("o.user_id")
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    email: r.email,
    addedBy: r.added_by ?? undefined,
    createdAt: r.created_at,
  }));
}

/**
 * Removes an operator. The last one stays: an instance without an operator could never grant credits again.
 * @throws DataError NOT_FOUND for someone who is no operator, BAD_REQUEST for the last one.
 */
export async function removeInstanceOperator(db: Kysely<DB>, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Lock every operator row so that two operators removing each other at once leave one of them.
    const operators = await trx.selectFrom("instance_operator").select("user_id").forUpdate().execute();
    if (!operators.some((o) => o.user_id === userId)) {
      throw new DataError("NOT_FOUND", "This account is not an operator of the instance.", "userId");
    }
    if (operators.length === 1) {
      throw new DataError("BAD_REQUEST", "The instance needs an operator: name another one before removing this one.");
    }
    await trx.deleteFrom("instance_operator").where("user_id", "=", userId).execute();
  });
}
