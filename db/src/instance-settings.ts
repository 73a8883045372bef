import type { Kysely } from "kysely";
import type { DB } from "./schema.js";

/**
 * Reads the instance setting `name`, creating it with `create()` the first time. Concurrent first calls
 * (several app servers starting at once) agree on one value: the first insert wins.
 */
export async function getOrCreateInstanceSetting(db: Kysely<DB>, name: string, create: () => string): Promise<string> {
  await db
    .insertInto("instance_setting")
    .values({ name, value: create() })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await db
    .selectFrom("instance_setting")
    .select("value")
    .where("name", "=", name)
    .executeTakeFirstOrThrow();
  return row.value;
}

/** Reads the instance setting `name`; undefined while it was never set. */
export async function getInstanceSetting(db: Kysely<DB>, name: string): Promise<string | undefined> {
  const row = await db.selectFrom("instance_setting").select("value").where("name", "=", name).executeTakeFirst();
  return row?.value;
}

/** Sets the instance setting `name` to `value`. */
export async function setInstanceSetting(db: Kysely<DB>, name: string, value: string): Promise<void> {
  await db
    .insertInto("instance_setting")
    .values({ name, value })
    .onConflict((oc) => oc.column("name").doUpdateSet({ value }))
    .execute();
}

const SIGN_UP_OPEN = "sign_up_open";

/**
 * Whether anyone may create an account. Off by default: after setup, accounts come by invitation to a
 * workspace unless the instance operator opens sign-up.
 */
export async function isSignUpOpen(db: Kysely<DB>): Promise<boolean> {
  return (await getInstanceSetting(db, SIGN_UP_OPEN)) === "true";
}

export async function setSignUpOpen(db: Kysely<DB>, open: boolean): Promise<void> {
  await setInstanceSetting(db, SIGN_UP_OPEN, open ? "true" : "false");
}
