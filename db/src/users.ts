import type { Kysely } from "kysely";
import type { DB } from "./schema.js";

/** Whether any account exists yet: until one does, the instance needs its first-start setup. */
export async function hasAnyUser(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom("user").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}
