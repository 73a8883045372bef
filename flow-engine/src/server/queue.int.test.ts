/**
 * The job queue's billing across engine processes, and a draining engine: a job that waits longer than
 * the hold lease is still billed when it runs; at zero balance a job is refused at enqueue; an attempt that
 * times out is aborted before its retry starts (its image fetch ends), and the job is billed once; a job
 * that fails for good bills nothing and says why; SIGTERM lets a call in flight finish, refuses new ones
 * and exits 0. Two processes share one database: real PostgreSQL only, skipped without DATABASE_URL.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken, createDatabase, getCreditAccount, LocalBlobStore, type Database } from "@vizflow/db";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "@vizflow/db/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { colourImage, seedWorkspace, type SeededWorkspace } from "../http/test-fixture.js";
import { startEngineProcess, type EngineProcess } from "./engine-process.js";

const postgres = process.env.DATABASE_URL;
const LEASE_MS = 300;
const ATTEMPT_SECONDS = 3;

interface JobBody {
  job?: { state: string };
  status?: { code: number; text: string };
  records?: { _id: string; colour?: { best_label: { name: string } } }[];
  statistics?: { credits: number };
}

describe.skipIf(!postgres)("the job queue's billing, and draining on SIGTERM", () => {
  let target: TestDatabaseUrl;
  let database: Database;
  let modelsDir: string;
  let seeded: SeededWorkspace;
  let key: string;
  let imageServer: Server;
  let imageBase: string;
  let png: Buffer;
  /** Fetches per path so far, fetches open now, the most open at once, and hung fetches that were closed. */
  const seen = new Map<string, number>();
  let open = 0;
  let mostOpen = 0;
  let closedWhileHanging = 0;
  /** Resolves a `/slow` fetch (the drain test). */
  let answerSlow: (() => void) | undefined;
  const engines: EngineProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    target = await createTestDatabaseUrl();
    database = await createDatabase({ url: target.url });
    modelsDir = await mkdtemp(path.join(tmpdir(), "vizflow-queue-"));
    seeded = await seedWorkspace(database, new LocalBlobStore(modelsDir), { credits: 50 });
    key = (await createApiToken(database.db, seeded.id, { name: "queue", createdBy: "u" })).key;
    png = Buffer.from(await colourImage([0, 0, 255]), "base64");
    imageServer = createServer((req, res) => {
      const url = req.url ?? "/";
      const count = (seen.get(url) ?? 0) + 1;
      seen.set(url, count);
      open++;
      mostOpen = Math.max(mostOpen, open);
      let answered = false;
      req.socket.once("close", () => {
        open--;
        if (!answered) closedWhileHanging++;
      });
      const answer = () => {
        answered = true;
        res.writeHead(200, { "content-type": "image/png", connection: "close" }).end(png);
      };
      // /hang-once/*: the first fetch never answers (until its attempt is aborted); /hang/*: none does.
      if (url.startsWith("/hang/") || (url.startsWith("/hang-once/") && count === 1)) return;
      if (url.startsWith("/slow/")) {
        answerSlow = answer;
        return;
      }
      answer();
    });
    await new Promise<void>((resolve) => imageServer.listen(0, "127.0.0.1", resolve));
    imageBase = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}`;
    env = {
      DATABASE_URL: target.url,
      VIZFLOW_MODELS_DIR: modelsDir,
      VIZFLOW_INFERENCE_WORKERS: "1",
      VIZFLOW_FETCH_ALLOW: "127.0.0.1",
      VIZFLOW_HOLD_LEASE_MS: String(LEASE_MS),
      VIZFLOW_JOB_EXPIRE_SECONDS: String(ATTEMPT_SECONDS),
      VIZFLOW_JOB_MAINTENANCE_SECONDS: "1",
      VIZFLOW_JOB_RETRIES: "1",
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(engines.map((e) => e.stop()));
    imageServer?.closeAllConnections();
    imageServer?.close();
    await database?.close();
    await target?.drop();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  async function start(extra: Record<string, string> = {}): Promise<EngineProcess> {
    const engine = await startEngineProcess({ ...env, ...extra });
    engines.push(engine);
    return engine;
  }

  function post(engine: EngineProcess, records: unknown[], async = true, token = key): Promise<Response> {
    return fetch(`${engine.url}/v2/flows/${seeded.colourFlow}/process${async ? "?async=true" : ""}`, {
      method: "POST",
      headers: { authorization: `Token ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ records }),
    });
  }

  async function finished(engine: EngineProcess, jobId: string): Promise<JobBody> {
    let body: JobBody = {};
    for (let i = 0; i < 160; i++) {
      body = (await (
        await fetch(`${engine.url}/v2/jobs/${jobId}`, { headers: { authorization: `Token ${key}` } })
      ).json()) as JobBody;
      if (body.job?.state === "completed" || body.job?.state === "failed") return body;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return body;
  }

  async function usageOf(id: string): Promise<[string, number, number][]> {
    const rows = await database.db.selectFrom("usage_event").selectAll().where("id", "=", id).execute();
    return rows.map((u) => [u.id, u.credits, u.status]);
  }

  let worker: EngineProcess;

  test("a job that waits longer than many hold leases keeps its hold and is billed when it runs", async () => {
    const enqueuer = await start({ VIZFLOW_JOB_WORKER: "0" });
    const queued = await post(enqueuer, [{ _id: "w", _url: `${imageBase}/ok/wait.png` }]);
    expect(queued.status).toBe(202);
    const { job_id: jobId } = (await queued.json()) as { job_id: string };
    // Ten leases: the enqueuer sweeps lapsed holds every lease, and the job's hold is not one of them.
    await new Promise((resolve) => setTimeout(resolve, 10 * LEASE_MS));
    expect(await getCreditAccount(database.db, seeded.id)).toMatchObject({ used: 0, held: 1 });

    worker = await start();
    const body = await finished(worker, jobId);
    expect(body.job?.state).toBe("completed");
    expect(body.records?.[0]).toMatchObject({ _id: "w", colour: { best_label: { name: "blue" } } });
    expect(await getCreditAccount(database.db, seeded.id)).toMatchObject({ used: 1, held: 0 });
    expect(await usageOf(jobId)).toEqual([[jobId, 1, 200]]);
  }, 120_000);

  test("at zero balance a job is refused at enqueue with 402", async () => {
    const broke = await seedWorkspace(database, new LocalBlobStore(modelsDir), { credits: 0, name: "Broke" });
    const brokeKey = (await createApiToken(database.db, broke.id, { name: "broke", createdBy: "u" })).key;
    const refused = await fetch(`${worker.url}/v2/flows/${broke.colourFlow}/process?async=true`, {
      method: "POST",
      headers: { authorization: `Token ${brokeKey}`, "content-type": "application/json" },
      body: JSON.stringify({ records: [{ _url: `${imageBase}/ok/broke.png` }] }),
    });
    expect(refused.status).toBe(402);
    expect(((await refused.json()) as JobBody).status?.text).toMatch(/not enough credits/);
    const jobs = await database.executeSql(
      "select count(*)::int as n from pgboss.job where data->'request'->>'workspaceId' = $1",
      [broke.id],
    );
    expect(jobs.rows).toEqual([{ n: 0 }]);
  }, 60_000);

  test("an attempt that times out is aborted before the retry starts; the job is billed once", async () => {
    const before = await getCreditAccount(database.db, seeded.id);
    mostOpen = 0;
    closedWhileHanging = 0;
    const queued = await post(worker, [{ _id: "t", _url: `${imageBase}/hang-once/t.png` }]);
    expect(queued.status).toBe(202);
    const { job_id: jobId } = (await queued.json()) as { job_id: string };
    const body = await finished(worker, jobId);
    expect(body.job?.state).toBe("completed");
    expect(body.records?.[0]).toMatchObject({ _id: "t", colour: { best_label: { name: "blue" } } });
    // Two fetches, never at once: the first attempt's fetch was ended (aborted) before the retry's began.
    expect(seen.get("/hang-once/t.png")).toBe(2);
    expect(mostOpen).toBe(1);
    expect(closedWhileHanging).toBe(1);
    expect(await getCreditAccount(database.db, seeded.id)).toMatchObject({ used: before.used + 1, held: 0 });
    expect(await usageOf(jobId)).toEqual([[jobId, 1, 200]]);
    expect(worker.logs.some((l) => l.msg === "job attempt failed; it will be retried" && l.jobId === jobId)).toBe(true);
  }, 120_000);

  test("a job whose every attempt times out fails, bills nothing, and its status and log say why", async () => {
    const before = await getCreditAccount(database.db, seeded.id);
    const queued = await post(worker, [{ _id: "f", _url: `${imageBase}/hang/f.png` }]);
    const { job_id: jobId } = (await queued.json()) as { job_id: string };
    const body = await finished(worker, jobId);
    expect(body.job?.state).toBe("failed");
    expect(body.status?.code).toBe(500);
    expect(body.status?.text).toMatch(/billed nothing.*attempt 2 of 2.*ran longer than 3 s/);
    expect(seen.get("/hang/f.png")).toBe(2);
    expect(await getCreditAccount(database.db, seeded.id)).toMatchObject({ used: before.used, held: 0 });
    expect(await usageOf(jobId)).toEqual([[jobId, 0, 500]]);
    const logged = worker.logs.find((l) => l.msg === "job failed; nothing was billed" && l.jobId === jobId);
    expect(logged?.error).toMatch(/ran longer than 3 s/);
  }, 120_000);

  test("SIGTERM drains: the call in flight finishes and is billed, a new call gets 503, the process exits 0", async () => {
    const draining = await start({ VIZFLOW_JOB_WORKER: "0" });
    const before = await getCreditAccount(database.db, seeded.id);
    const inFlight = post(draining, [{ _id: "s", _url: `${imageBase}/slow/s.png` }], false);
    for (let i = 0; i < 100 && !answerSlow; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answerSlow).toBeDefined();
    const exited = new Promise<number | null>((resolve) => draining.child.once("exit", (code) => resolve(code)));
    draining.child.kill("SIGTERM");
    for (let i = 0; i < 100 && !draining.logs.some((l) => l.msg?.toString().startsWith("draining")); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const refused = await post(draining, [{ _url: `${imageBase}/ok/late.png` }], false);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    answerSlow?.();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    const result = (await answered.json()) as JobBody;
    expect(result.records?.[0]).toMatchObject({ _id: "s", colour: { best_label: { name: "blue" } } });
    expect(await exited).toBe(0);
    expect(await getCreditAccount(database.db, seeded.id)).toMatchObject({ used: before.used + 1, held: 0 });
  }, 60_000);
});
