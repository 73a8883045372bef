import { authenticateApiKey } from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestServices, signUp, type TestServices, type TestUser } from "../testing";

let services: TestServices;
let alice: TestUser; // owner of A
let bob: TestUser; // owner of B
let viewer: TestUser; // viewer of A
let workspaceA: string;
let workspaceB: string;

beforeAll(async () => {
  services = await createTestServices();
  [alice, bob, viewer] = [
    await signUp(services, "Alice"),
    await signUp(services, "Bob"),
    await signUp(services, "Vic"),
  ];
  workspaceA = (await alice.caller.workspace.create({ name: "Alpha" })).id;
  workspaceB = (await bob.caller.workspace.create({ name: "Bravo" })).id;
  const { url } = await alice.caller.invitation.create({ workspaceId: workspaceA, role: "viewer" });
  await viewer.caller.invitation.accept({ token: url.slice("/invite/".length) });
});
afterAll(() => services.close());

async function code(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error.code;
}

describe("apiToken router", () => {
  test("create shows the key once; list shows name and prefix only; revoke ends it", async () => {
    const created = await alice.caller.apiToken.create({ workspaceId: workspaceA, name: "Website" });
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const listed = await alice.caller.apiToken.list({ workspaceId: workspaceA });
    expect(listed).toEqual([
      { id: created.id, name: "Website", prefix: created.prefix, createdAt: expect.any(String), lastUsedAt: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(await authenticateApiKey(services.database.db, created.key)).toMatchObject({ workspaceId: workspaceA });
    await alice.caller.apiToken.revoke({ workspaceId: workspaceA, tokenId: created.id });
    expect(await authenticateApiKey(services.database.db, created.key)).toBeUndefined();
    expect(await alice.caller.apiToken.list({ workspaceId: workspaceA })).toEqual([]);
  });

  test("a viewer cannot manage tokens; another workspace's owner sees nothing and cannot revoke", async () => {
    const created = await alice.caller.apiToken.create({ workspaceId: workspaceA, name: "Kept" });
    expect(await code(viewer.caller.apiToken.create({ workspaceId: workspaceA, name: "x" }))).toBe("FORBIDDEN");
    expect(await code(viewer.caller.apiToken.list({ workspaceId: workspaceA }))).toBe("FORBIDDEN");
    expect(await code(bob.caller.apiToken.list({ workspaceId: workspaceA }))).toBe("NOT_FOUND");
    expect(await code(bob.caller.apiToken.revoke({ workspaceId: workspaceB, tokenId: created.id }))).toBe("NOT_FOUND");
    expect(await authenticateApiKey(services.database.db, created.key)).toBeDefined();
    expect(await code(alice.caller.apiToken.create({ workspaceId: workspaceA, name: "  " }))).toBe("BAD_REQUEST");
  });
});

describe("usage router", () => {
  test("every member reads the balance; the workspace's owner can neither grant credits nor change the plan", async () => {
    const summary = await viewer.caller.usage.summary({ workspaceId: workspaceA });
    expect(summary.account).toMatchObject({ plan: "free", monthlyAllowance: 3000, balance: 3000, used: 0 });
    expect(summary.recent).toEqual([]);
    // Plans and grants are the instance operator's (instance.int.test.ts); no one here is one.
    expect(await code(alice.caller.instance.grantCredits({ workspaceId: workspaceA, amount: 500 }))).toBe("FORBIDDEN");
    expect(await code(alice.caller.instance.setPlan({ workspaceId: workspaceA, plan: "starter" }))).toBe("FORBIDDEN");
    expect((await alice.caller.usage.summary({ workspaceId: workspaceA })).account).toMatchObject({
      plan: "free",
      balance: 3000,
    });
    expect(await code(bob.caller.usage.summary({ workspaceId: workspaceA }))).toBe("NOT_FOUND");
  });
});
