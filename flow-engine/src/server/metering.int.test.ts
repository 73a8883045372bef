/**
 * Exact credit metering across two standalone engine processes sharing one PostgreSQL database.
 * Needs real PostgreSQL (two processes cannot share an in-memory PGlite): skipped without DATABASE_URL.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken, createDatabase, getCreditAccount, LocalBlobStore, type Database } from "@vizflow/db";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "@vizflow/db/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { colourImage, seedWorkspace, type SeededWorkspace } from "../http/test-fixture.js";
import { startEngineProcess, type EngineProcess } from "./engine-process.js";

const postgres = process.env.DATABASE_URL;

describe.skipIf(!postgres)("metering with two engine processes on one PostgreSQL", () => {
  let target: TestDatabaseUrl;
  let database: Database;
  let modelsDir: string;
  let seeded: SeededWorkspace;
  let key: string;
  const engines: EngineProcess[] = [];

  beforeAll(async () => {
    target = await createTestDatabaseUrl();
    database = await createDatabase({ url: target.url });
    modelsDir = await mkdtemp(path.join(tmpdir(), "vizflow-metering-"));
    seeded = await seedWorkspace(database, new LocalBlobStore(modelsDir), { credits: 100 });
    key = (await createApiToken(database.db, seeded.id, { name: "load", createdBy: "u" })).key;
    const env = { DATABASE_URL: target.url, VIZFLOW_MODELS_DIR: modelsDir, VIZFLOW_INFERENCE_WORKERS: "1" };
    engines.push(...(await Promise.all([startEngineProcess(env), startEngineProcess(env)])));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(engines.map((e) => e.stop()));
    await database?.close();
    await target?.drop();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  test("100 credits, 3 per record, 200 concurrent calls: exactly 33 succeed, 167 get 402, 99 used", async () => {
    const image = await colourImage([255, 0, 0]);
    const body = JSON.stringify({ records: [{ _base64: image }] });
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${engines[i % 2]?.url}/v2/flows/${seeded.tripleFlow}/process`, {
          method: "POST",
          headers: { authorization: `Token ${key}`, "content-type": "application/json" },
          body,
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { statistics?: { credits: number } } })),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(33);
    expect(statuses.filter((s) => s === 402)).toHaveLength(167);
    expect(responses.filter((r) => r.status === 200).every((r) => r.body.statistics?.credits === 3)).toBe(true);
    // Both engines took part: each answered its half with a success or a 402 (which one wins the holds is a race).
    for (const engine of [0, 1]) {
      const answered = responses.filter((r, i) => i % 2 === engine && (r.status === 200 || r.status === 402));
      expect(answered).toHaveLength(100);
    }
    const account = await getCreditAccount(database.db, seeded.id);
    expect(account).toMatchObject({ used: 99, held: 0, balance: 1 });
    const usage = await database.db
      .selectFrom("usage_event")
      .select((eb) => [eb.fn.countAll<number>().as("rows"), eb.fn.sum<number>("credits").as("credits")])
      .where("workspace_id", "=", seeded.id)
      .executeTakeFirstOrThrow();
    expect(Number(usage.rows)).toBe(33);
    expect(Number(usage.credits)).toBe(99);
  }, 120_000);
});
