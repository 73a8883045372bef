import { createInvitation } from "@vizflow/db";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { INVITATION_HEADER } from "../../_lib/invitation-header";
import { cookieHeaders, createTestServices, httpCall, signUp, type TestServices } from "../testing";

let services: TestServices;
beforeAll(async () => {
  services = await createTestServices();
});
afterAll(() => services.close());

const count = async (table: "user" | "workspace" | "member") => {
  const row = await services.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
};

const owner = { name: "Olga Owner", email: "olga@example.com", password: "a long enough password" };
/** The first workspace, once setup has made it. */
let firstWorkspaceId = "";

// The tests below run in order: they walk one instance from empty to set up.
describe("first-start setup", () => {
  test("an empty instance needs setup", async () => {
    const { body } = await httpCall(services, "setup.status", undefined, { kind: "query" });
    expect(body).toMatchObject({ result: { data: { needsSetup: true } } });
  });

  test("a sign-up over HTTP before setup is refused and creates no account", async () => {
    const response = await services.auth.handler(
      new Request("http://localhost/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost" },
        body: JSON.stringify({ name: "Early Bird", email: "early@example.com", password: "a long enough password" }),
      }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "SETUP_REQUIRED", message: expect.stringContaining("/setup") });
    expect(await count("user")).toBe(0);
  });

  test("a weak password is refused on the password field and saves nothing", async () => {
    const { status, body } = await httpCall(services, "setup.complete", {
      ...owner,
      password: "short",
      workspaceName: "Acme",
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { data: { code: "BAD_REQUEST", fieldErrors: { password: [expect.stringContaining("at least 10")] } } },
    });
    expect([await count("user"), await count("workspace"), await count("member")]).toEqual([0, 0, 0]);
  });

  test("an empty workspace name is refused on its field and saves nothing", async () => {
    const { status, body } = await httpCall(services, "setup.complete", { ...owner, workspaceName: "   " });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { data: { fieldErrors: { workspaceName: ["Enter a workspace name."] } } },
    });
    expect([await count("user"), await count("workspace"), await count("member")]).toEqual([0, 0, 0]);
  });

  test("an invalid email is refused on the email field", async () => {
    const { body } = await httpCall(services, "setup.complete", { ...owner, email: "olga", workspaceName: "Acme" });
    expect(body).toMatchObject({ error: { data: { fieldErrors: { email: [expect.stringMatching(/valid email/)] } } } });
    expect(await count("user")).toBe(0);
  });

  test("a failure after the account was created removes the account again", async () => {
    // Make the workspace insert fail inside the database, after better-auth has created the user.
    await sql`create function refuse_workspace() returns trigger language plpgsql as $$
      begin raise exception 'workspace insert refused by test'; end $$`.execute(services.database.db);
    await sql`create trigger refuse_workspace before insert on workspace
      for each row execute function refuse_workspace()`.execute(services.database.db);
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const { status, body } = await httpCall(services, "setup.complete", { ...owner, workspaceName: "Acme" });
      expect(status).toBe(500);
      // (In development tRPC adds the stack to `data`; production responses carry none.)
      expect(body).toMatchObject({ error: { message: "Something went wrong on the server. Try again." } });
      expect(String(log.mock.calls[0]?.[0])).toMatch(/setup\.complete failed/);
    } finally {
      log.mockRestore();
      await sql`drop trigger refuse_workspace on workspace`.execute(services.database.db);
      await sql`drop function refuse_workspace()`.execute(services.database.db);
    }
    const leftovers = await sql<{ users: number; sessions: number; accounts: number; operators: number }>`
      select (select count(*) from "user") as users, (select count(*) from "session") as sessions,
             (select count(*) from "account") as accounts,
             (select count(*) from instance_operator) as operators`.execute(services.database.db);
    expect(leftovers.rows[0]).toEqual({ users: 0, sessions: 0, accounts: 0, operators: 0 });
    expect([await count("workspace"), await count("member")]).toEqual([0, 0]);
  });

  test("creates the owner, signs them in, creates the first workspace and makes the owner the operator", async () => {
    const { status, headers, body } = await httpCall(services, "setup.complete", { ...owner, workspaceName: "Acme" });
    expect(status).toBe(200);
    const workspaceId = (body as { result: { data: { workspaceId: string } } }).result.data.workspaceId;
    firstWorkspaceId = workspaceId;
    expect(headers.getSetCookie().join()).toMatch(/better-auth\.session_token=.+HttpOnly/i);

    const session = cookieHeaders(headers);
    const list = await httpCall(services, "workspace.list", undefined, { kind: "query", headers: session });
    expect(list.body).toMatchObject({ result: { data: [{ id: workspaceId, name: "Acme", role: "owner" }] } });
    const me = await httpCall(services, "instance.me", undefined, { kind: "query", headers: session });
    expect(me.body).toMatchObject({ result: { data: { operator: true } } });
    const status2 = await httpCall(services, "setup.status", undefined, { kind: "query" });
    expect(status2.body).toMatchObject({ result: { data: { needsSetup: false } } });
  });

  test("is refused once a user exists, and changes nothing", async () => {
    const { status, body } = await httpCall(services, "setup.complete", {
      name: "Mallory",
      email: "mallory@example.com",
      password: "another long password",
      workspaceName: "Takeover",
    });
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: { message: expect.stringMatching(/already complete/) } });
    expect([await count("user"), await count("workspace"), await count("member")]).toEqual([1, 1, 1]);
  });
});

describe("sign-up through better-auth's HTTP handler", () => {
  // After setup a sign-up needs an invitation (instance.int.test.ts tests that rule and its refusals).
  const signUpRequest = async (body: object) => {
    const { token } = await createInvitation(services.database.db, {
      workspaceId: firstWorkspaceId,
      role: "viewer",
      createdBy: "test",
    });
    return services.auth.handler(
      new Request("http://localhost/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost", [INVITATION_HEADER]: token },
        body: JSON.stringify(body),
      }),
    );
  };

  test("a duplicate email is refused with a code the form maps to the email field, and adds no account", async () => {
    const before = await count("user");
    const response = await signUpRequest({ name: "Olga Again", email: owner.email, password: "yet another password" });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: expect.stringMatching(/^USER_ALREADY_EXISTS/) });
    expect(await count("user")).toBe(before);
  });

  test("a weak password is refused with PASSWORD_TOO_SHORT and adds no account", async () => {
    const before = await count("user");
    const response = await signUpRequest({ name: "Pat", email: "pat@example.com", password: "123456789" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "PASSWORD_TOO_SHORT" });
    expect(await count("user")).toBe(before);
  });

  test("sign-in works from the host the browser addressed, and is refused from another site", async () => {
    const signIn = (origin: string) =>
      services.auth.handler(
        new Request("http://127.0.0.1:3917/api/auth/sign-in/email", {
          method: "POST",
          headers: { "content-type": "application/json", host: "192.168.1.20:3000", origin },
          body: JSON.stringify({ email: owner.email, password: owner.password }),
        }),
      );
    const own = await signIn("http://192.168.1.20:3000");
    expect(own.status).toBe(200);
    expect(own.headers.getSetCookie().join()).toMatch(/^better-auth\.session_token=[^;]+;.*HttpOnly/i);
    expect(own.headers.getSetCookie().join()).not.toMatch(/Secure/);
    const foreign = await signIn("https://evil.example");
    expect(foreign.status).toBe(403);
  });

  test("a new account signs up and has no workspaces until invited", async () => {
    const user = await signUp(services, "Newcomer");
    await expect(user.caller.workspace.list()).resolves.toEqual([]);
  });
});
