import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, httpCall, signUp, type TestServices, type TestUser } from "../testing";

let services: TestServices;
let owner: TestUser;
let workspaceId: string;

beforeAll(async () => {
  services = await createTestServices();
  owner = await signUp(services, "Owner");
  workspaceId = (await owner.caller.workspace.create({ name: "Invites Inc" })).id;
});
afterAll(() => services.close());

const tokenOf = (url: string) => url.slice("/invite/".length);

async function invite(role: "admin" | "editor" | "viewer" = "editor") {
  const created = await owner.caller.invitation.create({ workspaceId, role });
  return { ...created, token: tokenOf(created.url) };
}

async function memberIds(): Promise<string[]> {
  const members = await services.database.db
    .selectFrom("member")
    .select("user_id")
    .where("workspace_id", "=", workspaceId)
    .execute();
  return members.map((m) => m.user_id).sort();
}

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

describe("invitations", () => {
  test("create returns a one-time link valid for 7 days; only its hash is stored", async () => {
    const before = Date.now();
    const { id, url, expiresAt, token } = await invite("viewer");
    expect(url).toMatch(/^\/invite\/[A-Za-z0-9_-]{40,}$/);
    const days = (Date.parse(expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    const row = await services.database.db
      .selectFrom("invitation")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
  });

  test("anyone with the link sees the workspace name, role and state", async () => {
    const { token } = await invite("admin");
    const anonymous = await callerFor(services);
    await expect(anonymous.invitation.get({ token })).resolves.toEqual({
      workspaceName: "Invites Inc",
      role: "admin",
      state: "valid",
    });
    const unknown = await refusal(anonymous.invitation.get({ token: "not-a-real-token" }));
    expect(unknown.code).toBe("NOT_FOUND");
  });

  test("accepting makes the user a member with the invited role and uses up the link", async () => {
    const { id, token } = await invite("editor");
    const newcomer = await signUp(services, "Newcomer");
    await expect(newcomer.caller.invitation.accept({ token })).resolves.toEqual({ workspaceId });
    await expect(newcomer.caller.workspace.list()).resolves.toEqual([
      { id: workspaceId, name: "Invites Inc", role: "editor" },
    ]);
    await expect(newcomer.caller.invitation.get({ token })).resolves.toMatchObject({ state: "used" });
    const pending = await owner.caller.invitation.list({ workspaceId });
    expect(pending.map((i) => i.id)).not.toContain(id);
  });

  test("a reused link is refused on the token field and adds nobody", async () => {
    const { token } = await invite();
    const first = await signUp(services, "First");
    await first.caller.invitation.accept({ token });
    const second = await signUp(services, "Second");
    const before = await memberIds();

    const { status, body } = await httpCall(services, "invitation.accept", { token }, { headers: second.headers });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: {
        message: expect.stringMatching(/already used/),
        data: { code: "BAD_REQUEST", fieldErrors: { token: [expect.stringMatching(/already used/)] } },
      },
    });
    expect(await memberIds()).toEqual(before);
    await expect(second.caller.workspace.list()).resolves.toEqual([]);
  });

  test("an expired link is refused with a clear message and adds nobody", async () => {
    const { id, token } = await invite();
    await services.database.db
      .updateTable("invitation")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", id)
      .execute();
    const late = await signUp(services, "Late");
    const before = await memberIds();

    const error = await refusal(late.caller.invitation.accept({ token }));
    expect([error.code, error.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/expired/)]);
    expect(await memberIds()).toEqual(before);
    await expect(late.caller.invitation.get({ token })).resolves.toMatchObject({ state: "expired" });
    const pending = await owner.caller.invitation.list({ workspaceId });
    expect(pending.map((i) => i.id)).not.toContain(id);
    const row = await services.database.db
      .selectFrom("invitation")
      .select(["accepted_at", "accepted_by"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ accepted_at: null, accepted_by: null });
  });

  test("a revoked link is refused and disappears from the pending list", async () => {
    const { id, token } = await invite();
    await owner.caller.invitation.revoke({ workspaceId, invitationId: id });
    expect((await owner.caller.invitation.list({ workspaceId })).map((i) => i.id)).not.toContain(id);
    const visitor = await signUp(services, "Visitor");
    const error = await refusal(visitor.caller.invitation.accept({ token }));
    expect([error.code, error.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/revoked/)]);
    await expect(visitor.caller.workspace.list()).resolves.toEqual([]);
  });

  test("an existing member accepting gets the workspace back, keeps their role and leaves the link unused", async () => {
    const { token } = await invite("viewer");
    await expect(owner.caller.invitation.accept({ token })).resolves.toEqual({ workspaceId });
    await expect(owner.caller.workspace.get({ workspaceId })).resolves.toMatchObject({ role: "owner" });
    await expect(owner.caller.invitation.get({ token })).resolves.toMatchObject({ state: "valid" });
  });

  test("two people accepting one link at once: exactly one gets in", async () => {
    const { token } = await invite();
    const [a, b] = [await signUp(services, "RaceA"), await signUp(services, "RaceB")];
    const results = await Promise.allSettled([
      a.caller.invitation.accept({ token }),
      b.caller.invitation.accept({ token }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const members = await memberIds();
    expect([a.id, b.id].filter((id) => members.includes(id))).toHaveLength(1);
  });

  test("accepting needs a signed-in user", async () => {
    const { token } = await invite();
    const anonymous = await callerFor(services);
    expect((await refusal(anonymous.invitation.accept({ token }))).code).toBe("UNAUTHORIZED");
  });
});
