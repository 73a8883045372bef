import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { DataError } from "./errors.js";
import type { DB, Invitation, Role } from "./schema.js";

/** How long an invitation link stays valid. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type InvitationState = "valid" | "expired" | "used" | "revoked";

export interface PendingInvitation {
  readonly id: string;
  readonly role: Role;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** The token travels in the link only; the database keeps its SHA-256, like a password. */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function invitationState(
  invitation: Pick<Invitation, "revoked_at" | "accepted_at" | "expires_at">,
  now: Date = new Date(),
): InvitationState {
  if (invitation.revoked_at !== null) return "revoked";
  if (invitation.accepted_at !== null) return "used";
  if (invitation.expires_at.getTime() <= now.getTime()) return "expired";
  return "valid";
}

/** Creates a single-use invitation; the returned token is shown once and never stored. */
export async function createInvitation(
  db: Kysely<DB>,
  input: { readonly workspaceId: string; readonly role: Role; readonly createdBy: string; readonly now?: Date },
): Promise<{ readonly id: string; readonly token: string; readonly expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const id = randomUUID();
  const expiresAt = new Date((input.now ?? new Date()).getTime() + INVITATION_TTL_MS);
  await db
    .insertInto("invitation")
    .values({
      id,
      workspace_id: input.workspaceId,
      role: input.role,
      token_hash: hashInvitationToken(token),
      created_by: input.createdBy,
      expires_at: expiresAt,
    })
    .execute();
  return { id, token, expiresAt };
}

/** Invitations of the workspace that can still be accepted, newest first. */
export async function listPendingInvitations(
  db: Kysely<DB>,
  workspaceId: string,
  now: Date = new Date(),
): Promise<PendingInvitation[]> {
  return db
    .selectFrom("invitation")
    .select(["id", "role", "created_by as createdBy", "created_at as createdAt", "expires_at as expiresAt"])
    .where("workspace_id", "=", workspaceId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
}

/** Revokes a pending invitation of the workspace. */
export async function revokeInvitation(
  db: Kysely<DB>,
  input: { readonly workspaceId: string; readonly invitationId: string },
): Promise<void> {
  const invitation = await db
    .selectFrom("invitation")
    .selectAll()
    .where("id", "=", input.invitationId)
    .where("workspace_id", "=", input.workspaceId)
    .executeTakeFirst();
  if (!invitation) throw new DataError("NOT_FOUND", "invitation not found", "invitationId");
  if (invitation.accepted_at !== null) {
    throw new DataError("BAD_REQUEST", "This invitation was already used; remove the member instead.");
  }
  if (invitation.revoked_at !== null) return;
  await db.updateTable("invitation").set({ revoked_at: new Date() }).where("id", "=", invitation.id).execute();
}

/** What the invitation page shows before the visitor accepts; undefined for an unknown token. */
export async function findInvitationByToken(
  db: Kysely<DB>,
  token: string,
  now: Date = new Date(),
): Promise<
  | {
      readonly workspaceId: string;
      readonly workspaceName: string;
      readonly role: Role;
      readonly state: InvitationState;
    }
  | undefined
> {
  const row = await db
    .selectFrom("invitation")
    .innerJoin("workspace", "workspace.id", "invitation.workspace_id")
    .select([
      "invitation.workspace_id as workspaceId",
      "workspace.name as workspaceName",
      "invitation.role",
      "invitation.revoked_at",
      "invitation.accepted_at",
      "invitation.expires_at",
    ])
    .where("invitation.token_hash", "=", hashInvitationToken(token))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    workspaceId: row.workspaceId,
    workspaceName: row.workspaceName,
    role: row.role,
    state: invitationState(row, now),
  };
}

const REFUSALS: Readonly<Record<Exclude<InvitationState, "valid">, string>> = {
  expired: "This invitation has expired. Ask for a new link.",
  used: "This invitation was already used. Ask for a new link.",
  revoked: "This invitation was revoked. Ask for a new link.",
};

/** Why an invitation in `state` cannot be accepted (or sign anyone up). */
export function invitationRefusal(state: Exclude<InvitationState, "valid">): string {
  return REFUSALS[state];
}

/**
 * Makes `userId` a member with the invitation's role and marks it used, atomically: of two people
 * accepting the same link at once, one gets in. A user who is already a member keeps their role and
 * leaves the invitation unused.
 */
export async function acceptInvitation(
  db: Kysely<DB>,
  input: { readonly token: string; readonly userId: string; readonly now?: Date },
): Promise<{ readonly workspaceId: string }> {
  const now = input.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const invitation = await trx
      .selectFrom("invitation")
      .selectAll()
      .where("token_hash", "=", hashInvitationToken(input.token))
      .forUpdate()
      .executeTakeFirst();
    if (!invitation) throw new DataError("NOT_FOUND", "invitation not found", "token");
    const member = await trx
      .selectFrom("member")
      .select("role")
      .where("workspace_id", "=", invitation.workspace_id)
      .where("user_id", "=", input.userId)
      .executeTakeFirst();
    if (member) return { workspaceId: invitation.workspace_id };
    const state = invitationState(invitation, now);
    if (state !== "valid") throw new DataError("BAD_REQUEST", REFUSALS[state], "token");
    await trx
      .insertInto("member")
      .values({ workspace_id: invitation.workspace_id, user_id: input.userId, role: invitation.role })
      .execute();
    await trx
      .updateTable("invitation")
      .set({ accepted_by: input.userId, accepted_at: now })
      .where("id", "=", invitation.id)
      .execute();
    return { workspaceId: invitation.workspace_id };
  });
}
