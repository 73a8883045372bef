import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  addCredits,
  createApiToken,
  getCreditAccount,
  holdForJob,
  LocalBlobStore,
  placeCreditHold,
  revokeApiToken,
  type Database,
} from "@vizflow/db";
import { randomUUID } from "node:crypto";
import { createTestDatabase } from "@vizflow/db/testing";
import corePlugin from "@vizflow/plugin-core";
import { ActionRegistry } from "@vizflow/sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FlowEngine } from "../engine/engine.js";
import { onnxImageRuntime } from "../engine/onnx-image-runtime.js";
import { InferencePool } from "../runtime/inference/inference-pool.js";
import { ModelRuntime } from "../runtime/model-runtime.js";
import { DatabaseModelStore } from "../stores/database-model-store.js";
import { createEngineApi, type EngineApi } from "./api.js";
import { guardedImageFetcher } from "./fetch-image.js";
import { jsonLogger } from "./logger.js";
import { colourImage, seedWorkspace, type SeededWorkspace } from "./test-fixture.js";

let database: Database;
let blobDir: string;
let pool: InferencePool;
let models: ModelRuntime;
let api: EngineApi;
let payloads: LocalBlobStore;
let relaxed: EngineApi;
let a: SeededWorkspace;
let b: SeededWorkspace;
let keyA: string;
let keyB: string;
let red: string;
let green: string;
let imageServer: Server;
let imageUrl: string;
const logLines: Record<string, unknown>[] = [];

function engineFor(allowedAddresses: string[] = []): FlowEngine {
  return new FlowEngine({
    registry: new ActionRegistry([corePlugin]),
    runtime: onnxImageRuntime({ models }),
    fetchImage: guardedImageFetcher({ allowedAddresses, timeoutMs: 5000 }),
  });
}

/** Answers the pending `/slow.png` fetch. */
let answerSlow: (() => void) | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  blobDir = await mkdtemp(path.join(tmpdir(), "vizflow-api-blobs-"));
  const blobs = new LocalBlobStore(blobDir);
  payloads = new LocalBlobStore(path.join(blobDir, "job-payloads"));
  pool = new InferencePool({ size: 1 });
  models = new ModelRuntime({ store: new DatabaseModelStore(database.db, blobs), pool });
  const logger = jsonLogger({ write: (line) => logLines.push(JSON.parse(line) as Record<string, unknown>) });
  api = createEngineApi({
    database,
    engine: engineFor(),
    logger,
    limits: { maxBodyBytes: 200_000 },
    jobs: { pollingIntervalSeconds: 0.5 },
    payloads,
  });
  relaxed = createEngineApi({ database, engine: engineFor(["127.0.0.1"]), logger, payloads });
  a = await seedWorkspace(database, blobs, { credits: 20, name: "A" });
  b = await seedWorkspace(database, blobs, { name: "B" });
  keyA = (await createApiToken(database.db, a.id, { name: "A", createdBy: "u" })).key;
  keyB = (await createApiToken(database.db, b.id, { name: "B", createdBy: "u" })).key;
  red = await colourImage([255, 0, 0]);
  green = await colourImage([0, 255, 0]);
  const png = Buffer.from(red, "base64");
  imageServer = createServer((req, res) => {
    if (req.url === "/red.png") res.writeHead(200, { "content-type": "image/png" }).end(png);
    else if (req.url === "/slow.png") answerSlow = () => res.writeHead(200, { "content-type": "image/png" }).end(png);
    else if (req.url === "/to-loopback") res.writeHead(302, { location: "http://[::1]/red.png" }).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imageServer.listen(0, "127.0.0.1", resolve));
  imageUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  imageServer?.close();
  await api?.close();
  await models.close();
  await pool.close();
  await database.close();
  await rm(blobDir, { recursive: true, force: true });
});

function call(
  target: EngineApi,
  pathname: string,
  options: { key?: string | null; body?: unknown; raw?: string; method?: string; scheme?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.key !== null) headers.authorization = `${options.scheme ?? "Token"} ${options.key ?? keyA}`;
  const method = options.method ?? (options.body !== undefined || options.raw !== undefined ? "POST" : "GET");
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return target.fetch(new Request(`http://engine${pathname}`, { method, headers, ...(body ? { body } : {}) }));
}

async function json(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  return (await response.json()) as Record<string, unknown>;
}

describe("POST /v2/flows/{id}/process", () => {
  test("runs the deployed version, bills what ran and writes a usage row", async () => {
    const before = await getCreditAccount(database.db, a.id);
    const response = await call(api, `/v2/flows/${a.colourFlow}/process`, {
      body: { records: [{ _id: "r", _base64: red, note: "echo" }] },
    });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.status).toEqual({ code: 200, text: "OK" });
    expect(body.records).toEqual([
      expect.objectContaining({
        _id: "r",
        note: "echo",
        _width: 16,
        _height: 16,
        colour: expect.objectContaining({ best_label: expect.objectContaining({ name: "red" }) }),
        _status: { code: 200, text: "OK" },
      }),
    ]);
    expect(body.statistics).toMatchObject({ credits: 1 });
    const after = await getCreditAccount(database.db, a.id);
    expect(after.used - before.used).toBe(1);
    expect(after.held).toBe(0);
    const usage = await database.db
      .selectFrom("usage_event")
      .selectAll()
      .where("id", "=", response.headers.get("x-request-id") ?? "")
      .executeTakeFirstOrThrow();
    expect(usage).toMatchObject({ workspace_id: a.id, flow_id: a.colourFlow, flow_version: 1, records: 1, credits: 1 });
    expect(logLines.some((l) => l.msg === "request" && l.status === 200 && l.flowId === a.colourFlow)).toBe(true);
  });

  test("failed records and branches not taken cost nothing", async () => {
    const before = (await getCreditAccount(database.db, a.id)).used;
    const response = await call(api, `/v2/flows/${a.branchFlow}/process`, {
      body: {
        records: [
          { _id: "red", _base64: red },
          { _id: "green", _base64: green },
          { _id: "corrupt", _base64: Buffer.from("not an image at all").toString("base64") },
        ],
      },
    });
    const body = await json(response);
    const records = body.records as { _id: string; _status: { code: number }; again?: unknown }[];
    expect(records.map((r) => [r._id, r._status.code, r.again !== undefined])).toEqual([
      ["red", 200, true],
      ["green", 200, false],
      ["corrupt", 422, false],
    ]);
    // red: branch selector + recognition = 2; green: the branch selector only = 1; corrupt: 0.
    expect(body.statistics).toMatchObject({ credits: 3 });
    expect((await getCreditAccount(database.db, a.id)).used - before).toBe(3);
  });

  test("the reference-compatible POST /v2/process with { flow, records }, with Bearer", async () => {
    const response = await call(api, "/v2/process", {
      scheme: "Bearer",
      body: { flow: a.colourFlow, records: [{ _base64: green }] },
    });
    expect(response.status).toBe(200);
    expect(
      ((await json(response)).records as { colour: { best_label: { name: string } } }[])[0]?.colour.best_label.name,
    ).toBe("green");
  });

  test("402 with the balance when the worst case is not covered; nothing is held afterwards", async () => {
    const { balance } = await getCreditAccount(database.db, a.id);
    const records = Array.from({ length: Math.floor(balance / 3) + 1 }, () => ({ _base64: red }));
    const response = await call(api, `/v2/flows/${a.tripleFlow}/process`, { body: { records } });
    expect(response.status).toBe(402);
    const body = await json(response);
    expect(body).toMatchObject({ status: { code: 402 }, balance, required: records.length * 3 });
    expect((body.status as { text: string }).text).toContain(`${balance} left`);
    expect((await getCreditAccount(database.db, a.id)).held).toBe(0);
  });
});

describe("balances past 2^31 - 1 (64-bit credit columns)", () => {
  test("after a grant of 3,000,000,000 credits calls hold, settle and bill as before", async () => {
    await addCredits(database.db, b.id, 3_000_000_000);
    const before = await getCreditAccount(database.db, b.id);
    expect(before.balance).toBeGreaterThan(2 ** 31);
    for (const image of [red, green]) {
      const response = await call(api, `/v2/flows/${b.tripleFlow}/process`, {
        key: keyB,
        body: { records: [{ _base64: image }] },
      });
      expect(response.status).toBe(200);
      expect((await json(response)).statistics).toMatchObject({ credits: 3 });
    }
    const after = await getCreditAccount(database.db, b.id);
    expect([after.used - before.used, after.held, before.balance - after.balance]).toEqual([6, 0, 6]);
  });
});

describe("auth and isolation", () => {
  test("no token, a malformed header or an unknown key: 401", async () => {
    for (const options of [{ key: null }, { scheme: "Basic" }, { key: "vf_nope" }] as const) {
      const response = await call(api, `/v2/flows/${a.colourFlow}/process`, {
        ...options,
        body: { records: [{ _base64: red }] },
      });
      expect(response.status).toBe(401);
      expect((await json(response)).status).toMatchObject({ code: 401 });
    }
  });

  test("a token of workspace B calling a flow of workspace A: 404, and B is not billed", async () => {
    const before = await getCreditAccount(database.db, b.id);
    const response = await call(api, `/v2/flows/${a.colourFlow}/process`, {
      key: keyB,
      body: { records: [{ _base64: red }] },
    });
    expect(response.status).toBe(404);
    expect((await json(response)).status).toMatchObject({ code: 404, text: expect.stringContaining(a.colourFlow) });
    expect((await call(api, `/v2/flows/${a.colourFlow}/schema`, { key: keyB })).status).toBe(404);
    expect((await getCreditAccount(database.db, b.id)).used).toBe(before.used);
  });

  test("a revoked token gets 401 on its next call", async () => {
    const { token, key } = await createApiToken(database.db, b.id, { name: "temp", createdBy: "u" });
    const ok = await call(api, `/v2/flows/${b.colourFlow}/process`, { key, body: { records: [{ _base64: red }] } });
    expect(ok.status).toBe(200);
    await revokeApiToken(database.db, b.id, token.id);
    const refused = await call(api, `/v2/flows/${b.colourFlow}/process`, {
      key,
      body: { records: [{ _base64: red }] },
    });
    expect(refused.status).toBe(401);
  });
});

describe("malformed requests get JSON errors", () => {
  test("malformed JSON, 11 records, unknown flow, oversized body, unknown route", async () => {
    const malformed = await call(api, `/v2/flows/${a.colourFlow}/process`, { raw: "{ records: [" });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).status).toMatchObject({ text: expect.stringContaining("not valid JSON") });

    const eleven = await call(api, `/v2/flows/${a.colourFlow}/process`, {
      body: { records: Array.from({ length: 11 }, () => ({ _base64: red })) },
    });
    expect(eleven.status).toBe(413);
    expect((await json(eleven)).status).toEqual({
      code: 413,
      text: "the request has 11 records; at most 10 are accepted per request",
    });

    const unknown = await call(api, "/v2/flows/no-such-flow/process", { body: { records: [{ _base64: red }] } });
    expect(unknown.status).toBe(404);
    await json(unknown);

    const version = await call(api, `/v2/flows/${a.colourFlow}/process`, {
      body: { records: [{ _base64: red }], version: 9 },
    });
    expect(version.status).toBe(404);
    expect((await json(version)).status).toMatchObject({ text: expect.stringContaining("no version 9") });

    const big = await call(api, `/v2/flows/${a.colourFlow}/process`, {
      body: { records: [{ _base64: "A".repeat(300_000) }] },
    });
    expect(big.status).toBe(413);
    expect((await json(big)).status).toMatchObject({ code: 413 });

    const route = await call(api, "/v2/nothing");
    expect(route.status).toBe(404);
    await json(route);
  });
});

describe("_url records", () => {
  test("loopback, private, link-local and metadata addresses are refused with a clear _status", async () => {
    const urls = [
      "http://127.0.0.1/x.png",
      "http://[::1]/x.png",
      "http://10.0.0.1/x.png",
      "http://169.254.169.254/latest/meta-data/",
      "http://localhost/x.png",
      `${imageUrl}/red.png`,
    ];
    const response = await call(api, `/v2/flows/${a.colourFlow}/process`, {
      body: { records: urls.map((u) => ({ _url: u })) },
    });
    const body = await json(response);
    const statuses = (body.records as { _status: { code: number; text: string } }[]).map((r) => r._status);
    for (const status of statuses) {
      expect(status.code).toBe(403);
      expect(status.text).toMatch(/not fetched from .*(loopback|private|link-local)/);
    }
    expect(statuses[4]?.text).toContain('"localhost" resolves to');
    expect(body.statistics).toMatchObject({ credits: 0 });
  });

  test("a loopback image server is reachable only when the guard is relaxed, and not through a redirect", async () => {
    const response = await call(relaxed, `/v2/flows/${a.colourFlow}/process`, {
      body: { records: [{ _url: `${imageUrl}/red.png` }, { _url: `${imageUrl}/to-loopback` }] },
    });
    const records = (await json(response)).records as { _status: { code: number; text: string }; colour?: unknown }[];
    expect(records[0]?._status.code).toBe(200);
    expect(records[0]?.colour).toBeDefined();
    expect(records[1]?._status.code).toBe(403);
    expect(records[1]?._status.text).toMatch(/from ::1: it is a loopback address \(reached by a redirect from/);
  });
});

describe("schema, health and metrics", () => {
  test("GET /v2/flows/{id}/schema describes what the actions write", async () => {
    const response = await call(api, `/v2/flows/${a.branchFlow}/schema`);
    expect(response.status).toBe(200);
    const schema = await json(response);
    const record = (schema.properties as { records: { items: { properties: Record<string, unknown> } } }).records.items;
    expect(Object.keys(record.properties)).toEqual(expect.arrayContaining(["branch", "again", "_status", "_width"]));
  });

  test("GET /healthz and GET /metrics (Prometheus text)", async () => {
    expect(await (await call(api, "/healthz", { key: null })).json()).toEqual({ status: "ok" });
    const metrics = await (await call(api, "/metrics", { key: null })).text();
    expect(metrics).toMatch(/vizflow_http_requests_total\{route="\/v2\/flows\/:flowId\/process",status="200"\} \d+/);
    expect(metrics).toContain("vizflow_http_request_duration_seconds_bucket");
    expect(metrics).toMatch(/vizflow_credits_charged_total \d+/);
    expect(metrics).toMatch(/vizflow_records_processed_total\{status_class="2xx"\} \d+/);
    expect(metrics).toContain("vizflow_model_sessions_loaded");
  });
});

describe("async jobs", () => {
  test("POST ?async=true answers 202 with a job id; the job completes with the synchronous response, billed once", async () => {
    await api.jobs.work();
    const before = (await getCreditAccount(database.db, a.id)).used;
    const queued = await call(api, `/v2/flows/${a.colourFlow}/process?async=true`, {
      body: { records: [{ _id: "j", _base64: red }] },
    });
    expect(queued.status).toBe(202);
    const { job_id: jobId } = (await json(queued)) as { job_id: string };
    // The row keeps a reference and a key, not the image; the payload store holds it encrypted.
    const row = async () =>
      (await database.executeSql("select data from pgboss.job where id = $1", [jobId])).rows[0] as {
        data: { records?: unknown; payload?: { sha256: string; key: string } };
      };
    const queuedData = (await row()).data;
    expect(queuedData.records).toBeUndefined();
    const sha256 = queuedData.payload?.sha256 ?? "";
    const sealed = Buffer.from(await new Response(await payloads.read(sha256)).arrayBuffer()).toString("latin1");
    expect(sealed).not.toContain(red.slice(0, 40));
    expect(sealed).not.toContain('"_id"');
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 60; i++) {
      body = await json(await call(api, `/v2/jobs/${jobId}`));
      if ((body.job as { state: string }).state === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(body).toMatchObject({
      job: { id: jobId, state: "completed" },
      status: { code: 200 },
      statistics: { credits: 1 },
      records: [
        expect.objectContaining({
          _id: "j",
          colour: expect.objectContaining({ best_label: expect.objectContaining({ name: "red" }) }),
        }),
      ],
    });
    expect((await getCreditAccount(database.db, a.id)).used - before).toBe(1);
    expect((await call(api, `/v2/jobs/${jobId}`, { key: keyB })).status).toBe(404);
    // The payload goes when the job ends (its last attempt deletes it); the sweep clears the row's reference.
    expect(await payloads.stat(sha256)).toBeUndefined();
    await api.jobs.removeEndedPayloads();
    expect((await row()).data.payload).toBeUndefined();
    expect(await json(await call(api, `/v2/jobs/${jobId}`))).toMatchObject({ job: { state: "completed" } });
  }, 60_000);

  test("the holds of jobs that are gone are released after a minute; a queued job's hold stays", async () => {
    // The queue runs since the test above (it is only swept where it started).
    const before = await getCreditAccount(database.db, a.id);
    // A job's hold whose job never got queued (its engine died in between), placed two minutes ago.
    const orphan = randomUUID();
    expect(await placeCreditHold(database.db, a.id, orphan, 2, 10_000)).toEqual({ ok: true });
    expect(await holdForJob(database.db, orphan)).toBe(true);
    await database.db
      .updateTable("credit_hold")
      .set({ created_at: new Date(Date.now() - 120_000) } as never)
      .where("id", "=", orphan)
      .execute();
    // One placed just now: its job may still be on its way into the queue.
    const young = randomUUID();
    expect(await placeCreditHold(database.db, a.id, young, 3, null)).toEqual({ ok: true });
    expect(await api.jobs.releaseFinishedJobHolds()).toBe(1);
    expect((await getCreditAccount(database.db, a.id)).held - before.held).toBe(3);
    await database.db.deleteFrom("credit_hold").where("id", "=", young).execute();
    await database.db
      .updateTable("credit_account")
      .set((eb) => ({ held: eb("held", "-", 3) }))
      .where("workspace_id", "=", a.id)
      .execute();
  }, 60_000);

  // Last: it drains `relaxed` for good (the one-process server's SIGTERM drains its engine so).
  test("draining: a call in flight finishes and is billed, new calls and the health check get 503", async () => {
    const before = (await getCreditAccount(database.db, a.id)).used;
    const inFlight = call(relaxed, `/v2/flows/${a.colourFlow}/process`, {
      body: { records: [{ _url: `${imageUrl}/slow.png` }] },
    });
    for (let i = 0; i < 100 && !answerSlow; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answerSlow).toBeDefined();
    let drained = false;
    const draining = relaxed.drain().then(() => (drained = true));
    const refused = await call(relaxed, `/v2/flows/${a.colourFlow}/process`, { body: { records: [{ _base64: red }] } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await call(relaxed, "/healthz")).status).toBe(503);
    expect(drained).toBe(false);
    answerSlow?.();
    expect((await inFlight).status).toBe(200);
    await draining;
    expect((await getCreditAccount(database.db, a.id)).used - before).toBe(1);
  }, 60_000);
});
