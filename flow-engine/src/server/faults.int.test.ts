/**
 * Faults across two standalone engine processes on one PostgreSQL database, with a hold lease of 1 s:
 * one engine is killed (`kill -9`) with calls in flight, then the other's database connections are ended
 * during a burst. Afterwards no hold outlives its lease, every billed call's answer can be had by its id,
 * the ledger is the sum of the answered calls, nothing is billed twice and the surviving engine answers.
 * Two processes share one database: real PostgreSQL only, skipped without DATABASE_URL.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken, createDatabase, getCreditAccount, LocalBlobStore, type Database } from "@vizflow/db";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "@vizflow/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { colourImage, seedWorkspace, type SeededWorkspace } from "../http/test-fixture.js";
import { startEngineProcess, type EngineProcess } from "./engine-process.js";

const postgres = process.env.DATABASE_URL;
const LEASE_MS = 1000;
const SURVIVOR = "vizflow-faults-survivor";

interface Answer {
  status: number;
  requestId: string | null;
  credits: number | undefined;
}

describe.skipIf(!postgres)("faults: a killed engine and lost database connections", () => {
  let target: TestDatabaseUrl;
  let database: Database;
  let modelsDir: string;
  let seeded: SeededWorkspace;
  let key: string;
  let imageServer: Server;
  let imageUrl: string;
  let png: Buffer;
  /** While true, image fetches hang (their calls stay in flight). */
  let hang = true;
  let hanging = 0;
  let victim: EngineProcess;
  let survivor: EngineProcess;
  const engines: EngineProcess[] = [];

  beforeAll(async () => {
    target = await createTestDatabaseUrl();
    database = await createDatabase({ url: target.url });
    modelsDir = await mkdtemp(path.join(tmpdir(), "vizflow-faults-"));
    seeded = await seedWorkspace(database, new LocalBlobStore(modelsDir), { credits: 1000 });
    key = (await createApiToken(database.db, seeded.id, { name: "faults", createdBy: "u" })).key;
    png = Buffer.from(await colourImage([0, 255, 0]), "base64");
    imageServer = createServer((_req, res) => {
      if (hang) {
        hanging++;
        return; // answers never: the call stays in flight until its engine dies
      }
      res.writeHead(200, { "content-type": "image/png" }).end(png);
    });
    await new Promise<void>((resolve) => imageServer.listen(0, "127.0.0.1", resolve));
    imageUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}/green.png`;
    const env = {
      VIZFLOW_MODELS_DIR: modelsDir,
      VIZFLOW_INFERENCE_WORKERS: "1",
      VIZFLOW_FETCH_ALLOW: "127.0.0.1",
      VIZFLOW_HOLD_LEASE_MS: String(LEASE_MS),
    };
    const named = new URL(target.url);
    named.searchParams.set("application_name", SURVIVOR);
    [victim, survivor] = await Promise.all([
      startEngineProcess({ ...env, DATABASE_URL: target.url }),
      startEngineProcess({ ...env, DATABASE_URL: named.toString() }),
    ]);
    engines.push(victim, survivor);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(engines.map((e) => e.stop()));
    imageServer?.closeAllConnections();
    imageServer?.close();
    await database?.close();
    await target?.drop();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  function call(engine: EngineProcess, records: unknown[], idempotencyKey?: string): Promise<Answer> {
    return fetch(`${engine.url}/v2/flows/${seeded.colourFlow}/process`, {
      method: "POST",
      headers: {
        authorization: `Token ${key}`,
        "content-type": "application/json",
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
      },
      body: JSON.stringify({ records }),
    }).then(async (r) => {
      const body = (await r.json()) as { statistics?: { credits: number } };
      return { status: r.status, requestId: r.headers.get("x-request-id"), credits: body.statistics?.credits };
    });
  }

  async function held(): Promise<number> {
    return (await getCreditAccount(database.db, seeded.id)).held;
  }

  async function waitFor(what: string, check: () => Promise<boolean>, withinMs: number): Promise<number> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > withinMs) throw new Error(`${what} did not happen within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return Date.now() - started;
  }

  /** Every billed call has its answer by id, the ledger is the usage rows' sum, nobody is billed twice. */
  async function expectLedgerMatchesAnswers(answered: Answer[]): Promise<void> {
    const account = await getCreditAccount(database.db, seeded.id);
    const usage = await database.db
      .selectFrom("usage_event")
      .select(["id", "credits", "status"])
      .where("workspace_id", "=", seeded.id)
      .execute();
    const billed = usage.filter((u) => u.credits > 0);
    expect(account.held).toBe(0);
    expect(account.used).toBe(billed.reduce((sum, u) => sum + u.credits, 0));
    // Every answer is billed exactly once, what it says it cost, under its own request id (a record whose
    // model could not load while the connections went answers 200 with its own error status, and costs 0).
    for (const answer of answered.filter((a) => a.status === 200)) {
      expect(billed.filter((u) => u.id === answer.requestId).map((u) => u.credits)).toEqual(
        answer.credits ? [answer.credits] : [],
      );
    }
    // Every billed call (answered or not) has its answer stored.
    for (const { id } of billed) {
      const stored = await fetch(`${survivor.url}/v2/requests/${id}`, { headers: { authorization: `Token ${key}` } });
      expect(stored.status, `the answer of billed call ${id}`).toBe(200);
      const body = (await stored.json()) as { records?: { colour?: { best_label: { name: string } } }[] };
      expect(body.records?.[0]?.colour?.best_label.name).toBe("green");
    }
  }

  test("kill -9 with calls in flight: the survivor releases their holds within a few leases", async () => {
    // Five calls finish on the victim before it dies; twenty more are in flight (their images hang).
    hang = false;
    const image = png.toString("base64");
    const done = await Promise.all(
      Array.from({ length: 5 }, (_, i) => call(victim, [{ _base64: image }], `done-${i}`)),
    );
    expect(done.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
    hang = true;
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      call(victim, [{ _url: imageUrl }], `lost-${i}`).catch(() => undefined),
    );
    await waitFor("20 image fetches", () => Promise.resolve(hanging >= 20), 30_000);
    expect(await held()).toBe(20);
    victim.child.kill("SIGKILL");
    await victim.stop();
    expect(await Promise.all(inFlight)).toEqual(Array.from({ length: 20 }, () => undefined));

    // Nobody renews the holds now: the survivor's sweep releases them within a few lease periods.
    const took = await waitFor("the lapsed holds' release", async () => (await held()) === 0, 6 * LEASE_MS);
    expect(took).toBeLessThan(6 * LEASE_MS);

    // The clients retry on the survivor with their keys: the dead claims lapsed with their leases, so the
    // calls run (once each); the finished ones replay and are not billed again.
    hang = false;
    const retried = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(survivor, [{ _url: imageUrl }], `lost-${i}`)),
    );
    expect(retried.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    const replayed = await Promise.all(
      Array.from({ length: 5 }, (_, i) => call(survivor, [{ _base64: image }], `done-${i}`)),
    );
    expect(replayed.map((r) => r.requestId)).toEqual(done.map((d) => d.requestId));
    const account = await getCreditAccount(database.db, seeded.id);
    expect(account).toMatchObject({ used: 25, held: 0 });
    await expectLedgerMatchesAnswers([...done, ...retried]);
  }, 120_000);

  test("the survivor's database connections are ended during a burst: it recovers, billing stays exact", async () => {
    hang = false;
    const image = png.toString("base64");
    const before = (await getCreditAccount(database.db, seeded.id)).used;
    const burst = Array.from({ length: 30 }, () =>
      call(survivor, [{ _base64: image }]).catch((): Answer => ({ status: 0, requestId: null, credits: undefined })),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    // As a PostgreSQL restart would: every connection of the engine ends at once.
    const ended = await sql<{ n: number }>`
      select count(*)::int as n from (
        select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${SURVIVOR}
      ) t`.execute(database.db);
    expect(ended.rows[0]?.n).toBeGreaterThan(0);
    const answers = await Promise.all(burst);
    expect(survivor.child.exitCode, survivor.stderr()).toBeNull();
    // Each call ends in an answer: 200, or 500 when its connection went (billed nothing then, or stored).
    for (const answer of answers) expect([200, 500]).toContain(answer.status);

    // No hold outlives its lease, and the engine keeps answering.
    await waitFor("the holds' settlement or release", async () => (await held()) === 0, 6 * LEASE_MS);
    const after = await call(survivor, [{ _base64: image }]);
    expect(after, survivor.stderr().slice(-3000)).toMatchObject({ status: 200, credits: 1 });
    const usedNow = (await getCreditAccount(database.db, seeded.id)).used;
    const paid = [...answers, after].reduce((sum, a) => sum + (a.status === 200 ? (a.credits ?? 0) : 0), 0);
    // At least what the answered calls cost; more only for calls billed whose answer the client then lost
    // (a 500 after the settlement), and those are stored (checked below).
    expect(usedNow - before).toBeGreaterThanOrEqual(paid);
    await expectLedgerMatchesAnswers([...answers, after]);
  }, 120_000);
});
