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
