import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  ABANDONED_CLAIM_MS,
  API_REQUEST_TTL_MS,
  claimIdempotencyKey,
  findApiRequest,
  releaseApiRequest,
  renewClaimLeases,
  storeApiResponse,
  sweepExpiredApiRequests,
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

describe("stored answers and idempotency keys", () => {
  test("a key is claimed once; the claimer's answer is found by key and by id, byte for byte", async () => {
    const ws = await newWorkspace();
    const first = randomUUID();
    const claim = { workspaceId: ws, key: "k-1", bodyHash: "h1" };
    expect(await claimIdempotencyKey(database.db, { ...claim, id: first })).toEqual({ claimed: true });
    const second = await claimIdempotencyKey(database.db, { ...claim, id: randomUUID() });
    expect(second).toMatchObject({ claimed: false, existing: { id: first, state: "running", bodyHash: "h1" } });

    const body = '{"records":[{"b":1,"a":2}],"status":{"code":200,"text":"OK"}}';
    await storeApiResponse(database.db, { id: first, workspaceId: ws, status: 200, body });
    const third = await claimIdempotencyKey(database.db, { ...claim, id: randomUUID() });
    expect(third).toMatchObject({ claimed: false, existing: { id: first, state: "done", status: 200, body } });
    expect(await findApiRequest(database.db, ws, first)).toMatchObject({ state: "done", body, idempotencyKey: "k-1" });
  });

  test("keys are per workspace, and another workspace never finds the answer", async () => {
    const [a, b] = [await newWorkspace(), await newWorkspace()];
    const id = randomUUID();
    expect(await claimIdempotencyKey(database.db, { id, workspaceId: a, key: "same", bodyHash: "x" })).toEqual({
      claimed: true,
    });
    expect(
      await claimIdempotencyKey(database.db, { id: randomUUID(), workspaceId: b, key: "same", bodyHash: "x" }),
    ).toEqual({ claimed: true });
    await storeApiResponse(database.db, { id, workspaceId: a, status: 200, body: "{}" });
    expect(await findApiRequest(database.db, b, id)).toBeUndefined();
    expect(await findApiRequest(database.db, a, id)).toBeDefined();
  });

  test("calls without a key get a row of their own; a released claim frees the key", async () => {
    const ws = await newWorkspace();
    const plain = randomUUID();
    await storeApiResponse(database.db, { id: plain, workspaceId: ws, status: 200, body: '{"x":1}' });
    expect(await findApiRequest(database.db, ws, plain)).toMatchObject({ idempotencyKey: undefined, status: 200 });

    const id = randomUUID();
    await claimIdempotencyKey(database.db, { id, workspaceId: ws, key: "retry", bodyHash: "h" });
    await releaseApiRequest(database.db, id);
    expect(
      await claimIdempotencyKey(database.db, { id: randomUUID(), workspaceId: ws, key: "retry", bodyHash: "h" }),
    ).toEqual({ claimed: true });
  });

  test("after 24 h an answer is ignored, its key is free again, and the sweep deletes it", async () => {
    const ws = await newWorkspace();
    const id = randomUUID();
    const then = new Date("2026-12-01T10:00:00Z");
    await claimIdempotencyKey(database.db, { id, workspaceId: ws, key: "old", bodyHash: "h" }, then);
    await storeApiResponse(database.db, { id, workspaceId: ws, status: 200, body: "{}" }, then);
    const almost = new Date(then.getTime() + API_REQUEST_TTL_MS - 1000);
    expect(await findApiRequest(database.db, ws, id, almost)).toBeDefined();
    const later = new Date(then.getTime() + API_REQUEST_TTL_MS + 1000);
    expect(await findApiRequest(database.db, ws, id, later)).toBeUndefined();
    expect(
      await claimIdempotencyKey(database.db, { id: randomUUID(), workspaceId: ws, key: "old", bodyHash: "h2" }, later),
    ).toEqual({ claimed: true });

    const stale = randomUUID();
    await storeApiResponse(database.db, { id: stale, workspaceId: ws, status: 200, body: "{}" }, then);
    expect(await sweepExpiredApiRequests(database.db, later)).toBeGreaterThanOrEqual(1);
    expect(await database.db.selectFrom("api_request").select("id").where("id", "=", stale).execute()).toEqual([]);
  });

  test("a claim still running past ABANDONED_CLAIM_MS is taken over", async () => {
    const ws = await newWorkspace();
    const then = new Date("2026-12-02T10:00:00Z");
    await claimIdempotencyKey(database.db, { id: randomUUID(), workspaceId: ws, key: "dead", bodyHash: "h" }, then);
    const soon = new Date(then.getTime() + 1000);
    expect(
      (await claimIdempotencyKey(database.db, { id: randomUUID(), workspaceId: ws, key: "dead", bodyHash: "h" }, soon))
        .claimed,
    ).toBe(false);
    const late = new Date(then.getTime() + ABANDONED_CLAIM_MS + 1000);
    expect(
      await claimIdempotencyKey(database.db, { id: randomUUID(), workspaceId: ws, key: "dead", bodyHash: "h" }, late),
    ).toEqual({ claimed: true });
  });

  test("a claim with a lease is taken over once its lease lapsed, and not while it is renewed", async () => {
    const ws = await newWorkspace();
    const claim = (id: string) => ({ id, workspaceId: ws, key: "leased", bodyHash: "h", leaseMs: 1000 });
    const first = randomUUID();
    const then = new Date();
    expect(await claimIdempotencyKey(database.db, claim(first), then)).toEqual({ claimed: true });
    const at = (ms: number) => new Date(then.getTime() + ms);
    expect((await claimIdempotencyKey(database.db, claim(randomUUID()), at(900))).claimed).toBe(false);
    // Renewed at +800 ms for another second: still held at +1500 ms.
    await renewClaimLeases(database.db, [first], 1000, at(800));
    expect((await claimIdempotencyKey(database.db, claim(randomUUID()), at(1500))).claimed).toBe(false);
    // Not renewed again: taken over at +2000 ms, 13 minutes before the fixed rule would.
    const second = randomUUID();
    expect(await claimIdempotencyKey(database.db, claim(second), at(2000))).toEqual({ claimed: true });
    expect(await findApiRequest(database.db, ws, first, at(2000))).toBeUndefined();
  });
});
