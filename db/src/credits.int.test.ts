import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  addCredits,
  authenticateApiKey,
  createApiToken,
  getCreditAccount,
  listApiTokens,
  callsPerToken,
  creditsPerDayByFlow,
  listRecentUsage,
  MAX_CREDIT_AMOUNT,
  MAX_CREDIT_TOTAL,
  periodStartFor,
  placeCreditHold,
  holdForJob,
  releaseLapsedCreditHolds,
  renewHoldLeases,
  revokeApiToken,
  setCreditPlan,
  settleCreditHold,
  type Database,
} from "./index.js";
import { createTestDatabase } from "./testing.js";

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function newWorkspace(): Promise<string> {
  const id = randomUUID();
  await database.db.insertInto("workspace").values({ id, name: "W" }).execute();
  return id;
}

function usage(workspaceId: string, id: string = randomUUID()) {
  return { id, workspaceId, flowId: "f", flowVersion: 1, tokenId: undefined, records: 1, status: 200, latencyMs: 5 };
}

function row(workspaceId: string) {
  return { id: randomUUID(), workspace_id: workspaceId, records: 1, credits: 0, status: 200, latency_ms: 1 };
}

describe("credit account", () => {
  test("a new workspace is on the Free plan with 3,000 credits", async () => {
    const account = await getCreditAccount(database.db, await newWorkspace());
    expect(account).toMatchObject({ plan: "free", monthlyAllowance: 3000, used: 0, held: 0, balance: 3000 });
    expect(account.periodEnd.getTime()).toBeGreaterThan(Date.now());
  });

  test("hold, settle to what ran, release the rest; settling twice bills once", async () => {
    const ws = await newWorkspace();
    await setCreditPlan(database.db, ws, "free", 10);
    expect(await placeCreditHold(database.db, ws, "h1", 6)).toEqual({ ok: true });
    expect((await getCreditAccount(database.db, ws)).balance).toBe(4);
    expect(await placeCreditHold(database.db, ws, "h2", 6)).toEqual({ ok: false, balance: 4 });
    expect(await settleCreditHold(database.db, "h1", 2, usage(ws, "r1"))).toBe(true);
    expect(await settleCreditHold(database.db, "h1", 2, usage(ws, "r1"))).toBe(false);
    expect(await getCreditAccount(database.db, ws)).toMatchObject({ used: 2, held: 0, balance: 8 });
    const rows = await listRecentUsage(database.db, ws);
    expect(rows.map((r) => [r.credits, r.kind])).toEqual([[2, "call"]]);
  });

  test("a usage row keeps what ran it: a test run's member, a model try's task", async () => {
    const ws = await newWorkspace();
    await placeCreditHold(database.db, ws, "t1", 3);
    await settleCreditHold(database.db, "t1", 1, { ...usage(ws, "t1"), kind: "test_run", userId: "u1" });
    await placeCreditHold(database.db, ws, "m1", 1);
    const tryUsage = { ...usage(ws, "m1"), flowId: undefined, flowVersion: undefined };
    await settleCreditHold(database.db, "m1", 1, { ...tryUsage, kind: "model_try", userId: "u2", taskId: "k1" });
    const rows = await listRecentUsage(database.db, ws);
    expect(rows.map((r) => [r.id, r.kind, r.userId, r.credits]).sort()).toEqual([
      ["m1", "model_try", "u2", 1],
      ["t1", "test_run", "u1", 1],
    ]);
    expect(await getCreditAccount(database.db, ws)).toMatchObject({ used: 2, held: 0 });
    await expect(
      database.db
        .insertInto("usage_event")
        .values({ ...row(ws), kind: "free" as "call" })
        .execute(),
    ).rejects.toThrow();
  });

  test("concurrent holds never take the balance below zero", async () => {
    const ws = await newWorkspace();
    await setCreditPlan(database.db, ws, "free", 100);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => placeCreditHold(database.db, ws, `c${i}-${ws}`, 3)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(33);
    expect(await getCreditAccount(database.db, ws)).toMatchObject({ held: 99, balance: 1 });
  });

  test("holds whose lease lapsed are released without billing; added credits raise the balance", async () => {
    const ws = await newWorkspace();
    await setCreditPlan(database.db, ws, "free", 5);
    await placeCreditHold(database.db, ws, `s-${ws}`, 5);
    // The default lease of a hold nobody renews is 15 minutes.
    expect(await releaseLapsedCreditHolds(database.db, new Date(Date.now() + 60_000))).toBe(0);
    expect(await releaseLapsedCreditHolds(database.db, new Date(Date.now() + 16 * 60_000))).toBeGreaterThanOrEqual(1);
    expect(await getCreditAccount(database.db, ws)).toMatchObject({ used: 0, held: 0, balance: 5 });
    expect((await addCredits(database.db, ws, 7)).balance).toBe(12);
    await expect(addCredits(database.db, ws, 0)).rejects.toThrow(/whole number/);
    await expect(setCreditPlan(database.db, ws, "gold")).rejects.toThrow(/Unknown plan "gold"/);
  });

  test("amounts past 2^31 - 1 are stored, held, settled and summed as exact numbers on both databases", async () => {
    const ws = await newWorkspace();
    await setCreditPlan(database.db, ws, "business", 4_000_000_000);
    expect((await addCredits(database.db, ws, 3_000_000_000)).balance).toBe(7_000_000_000);
    expect(await placeCreditHold(database.db, ws, `big-${ws}`, 6_000_000_000)).toEqual({ ok: true });
    expect(await settleCreditHold(database.db, `big-${ws}`, 5_000_000_001, usage(ws))).toBe(true);
    const account = await getCreditAccount(database.db, ws);
    expect(account).toMatchObject({ used: 5_000_000_001, held: 0, bonus: 3_000_000_000, balance: 1_999_999_999 });
    expect([typeof account.used, typeof account.monthlyAllowance]).toEqual(["number", "number"]);
    expect((await listRecentUsage(database.db, ws))[0]?.credits).toBe(5_000_000_001);
    expect((await callsPerToken(database.db, ws, account.periodStart))[0]).toMatchObject({
      calls: 1,
      credits: 5_000_000_001,
    });
    expect((await creditsPerDayByFlow(database.db, ws, account.periodStart))[0]?.credits).toBe(5_000_000_001);
  });

  test("a grant or an allowance past the documented maximum is refused with the limit, and nothing changes", async () => {
    const ws = await newWorkspace();
    const before = await getCreditAccount(database.db, ws);
    for (const amount of [MAX_CREDIT_AMOUNT + 1, 2 ** 53, 0, 1.5, Number.NaN]) {
      await expect(addCredits(database.db, ws, amount)).rejects.toThrow(
        "Grant a whole number of credits from 1 to 1,000,000,000,000.",
      );
    }
    await expect(setCreditPlan(database.db, ws, "free", MAX_CREDIT_AMOUNT + 1)).rejects.toThrow(
      "The monthly allowance must be a whole number of credits from 0 to 1,000,000,000,000.",
    );
    expect(await getCreditAccount(database.db, ws)).toEqual(before);
    // Grants add up to at most MAX_CREDIT_TOTAL a period, so every balance stays an exact JavaScript number.
    await setCreditPlan(database.db, ws, "free", MAX_CREDIT_AMOUNT);
    await addCredits(database.db, ws, MAX_CREDIT_AMOUNT);
    await database.db
      .updateTable("credit_account")
      .set({ bonus: MAX_CREDIT_TOTAL - MAX_CREDIT_AMOUNT })
      .where("workspace_id", "=", ws)
      .execute();
    expect((await getCreditAccount(database.db, ws)).balance).toBe(MAX_CREDIT_TOTAL);
    await expect(addCredits(database.db, ws, 1)).rejects.toThrow(/at most 1,000,000,000,000,000 credits/);
    expect((await getCreditAccount(database.db, ws)).balance).toBe(MAX_CREDIT_TOTAL);
  });

  test("a renewed lease keeps its hold; a job's hold has no lease and is never released as lapsed", async () => {
    const ws = await newWorkspace();
    await setCreditPlan(database.db, ws, "free", 10);
    expect(await placeCreditHold(database.db, ws, `l1-${ws}`, 2, 10_000)).toEqual({ ok: true });
    expect(await placeCreditHold(database.db, ws, `l2-${ws}`, 3, 10_000)).toEqual({ ok: true });
    expect(await placeCreditHold(database.db, ws, `j-${ws}`, 4, 10_000)).toEqual({ ok: true });
    expect(await holdForJob(database.db, `j-${ws}`)).toBe(true);
    expect(await holdForJob(database.db, `missing-${ws}`)).toBe(false);
    // Renewed for a minute: only l2 outlives the next 30 s; the job's hold is not renewed (it has no lease).
    expect(await renewHoldLeases(database.db, [`l2-${ws}`, `j-${ws}`], 60_000)).toBe(1);
    const in30s = new Date(Date.now() + 30_000);
    expect(await releaseLapsedCreditHolds(database.db, in30s)).toBeGreaterThanOrEqual(1);
    const left = await database.db
      .selectFrom("credit_hold")
      .select("id")
      .where("workspace_id", "=", ws)
      .orderBy("id")
      .execute();
    expect(left.map((h) => h.id)).toEqual([`j-${ws}`, `l2-${ws}`]);
    expect(await getCreditAccount(database.db, ws)).toMatchObject({ used: 0, held: 7, balance: 3 });
    expect(await releaseLapsedCreditHolds(database.db, new Date(Date.now() + 86_400_000))).toBeGreaterThanOrEqual(1);
    expect(await getCreditAccount(database.db, ws)).toMatchObject({ held: 4 });
  });

  test("a new period starts on the reset day with nothing used", async () => {
    const ws = await newWorkspace();
    const march = new Date(Date.UTC(2026, 2, 20));
    await database.db
      .insertInto("credit_account")
      .values({
        workspace_id: ws,
        plan: "free",
        monthly_allowance: 100,
        used: 70,
        period_start: periodStartFor(15, march),
        reset_day: 15,
      })
      .execute();
    expect((await getCreditAccount(database.db, ws, march)).used).toBe(70);
    const april = await getCreditAccount(database.db, ws, new Date(Date.UTC(2026, 3, 15, 0, 0, 1)));
    expect(april).toMatchObject({ used: 0, balance: 100, periodStart: new Date(Date.UTC(2026, 3, 15)) });
    expect(periodStartFor(15, new Date(Date.UTC(2026, 0, 3)))).toEqual(new Date(Date.UTC(2025, 11, 15)));
  });
});

describe("API tokens", () => {
  test("the key authenticates until revoked; only the hash is stored; the prefix is shown", async () => {
    const ws = await newWorkspace();
    const { token, key } = await createApiToken(database.db, ws, { name: " CI ", createdBy: "u1" });
    expect(key).toMatch(/^vf_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: "CI", prefix: key.slice(0, 11), lastUsedAt: undefined });
    const stored = await database.db
      .selectFrom("api_token")
      .selectAll()
      .where("id", "=", token.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(await authenticateApiKey(database.db, key)).toEqual({ id: token.id, workspaceId: ws });
    expect((await listApiTokens(database.db, ws))[0]?.lastUsedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(database.db, `${key}x`)).toBeUndefined();
    await revokeApiToken(database.db, ws, token.id);
    expect(await authenticateApiKey(database.db, key)).toBeUndefined();
    expect(await listApiTokens(database.db, ws)).toEqual([]);
    await expect(revokeApiToken(database.db, ws, token.id)).rejects.toThrow(/already revoked/);
    await expect(createApiToken(database.db, ws, { name: "  ", createdBy: "u1" })).rejects.toThrow(/name/);
  });

  test("another workspace cannot revoke a token", async () => {
    const ws = await newWorkspace();
    const other = await newWorkspace();
    const { token, key } = await createApiToken(database.db, ws, { name: "A", createdBy: "u1" });
    await expect(revokeApiToken(database.db, other, token.id)).rejects.toThrow(/does not exist/);
    expect(await authenticateApiKey(database.db, key)).toBeDefined();
  });
});
