import { createHash, randomBytes, randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { DataError } from "./errors.js";
import type { DB } from "./schema.js";

/** Keys look like `vf_<43 base64url characters>` (256 random bits). */
const KEY_PREFIX = "vf_";
/** Characters of the key kept in clear to tell tokens apart in lists (`vf_` + 8). */
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 8;
/** `last_used_at` is refreshed at most this often, so busy tokens do not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiTokenInfo {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | undefined;
}

/** A token that authenticated a request. */
export interface AuthenticatedToken {
  readonly id: string;
  readonly workspaceId: string;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/**
 * Creates a token and returns its key: the only time the key exists outside the caller's hands.
 * @throws DataError BAD_REQUEST (field `name`) for an empty or overlong name.
 */
export async function createApiToken(
  db: Kysely<DB>,
  workspaceId: string,
  input: { name: string; createdBy: string },
): Promise<{ token: ApiTokenInfo; key: string }> {
  const name = input.name.trim();
  if (name.length === 0) throw new DataError("BAD_REQUEST", "Give the token a name.", "name");
  if (name.length > 100) throw new DataError("BAD_REQUEST", "The name is longer than 100 characters.", "name");
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  const row = await db
    .insertInto("api_token")
    .values({
      id: randomUUID(),
      workspace_id: workspaceId,
      name,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      token_hash: hashApiKey(key),
      created_by: input.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token: toInfo(row), key };
}

/** Live (not revoked) tokens of a workspace, newest first. */
export async function listApiTokens(db: Kysely<DB>, workspaceId: string): Promise<ApiTokenInfo[]> {
  const rows = await db
    .selectFrom("api_token")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map(toInfo);
}

/**
 * Revokes a token of the workspace; the next request with it is refused.
 * @throws DataError NOT_FOUND when the workspace has no such live token.
 */
export async function revokeApiToken(db: Kysely<DB>, workspaceId: string, tokenId: string): Promise<void> {
  const result = await db
    .updateTable("api_token")
    .set({ revoked_at: new Date() })
    .where("id", "=", tokenId)
    .where("workspace_id", "=", workspaceId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n)
    throw new DataError("NOT_FOUND", "This token does not exist or is already revoked.");
}

/** The live token a key belongs to, or undefined; marks it used (at most once a minute). */
export async function authenticateApiKey(db: Kysely<DB>, key: string): Promise<AuthenticatedToken | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const row = await db
    .selectFrom("api_token")
    .select(["id", "workspace_id", "last_used_at"])
    .where("token_hash", "=", hashApiKey(key))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    await db
      .updateTable("api_token")
      .set({ last_used_at: sql<Date>`now()` })
      .where("id", "=", row.id)
      .execute();
  }
  return { id: row.id, workspaceId: row.workspace_id };
}

function toInfo(row: {
  id: string;
  name: string;
  prefix: string;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
}): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at ?? undefined,
  };
}
