import {
  findInvitationByToken,
  getCreditAccount,
  listRecentUsage,
  placeCreditHold,
  settleCreditHold,
} from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { INVITATION_HEADER } from "../../_lib/invitation-header";
import { callerFor, cookieHeaders, createTestServices, httpCall, type Caller, type TestServices } from "../testing";

// One instance walked from setup on: the owner created at setup is its operator. After setup accounts come
// by invitation unless the operator opens sign-up; plans and credit grants are the operator's alone.

let services: TestServices;
let operator: Caller;
let operatorId: string;
let workspaceId: string;

const owner = { name: "Olga Owner", email: "olga@example.com", password: "a long enough password" };

beforeAll(async () => {
  services = await createTestServices();
  const { status, headers, body } = await httpCall(services, "setup.complete", { ...owner, workspaceName: "Acme" });
  expect(status).toBe(200);
  workspaceId = (body as { result: { data: { workspaceId: string } } }).result.data.workspaceId;
  operator = await callerFor(services, cookieHeaders(headers));
  const user = await services.database.db
    .selectFrom("user")
    .select("id")
    .where("email", "=", owner.email)
    .executeTakeFirstOrThrow();
  operatorId = user.id;
});
afterAll(() => services.close());

const userCount = async () =>
  Number(
    (
      await services.database.db
        .selectFrom("user")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

let emails = 0;
/** A sign-up over better-auth's HTTP route, as the browser sends it; `invitation` goes in its header. */
async function signUpOverHttp(options: { invitation?: string; email?: string; password?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", origin: "http://localhost" };
  if (options.invitation !== undefined) headers[INVITATION_HEADER] = options.invitation;
  const email = options.email ?? `person-${++emails}@example.com`;
  const response = await services.auth.handler(
    new Request("http://localhost/api/auth/sign-up/email", {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "Person", email, password: options.password ?? "a long enough password" }),
    }),
  );
  return { response, email, body: (await response.json()) as Record<string, unknown> };
}

async function invitationToken(role: "viewer" | "editor" | "admin" = "editor"): Promise<string> {
  const { url } = await operator.invitation.create({ workspaceId, role });
  return url.slice("/invite/".length);
}

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

/** A signed-in member of the workspace with `role`, who came in through an invitation. */
async function invitedMember(role: "viewer" | "editor" | "admin"): Promise<{ caller: Caller; id: string }> {
  const { response, body } = await signUpOverHttp({ invitation: await invitationToken(role) });
  expect(response.status).toBe(200);
  return {
    caller: await callerFor(services, cookieHeaders(response.headers)),
    id: (body.user as { id: string }).id,
  };
}

describe("sign-up after setup", () => {
  test("the owner created at setup operates the instance, and sign-up starts closed", async () => {
    await expect(operator.instance.me()).resolves.toEqual({ operator: true });
    const { body } = await httpCall(services, "setup.status", undefined, { kind: "query" });
    expect(body).toMatchObject({ result: { data: { needsSetup: false, signUpOpen: false } } });
  });

  test("without an invitation it is refused with a reason, and adds no account", async () => {
    const before = await userCount();
    const { response, body } = await signUpOverHttp();
    expect(response.status).toBe(403);
    expect(body).toMatchObject({ code: "SIGN_UP_BY_INVITATION", message: expect.stringMatching(/by invitation only/) });
    expect(await userCount()).toBe(before);
  });

  test("an unknown, revoked or used invitation is refused with what is wrong with it", async () => {
    const before = await userCount();
    const unknown = await signUpOverHttp({ invitation: "no-such-invitation" });
    expect([unknown.response.status, unknown.body.code]).toEqual([403, "INVITATION_NOT_FOUND"]);

    const revoked = await operator.invitation.create({ workspaceId, role: "viewer" });
    await operator.invitation.revoke({ workspaceId, invitationId: revoked.id });
    const refused = await signUpOverHttp({ invitation: revoked.url.slice("/invite/".length) });
    expect(refused.response.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "INVITATION_NOT_VALID", message: expect.stringMatching(/revoked/) });
    expect(await userCount()).toBe(before);
  });

  test("with a valid invitation it creates the account, which joins the workspace and spends the link", async () => {
    const token = await invitationToken("editor");
    const { response } = await signUpOverHttp({ invitation: token });
    expect(response.status).toBe(200);
    const member = await callerFor(services, cookieHeaders(response.headers));
    await expect(member.workspace.list()).resolves.toEqual([
      expect.objectContaining({ id: workspaceId, role: "editor" }),
    ]);
    // The page accepts again after signing up: for a member that answers with the workspace.
    await expect(member.invitation.accept({ token })).resolves.toEqual({ workspaceId });
    expect((await findInvitationByToken(services.database.db, token))?.state).toBe("used");
    await expect(member.instance.me()).resolves.toEqual({ operator: false });

    const before = await userCount();
    const again = await signUpOverHttp({ invitation: token });
    expect(again.response.status).toBe(403);
    expect(again.body).toMatchObject({ code: "INVITATION_NOT_VALID", message: expect.stringMatching(/already used/) });
    expect(await userCount()).toBe(before);
  });

  test("with an invitation, a duplicate email or a weak password is refused at its field and spends nothing", async () => {
    const token = await invitationToken();
    const duplicate = await signUpOverHttp({ invitation: token, email: owner.email });
    expect(duplicate.response.status).toBe(422);
    expect(duplicate.body).toMatchObject({ code: expect.stringMatching(/^USER_ALREADY_EXISTS/) });
    const weak = await signUpOverHttp({ invitation: token, password: "123456789" });
    expect([weak.response.status, weak.body.code]).toEqual([400, "PASSWORD_TOO_SHORT"]);
    expect((await findInvitationByToken(services.database.db, token))?.state).toBe("valid");
  });

  test("once the operator opens sign-up anyone may sign up; no one else can open it; closing it refuses again", async () => {
    const admin = await invitedMember("admin");
    const forbidden = await refusal(admin.caller.instance.setSignUpOpen({ open: true }));
    expect(forbidden.code).toBe("FORBIDDEN");
    expect(forbidden.message).toMatch(/Only an operator of this instance can open or close sign-up/);
    expect((await signUpOverHttp()).response.status).toBe(403);

    await expect(operator.instance.setSignUpOpen({ open: true })).resolves.toEqual({ signUpOpen: true });
    const open = await signUpOverHttp();
    expect(open.response.status).toBe(200);
    const newcomer = await callerFor(services, cookieHeaders(open.response.headers));
    await expect(newcomer.workspace.list()).resolves.toEqual([]);
    const { body } = await httpCall(services, "setup.status", undefined, { kind: "query" });
    expect(body).toMatchObject({ result: { data: { signUpOpen: true } } });

    await operator.instance.setSignUpOpen({ open: false });
    const closed = await signUpOverHttp();
    expect([closed.response.status, closed.body.code]).toEqual([403, "SIGN_UP_BY_INVITATION"]);
  });
});

describe("plans and credit grants", () => {
  test("a workspace's own owner and admins cannot grant credits or change the plan, and nothing changes", async () => {
    const admin = await invitedMember("admin");
    // The owner of a workspace of their own, too.
    const ownWorkspace = (await admin.caller.workspace.create({ name: "Mine" })).id;
    const before = await getCreditAccount(services.database.db, workspaceId);
    for (const [target, call] of [
      // Thunks: each call starts only when its refusal is awaited (an eager array leaves later rejections unhandled).
      [workspaceId, () => admin.caller.instance.grantCredits({ workspaceId, amount: 1_000 })],
      [workspaceId, () => admin.caller.instance.setPlan({ workspaceId, plan: "business" })],
      [ownWorkspace, () => admin.caller.instance.grantCredits({ workspaceId: ownWorkspace, amount: 1_000_000 })],
      [ownWorkspace, () => admin.caller.instance.setPlan({ workspaceId: ownWorkspace, plan: "business" })],
    ] as const) {
      const error = await refusal(call());
      expect([target, error.code]).toEqual([target, "FORBIDDEN"]);
      expect(error.message).toMatch(/Only an operator of this instance can .*a workspace's admins and owners cannot/);
    }
    const over = await httpCall(
      services,
      "instance.grantCredits",
      { workspaceId, amount: 5 },
      {
        headers: new Headers(), // signed out
      },
    );
    expect(over.status).toBe(401);
    expect((await getCreditAccount(services.database.db, workspaceId)).balance).toBe(before.balance);
    expect((await getCreditAccount(services.database.db, ownWorkspace)).plan).toBe("free");
    await expect(admin.caller.instance.overview()).rejects.toThrow(/Only an operator/);
  });

  test("an operator grant of 3,000,000,000 credits works, and holds and settles past 2^31 keep working", async () => {
    const granted = await operator.instance.grantCredits({ workspaceId, amount: 3_000_000_000 });
    expect(granted).toMatchObject({ plan: "free", monthlyAllowance: 3_000, bonus: 3_000_000_000 });
    expect(granted.balance).toBe(3_000_003_000 - granted.used);
    const db = services.database.db;
    // A hold bigger than 2^31 - 1, then one call's worth settled from it.
    expect(await placeCreditHold(db, workspaceId, "big-hold", 2_500_000_000)).toEqual({ ok: true });
    expect((await getCreditAccount(db, workspaceId)).held).toBe(2_500_000_000);
    const usage = { id: "big-call", workspaceId, flowId: undefined, flowVersion: undefined, tokenId: undefined };
    expect(
      await settleCreditHold(db, "big-hold", 2_200_000_000, { ...usage, records: 1, status: 200, latencyMs: 5 }),
    ).toBe(true);
    const after = await getCreditAccount(db, workspaceId);
    expect(after).toMatchObject({ held: 0, used: granted.used + 2_200_000_000 });
    expect(typeof after.used).toBe("number");
    expect((await listRecentUsage(db, workspaceId))[0]).toMatchObject({ id: "big-call", credits: 2_200_000_000 });
    const summary = await operator.usage.summary({ workspaceId });
    expect(summary.account.balance).toBe(3_000_003_000 - granted.used - 2_200_000_000);
    expect(summary.tokens).toEqual([expect.objectContaining({ credits: 2_200_000_000 })]);
    // The Instance page lists it with the same figures.
    const overview = await operator.instance.overview();
    expect(overview.workspaces.find((w) => w.id === workspaceId)?.account.balance).toBe(summary.account.balance);
  });

  test("an amount past the maximum is refused with 400 and a message that says the limit", async () => {
    const before = await getCreditAccount(services.database.db, workspaceId);
    const session = cookieHeaders(
      (
        await services.auth.api.signInEmail({
          body: { email: owner.email, password: owner.password },
          returnHeaders: true,
        })
      ).headers,
    );
    for (const amount of [1_000_000_000_001, 2 ** 63, 0, -5, 1.5]) {
      const { status, body } = await httpCall(
        services,
        "instance.grantCredits",
        { workspaceId, amount },
        {
          headers: session,
        },
      );
      expect({ amount, status }).toEqual({ amount, status: 400 });
      expect(body).toMatchObject({
        error: {
          message: "Grant a whole number of credits from 1 to 1,000,000,000,000.",
          data: { fieldErrors: { amount: ["Grant a whole number of credits from 1 to 1,000,000,000,000."] } },
        },
      });
    }
    const allowance = await httpCall(
      services,
      "instance.setPlan",
      { workspaceId, plan: "business", monthlyAllowance: 5_000_000_000_000 },
      { headers: session },
    );
    expect(allowance.status).toBe(400);
    expect(allowance.body).toMatchObject({ error: { message: expect.stringMatching(/from 0 to 1,000,000,000,000/) } });
    expect(await refusal(operator.instance.setPlan({ workspaceId, plan: "gold" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/Unknown plan "gold"/),
    });
    expect(await getCreditAccount(services.database.db, workspaceId)).toEqual(before);
  });

  test("the operator sets a plan with a custom allowance past 2^31", async () => {
    const account = await operator.instance.setPlan({ workspaceId, plan: "business", monthlyAllowance: 4_000_000_000 });
    expect(account).toMatchObject({ plan: "business", planTitle: "Business", monthlyAllowance: 4_000_000_000 });
    await operator.instance.setPlan({ workspaceId, plan: "free" });
    expect((await getCreditAccount(services.database.db, workspaceId)).monthlyAllowance).toBe(3_000);
  });

  test("an unknown workspace is NOT_FOUND", async () => {
    const error = await refusal(operator.instance.grantCredits({ workspaceId: "no-such-workspace", amount: 1 }));
    expect(error.code).toBe("NOT_FOUND");
  });
});

describe("operators", () => {
  test("the operator names another operator, who can then grant; the last operator cannot be removed", async () => {
    const member = await invitedMember("viewer");
    const other = await services.database.db
      .selectFrom("user")
      .select("email")
      .where("id", "=", member.id)
      .executeTakeFirstOrThrow();
    expect((await refusal(member.caller.instance.addOperator({ email: other.email }))).code).toBe("FORBIDDEN");

    const missing = await refusal(operator.instance.addOperator({ email: "nobody@example.com" }));
    expect([missing.code, missing.message]).toEqual(["NOT_FOUND", expect.stringMatching(/No account has the email/)]);

    await expect(operator.instance.addOperator({ email: other.email.toUpperCase() })).resolves.toEqual({
      userId: member.id,
    });
    await expect(member.caller.instance.me()).resolves.toEqual({ operator: true });
    const granted = await member.caller.instance.grantCredits({ workspaceId, amount: 10 });
    expect(granted.bonus).toBeGreaterThanOrEqual(10);
    const { operators } = await member.caller.instance.overview();
    expect(operators.map((o) => [o.userId, o.you])).toEqual([
      [operatorId, false],
      [member.id, true],
    ]);

    await member.caller.instance.removeOperator({ userId: operatorId });
    await expect(operator.instance.me()).resolves.toEqual({ operator: false });
    const last = await refusal(member.caller.instance.removeOperator({ userId: member.id }));
    expect([last.code, last.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/needs an operator/)]);
    await member.caller.instance.addOperator({ email: owner.email });
    await expect(operator.instance.me()).resolves.toEqual({ operator: true });
  });
});
