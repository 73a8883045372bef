/**
 * Idempotent calls, stored answers and "no bill without an answer", through the engine's fetch handler on
 * the test database (PGlite, or PostgreSQL with DATABASE_URL): what the ledger and the usage rows say.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken, getCreditAccount, LocalBlobStore, type Database } from "@vizflow/db";
import { createTestDatabase } from "@vizflow/db/testing";
import corePlugin from "@vizflow/plugin-core";
import { ActionRegistry, defineAction, definePlugin } from "@vizflow/sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FlowEngine } from "../engine/engine.js";
import { onnxImageRuntime } from "../engine/onnx-image-runtime.js";
import { InferencePool } from "../runtime/inference/inference-pool.js";
import { ModelRuntime } from "../runtime/model-runtime.js";
import { DatabaseModelStore } from "../stores/database-model-store.js";
import { createEngineApi, type EngineApi, type EngineApiOptions } from "./api.js";
import { guardedImageFetcher } from "./fetch-image.js";
import { jsonLogger } from "./logger.js";
import { colourImage, deployed, graph, seedWorkspace, type SeededWorkspace } from "./test-fixture.js";

/** An action that returns images, as Privacy blur does: one marked by its schema, one as `{ mime, base64 }`. */
const picture = defineAction({
  id: "picture",
  version: 1,
  title: "Picture",
  description: "Returns the image it was given (for tests).",
  category: "Test",
  icon: "image",
  config: { type: "object", additionalProperties: false, properties: {} },
  handles: [{ id: "next", label: "Next" }],
  writes: () => ({
    type: "object",
    properties: {
      snapshot: { type: "string", contentEncoding: "base64", contentMediaType: "image/png" },
      redacted: {
        type: "object",
        properties: { mime: { const: "image/png" }, base64: { type: "string" }, hidden: { type: "integer" } },
      },
    },
  }),
  credits: 1,
  run() {
    return Promise.resolve({
      write: { snapshot: "c21hbGw=", redacted: { mime: "image/png", base64: red, hidden: 0 } },
    });
  },
});
const picturePlugin = definePlugin({
  name: "pictest",
  title: "Pictures",
  description: "Test images",
  actions: [picture],
});

let database: Database;
let blobDir: string;
let pool: InferencePool;
let models: ModelRuntime;
let engine: FlowEngine;
let api: EngineApi;
let a: SeededWorkspace;
let b: SeededWorkspace;
let keyA: string;
let keyB: string;
let red: string;
let pictureFlow: string;
/** How far the API's clock is ahead of real time (expiry tests move it). */
let clockAhead = 0;
const apis: EngineApi[] = [];

function engineApi(options: Partial<EngineApiOptions> = {}): EngineApi {
  const created = createEngineApi({
    database,
    engine,
    logger: jsonLogger({ write: () => {} }),
    jobs: { pollingIntervalSeconds: 0.5 },
    payloads: new LocalBlobStore(path.join(blobDir, "job-payloads")),
    now: () => new Date(Date.now() + clockAhead),
    ...options,
  });
  apis.push(created);
  return created;
}

beforeAll(async () => {
  database = await createTestDatabase();
  blobDir = await mkdtemp(path.join(tmpdir(), "vizflow-idem-blobs-"));
  const blobs = new LocalBlobStore(blobDir);
  pool = new InferencePool({ size: 1 });
  models = new ModelRuntime({ store: new DatabaseModelStore(database.db, blobs), pool });
  engine = new FlowEngine({
    registry: new ActionRegistry([corePlugin, picturePlugin]),
    runtime: onnxImageRuntime({ models }),
    fetchImage: guardedImageFetcher({ allowedAddresses: [] }),
  });
  api = engineApi();
  a = await seedWorkspace(database, blobs, { credits: 1000, name: "A" });
  b = await seedWorkspace(database, blobs, { credits: 1000, name: "B" });
  keyA = (await createApiToken(database.db, a.id, { name: "A", createdBy: "u" })).key;
  keyB = (await createApiToken(database.db, b.id, { name: "B", createdBy: "u" })).key;
  red = await colourImage([255, 0, 0]);
  pictureFlow = await deployed(
    database,
    a.id,
    "Picture",
    graph([["pic", "pictest/picture@1"]], [["in", "next", "pic"]]),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(apis.map((x) => x.close()));
  await models?.close();
  await pool?.close();
  await database?.close();
  if (blobDir) await rm(blobDir, { recursive: true, force: true });
});

function post(
  pathname: string,
  body: unknown,
  options: { key?: string; idempotencyKey?: string; target?: EngineApi; raw?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    authorization: `Token ${options.key ?? keyA}`,
  };
  if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
  return (options.target ?? api).fetch(
    new Request(`http://engine${pathname}`, { method: "POST", headers, body: options.raw ?? JSON.stringify(body) }),
  );
}

function get(pathname: string, key = keyA): Promise<Response> {
  return api.fetch(new Request(`http://engine${pathname}`, { headers: { authorization: `Token ${key}` } }));
}

/** Credits used and usage rows of workspace A so far. */
async function ledger(workspaceId = a.id): Promise<{ used: number; held: number; rows: number; billed: number }> {
  const account = await getCreditAccount(database.db, workspaceId);
  const usage = await database.db
    .selectFrom("usage_event")
    .select((eb) => [eb.fn.countAll<number>().as("rows"), eb.fn.sum<number>("credits").as("credits")])
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return { used: account.used, held: account.held, rows: Number(usage.rows), billed: Number(usage.credits ?? 0) };
}

let keys = 0;
const newKey = () => `key-${++keys}-${Date.now()}`;

describe("Idempotency-Key on /v2/*/process", () => {
  test("the same key and body replay the stored answer, with its request id, billed once", async () => {
    const key = newKey();
    const before = await ledger();
    const body = { records: [{ _id: "r", _base64: red, note: "n" }] };
    const first = await post(`/v2/flows/${a.colourFlow}/process`, body, { idempotencyKey: key });
    expect(first.status).toBe(200);
    const id = first.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const text = await first.text();

    // The same body with its fields in another order is the same request.
    const again = await post(`/v2/flows/${a.colourFlow}/process`, undefined, {
      idempotencyKey: key,
      raw: `{ "records": [ { "note": "n", "_base64": "${red}", "_id": "r" } ] }`,
    });
    expect(again.status).toBe(200);
    expect(again.headers.get("x-request-id")).toBe(id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("content-type")).toMatch(/application\/json/);
    expect(await again.text()).toBe(text);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const after = await ledger();
    expect(after.used - before.used).toBe(1);
    expect(after.rows - before.rows).toBe(1);
    expect(after.held).toBe(0);

    // Another workspace's same key is its own.
    const other = await post(`/v2/flows/${b.colourFlow}/process`, body, { key: keyB, idempotencyKey: key });
    expect(other.status).toBe(200);
    expect(other.headers.get("x-request-id")).not.toBe(id);
  });

  test("the same key with another body or endpoint: 422 naming the first request, nothing billed", async () => {
    const key = newKey();
    const first = await post(
      `/v2/flows/${a.colourFlow}/process`,
      { records: [{ _base64: red }] },
      { idempotencyKey: key },
    );
    const id = first.headers.get("x-request-id");
    const before = await ledger();
    const changed = await post(
      `/v2/flows/${a.colourFlow}/process`,
      { records: [{ _base64: red, extra: 1 }] },
      { idempotencyKey: key },
    );
    expect(changed.status).toBe(422);
    const body = (await changed.json()) as { status: { text: string }; request_id: string };
    expect(body.status.text).toContain("already used");
    expect(body.status.text).toContain("another body");
    expect(body.request_id).toBe(id);
    const elsewhere = await post(
      `/v2/flows/${a.colourFlow}/process?async=true`,
      { records: [{ _base64: red }] },
      {
        idempotencyKey: key,
      },
    );
    expect(elsewhere.status).toBe(422);
    expect(await ledger()).toEqual(before);
  });

  test("two duplicates at once: one run, one bill; the other gets 409 (or, if the first was done, its replay)", async () => {
    const key = newKey();
    const before = await ledger();
    const body = { records: [{ _base64: red }, { _base64: red }] };
    const responses = await Promise.all([
      post(`/v2/flows/${a.tripleFlow}/process`, body, { idempotencyKey: key }),
      post(`/v2/flows/${a.tripleFlow}/process`, body, { idempotencyKey: key }),
    ]);
    const statuses = responses.map((r) => r.status).sort();
    expect([
      [200, 409],
      [200, 200],
    ]).toContainEqual(statuses);
    const conflict = responses.find((r) => r.status === 409);
    if (conflict) {
      expect(conflict.headers.get("retry-after")).toBe("1");
      expect(((await conflict.json()) as { status: { text: string } }).status.text).toContain("still running");
      // Retried once the first is done, it gets the first's answer.
      const ok = responses.find((r) => r.status === 200)!;
      const retry = await post(`/v2/flows/${a.tripleFlow}/process`, body, { idempotencyKey: key });
      expect(retry.status).toBe(200);
      expect(retry.headers.get("x-request-id")).toBe(ok.headers.get("x-request-id"));
    } else {
      expect(responses[0].headers.get("x-request-id")).toBe(responses[1].headers.get("x-request-id"));
    }
    const after = await ledger();
    expect(after.used - before.used).toBe(6);
    expect(after.rows - before.rows).toBe(1);
    expect(after.held).toBe(0);
  });

  test("after 24 hours the key is free again: the same call runs and bills anew", async () => {
    const key = newKey();
    const body = { records: [{ _base64: red }] };
    const first = await post(`/v2/flows/${a.colourFlow}/process`, body, { idempotencyKey: key });
    const id = first.headers.get("x-request-id")!;
    const before = await ledger();
    try {
      clockAhead = 24 * 60 * 60_000 - 60_000;
      const replay = await post(`/v2/flows/${a.colourFlow}/process`, body, { idempotencyKey: key });
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect((await get(`/v2/requests/${id}`)).status).toBe(200);
      clockAhead = 24 * 60 * 60_000 + 60_000;
      expect((await get(`/v2/requests/${id}`)).status).toBe(404);
      const fresh = await post(`/v2/flows/${a.colourFlow}/process`, body, { idempotencyKey: key });
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get("idempotent-replayed")).toBeNull();
      expect(fresh.headers.get("x-request-id")).not.toBe(id);
    } finally {
      clockAhead = 0;
    }
    const after = await ledger();
    expect(after.used - before.used).toBe(1);
  });

  test("errors bill nothing and free the key: a 402, then the same key works once credits are there", async () => {
    const key = newKey();
    const { balance } = await getCreditAccount(database.db, b.id);
    const records = Array.from({ length: 10 }, () => ({ _base64: red }));
    await database.db
      .updateTable("credit_account")
      .set({ monthly_allowance: 5 })
      .where("workspace_id", "=", b.id)
      .execute();
    const refused = await post(`/v2/flows/${b.tripleFlow}/process`, { records }, { key: keyB, idempotencyKey: key });
    expect(refused.status).toBe(402);
    expect(refused.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await database.db
      .updateTable("credit_account")
      .set({ monthly_allowance: 1000 + balance })
      .where("workspace_id", "=", b.id)
      .execute();
    const ok = await post(`/v2/flows/${b.tripleFlow}/process`, { records }, { key: keyB, idempotencyKey: key });
    expect(ok.status).toBe(200);
  });

  test("async: the same key twice gives the same job id, one job, billed once", async () => {
    await api.jobs.work();
    const key = newKey();
    const before = await ledger();
    const body = { records: [{ _id: "j", _base64: red }] };
    const first = await post(`/v2/flows/${a.colourFlow}/process?async=true`, body, { idempotencyKey: key });
    expect(first.status).toBe(202);
    const { job_id: jobId } = (await first.json()) as { job_id: string };
    expect(first.headers.get("x-request-id")).toBe(jobId);
    const second = await post(`/v2/flows/${a.colourFlow}/process?async=true`, body, { idempotencyKey: key });
    expect(second.status).toBe(202);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(((await second.json()) as { job_id: string }).job_id).toBe(jobId);

    let state = "";
    for (let i = 0; i < 80 && state !== "completed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = ((await (await get(`/v2/jobs/${jobId}`)).json()) as { job: { state: string } }).job.state;
    }
    expect(state).toBe("completed");
    const third = await post(`/v2/flows/${a.colourFlow}/process?async=true`, body, { idempotencyKey: key });
    expect(((await third.json()) as { job_id: string }).job_id).toBe(jobId);
    const after = await ledger();
    expect(after.used - before.used).toBe(1);
    expect(after.rows - before.rows).toBe(1);
    const jobs = await database.executeSql("select count(*)::int as n from pgboss.job where id = $1", [jobId]);
    expect((jobs.rows[0] as { n: number }).n).toBe(1);
  }, 60_000);
});

describe("GET /v2/requests/{id}", () => {
  test("returns the workspace's own finished call, without images; another workspace gets 404", async () => {
    const dataUrl = `data:image/png;base64,${red}`;
    const response = await post(`/v2/flows/${pictureFlow}/process`, {
      records: [{ _id: "p", _base64: red, thumb: dataUrl }],
    });
    expect(response.status).toBe(200);
    const id = response.headers.get("x-request-id")!;
    const live = (await response.json()) as { records: Record<string, unknown>[] };
    // The answer that goes out has its images...
    expect(live.records[0]).toMatchObject({ snapshot: "c21hbGw=", redacted: { base64: red }, thumb: dataUrl });

    const found = await get(`/v2/requests/${id}`);
    expect(found.status).toBe(200);
    const text = await found.text();
    const stored = JSON.parse(text) as {
      request: { id: string; state: string; expires_at: string };
      records: Record<string, unknown>[];
      images_removed: string[];
      status: { code: number };
    };
    expect(stored.request).toMatchObject({ id, state: "done" });
    expect(stored.status.code).toBe(200);
    // ...the stored one does not, and says what was removed.
    expect(stored.records[0]).toMatchObject({
      _id: "p",
      snapshot: null,
      thumb: null,
      redacted: { mime: "image/png", base64: null, hidden: 0 },
      _status: { code: 200, text: "OK" },
    });
    expect(stored.images_removed.sort()).toEqual(
      ["records[0].redacted.base64", "records[0].snapshot", "records[0].thumb"].sort(),
    );
    expect(text).not.toContain(red.slice(0, 40));
    const row = await database.db
      .selectFrom("api_request")
      .select("body")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.body).not.toContain(red.slice(0, 40));

    const foreign = await get(`/v2/requests/${id}`, keyB);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { status: { text: string } }).status.text).toContain("does not exist");
    expect((await get("/v2/requests/no-such-request")).status).toBe(404);
  });

  test("every call without a key is stored too, and every answer carries X-Request-Id", async () => {
    const response = await post(`/v2/flows/${a.colourFlow}/process`, { records: [{ _base64: red }] });
    const id = response.headers.get("x-request-id")!;
    const live = (await response.json()) as { statistics: unknown };
    const stored = (await (await get(`/v2/requests/${id}`)).json()) as { statistics: unknown };
    expect(stored.statistics).toEqual(live.statistics);
    for (const answer of [await get("/v2/nothing"), await get(`/v2/requests/${id}`, "vf_nope")]) {
      expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("no bill without an answer", () => {
  test("a response that cannot be serialised is a 500 that bills nothing, stores nothing and frees its key", async () => {
    let failures = 0;
    const broken = engineApi({
      serialize: (body) => {
        if ((body as { records?: unknown }).records !== undefined) {
          failures++;
          throw new RangeError("Maximum call stack size exceeded");
        }
        return JSON.stringify(body);
      },
    });
    const key = newKey();
    const before = await ledger();
    const body = { records: [{ _base64: red }] };
    const failed = await post(`/v2/flows/${a.tripleFlow}/process`, body, { target: broken, idempotencyKey: key });
    expect(failed.status).toBe(500);
    expect(failures).toBe(1);
    const id = failed.headers.get("x-request-id")!;
    const after = await ledger();
    expect(after.used).toBe(before.used);
    expect(after.held).toBe(0);
    expect(after.billed).toBe(before.billed);
    const usage = await database.db
      .selectFrom("usage_event")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(usage).toMatchObject({ credits: 0, status: 500 });
    expect((await get(`/v2/requests/${id}`)).status).toBe(404);

    // The retry with the same key runs (it was not answered before) and is billed once.
    const retry = await post(`/v2/flows/${a.tripleFlow}/process`, body, { idempotencyKey: key });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect((await ledger()).used - before.used).toBe(3);
  });

  test("a field nested 20,000 levels deep gets 400 before anything runs, and bills nothing", async () => {
    const before = await ledger();
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const response = await post(`/v2/flows/${a.colourFlow}/process`, undefined, {
      idempotencyKey: newKey(),
      raw: `{"records":[{"_base64":"${red}","x":${deep}}]}`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { status: { text: string } }).status.text).toContain("64 levels");
    expect(await ledger()).toEqual(before);
  });
});
