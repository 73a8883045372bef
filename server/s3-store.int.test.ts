/**
 * More than one host on one S3-compatible bucket (s3rver on 127.0.0.1): a model uploaded through the app's
 * upload route runs on two engines that share nothing but the database and the bucket, each fetching the
 * file into a cache of its own; a queued request's records travel through the bucket (encrypted) and are
 * deleted once the job has ended; a tampered model file is refused by a host that has not cached it yet.
 * With DATABASE_URL the engines are two standalone engine processes; on PGlite (which one process owns)
 * two engines assembled in this process.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken, createDatabase, openBlobStore, setCreditPlan, type Database } from "@vizflow/db";
import { createTestDatabaseUrl, startS3TestServer, type S3TestServer, type TestDatabaseUrl } from "@vizflow/db/testing";
import { assembleEngine, DatabaseModelStore, engineConfigFromEnv, type AssembledEngine } from "@vizflow/flow-engine";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createModelServices, setModelServices, type ModelServices } from "../app/_server/model-services";
import { handleModelUpload } from "../app/_server/model-upload-route";
import { createServices, type Services } from "../app/_server/services";
import { signUp, type TestUser } from "../app/_server/testing";
import { colourImage, deployed, graph } from "../flow-engine/src/http/test-fixture";
import { startEngineProcess, type EngineProcess } from "../flow-engine/src/server/engine-process";
import { colourClassifierModel } from "../flow-engine/src/testing/tiny-models";

const ADAPTER = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "softmax" },
} as const;

/** An engine on a host of its own: its own cache, nothing else but the database and the bucket shared. */
interface Host {
  readonly cache: string;
  call(pathname: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

let s3: S3TestServer;
let dir: string;
let target: TestDatabaseUrl;
let database: Database;
let services: Services;
let models: ModelServices;
let alice: TestUser;
let workspaceId: string;
let key: string;
const hosts: Host[] = [];

async function startHost(name: string): Promise<Host> {
  const cache = path.join(dir, `${name}-cache`);
  const env = {
    ...s3.env(cache),
    VIZFLOW_DATA_DIR: path.join(dir, `${name}-data`),
    VIZFLOW_INFERENCE_WORKERS: "1",
    VIZFLOW_LOG_LEVEL: "warn",
  };
  if (database.dialect === "postgres") {
    const engine: EngineProcess = await startEngineProcess({ ...env, DATABASE_URL: target.url });
    return { cache, call: (p, init) => fetch(`${engine.url}${p}`, init), close: () => engine.stop() };
  }
  const assembled: AssembledEngine = await assembleEngine(engineConfigFromEnv({ ...process.env, ...env }), database, {
    service: name,
    write: () => undefined,
  });
  return {
    cache,
    call: (p, init) => assembled.api.fetch(new Request(`http://${name}${p}`, init)),
    close: () => assembled.close(),
  };
}

function post(host: Host, pathname: string, records: unknown[]): Promise<Response> {
  return host.call(pathname, {
    method: "POST",
    headers: { authorization: `Token ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ records }),
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  s3 = await startS3TestServer();
  dir = mkdtempSync(path.join(tmpdir(), "vizflow-s3-hosts-"));
  target = await createTestDatabaseUrl();
  database = await createDatabase({ url: target.url });
  services = await createServices(database);
  // The app's host: the model services the upload route uses, over the bucket, with a cache of its own.
  models = createModelServices(database, { storage: s3.storage(path.join(dir, "app-cache")) });
  setModelServices(database, models);
  alice = await signUp(services, "Alice");
  workspaceId = (await alice.caller.workspace.create({ name: "Hosts" })).id;
  await setCreditPlan(database.db, workspaceId, "free", 100);
  key = (await createApiToken(database.db, workspaceId, { name: "hosts", createdBy: alice.id })).key;
}, 120_000);

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await models?.runtime.close();
  await database?.close();
  await target?.drop();
  await s3?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("engines on two hosts reading one bucket", () => {
  let sha256: string;
  let modelVersionId: string;
  let flowId: string;

  test("a model uploaded through the app's upload route is stored in the bucket, not in a local folder", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Colour",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    const form = new FormData();
    form.append("adapter", JSON.stringify(ADAPTER));
    form.append("activate", "true");
    form.append("file", new Blob([new Uint8Array(colourClassifierModel())]), "colour.onnx");
    const response = await handleModelUpload(
      new Request(`http://localhost/api/workspaces/${workspaceId}/tasks/${task.id}/model-versions`, {
        method: "POST",
        headers: alice.headers,
        body: form,
      }),
      services,
      { workspaceId, taskId: task.id },
    );
    expect(response.status).toBe(201);
    const body = (await response.json()) as { modelVersion: { id: string; fileSha256: string; active: boolean } };
    expect(body.modelVersion.active).toBe(true);
    sha256 = body.modelVersion.fileSha256;
    modelVersionId = body.modelVersion.id;
    expect(sha256).toBe(createHash("sha256").update(colourClassifierModel()).digest("hex"));
    expect(await s3.object(`models/${sha256}`)).toEqual(new Uint8Array(colourClassifierModel()));
    flowId = await deployed(
      database,
      workspaceId,
      "Colour",
      graph([["colour", "core/recognition@1", { task: task.id, output: "colour" }]], [["in", "next", "colour"]]),
    );
  });

  test("two engines with empty caches both run it, each fetching the file into its own cache", async () => {
    hosts.push(...(await Promise.all([startHost("host-a"), startHost("host-b")])));
    const red = await colourImage([255, 0, 0]);
    const green = await colourImage([0, 255, 0]);
    for (const [host, image, colour] of [
      [hosts[0], red, "red"],
      [hosts[1], green, "green"],
    ] as const) {
      if (!host) throw new Error("no host");
      expect(existsSync(path.join(host.cache, "models", sha256.slice(0, 2), sha256))).toBe(false);
      const response = await post(host, `/v2/flows/${flowId}/process`, [{ _id: colour, _base64: image }]);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { records: { colour: { best_label: { name: string } } }[] };
      expect(body.records[0]?.colour.best_label.name).toBe(colour);
      const cached = path.join(host.cache, "models", sha256.slice(0, 2), sha256);
      expect(createHash("sha256").update(readFileSync(cached)).digest("hex")).toBe(sha256);
    }
    // Nothing went to the local folders the embedded default would use.
    for (const name of ["host-a", "host-b"]) expect(existsSync(path.join(dir, `${name}-data`, "blobs"))).toBe(false);
  }, 120_000);

  test("a queued request's records go through the bucket, encrypted, and are deleted once the job has ended", async () => {
    const [first, second] = hosts;
    if (!first || !second) throw new Error("no hosts");
    const red = await colourImage([255, 0, 0]);
    const queued = await post(first, `/v2/flows/${flowId}/process?async=true`, [{ _id: "queued", _base64: red }]);
    expect(queued.status).toBe(202);
    const { job_id: jobId } = (await queued.json()) as { job_id: string };
    const { rows } = await database.executeSql("select data from pgboss.job where id = $1", [jobId]);
    const data = (rows[0] as { data: { records?: unknown; payload?: { sha256: string } } }).data;
    expect(data.records).toBeUndefined();
    const sealed = await s3.object(`job-payloads/${data.payload?.sha256}`);
    expect(sealed?.length).toBeGreaterThan(red.length);
    expect(Buffer.from(sealed ?? []).toString("latin1")).not.toContain(red.slice(0, 40));

    const job = await until("the job to complete", async () => {
      const body = (await (
        await second.call(`/v2/jobs/${jobId}`, { headers: { authorization: `Token ${key}` } })
      ).json()) as { job: { state: string }; records?: { colour: { best_label: { name: string } } }[] };
      return body.job.state === "completed" ? body : undefined;
    });
    expect(job.records?.[0]?.colour.best_label.name).toBe("red");
    // The job's last attempt deleted its payload as it ended: gone by the time the job says completed.
    expect(await s3.keys("job-payloads/")).toEqual([]);
  }, 60_000);

  test("a tampered model file is refused by a host that fetches it, and nothing of it is cached", async () => {
    const forged = new TextEncoder().encode("not the uploaded model");
    await s3.overwrite(`models/${sha256}`, forged);
    const freshCache = path.join(dir, "host-c-cache");
    const store = new DatabaseModelStore(database.db, openBlobStore(s3.storage(freshCache), "models"));
    await expect(store.get(modelVersionId)).rejects.toMatchObject({
      code: "model_load_failed",
      message: expect.stringContaining(`The object store's copy of blob ${sha256} is damaged`),
    });
    expect(existsSync(path.join(freshCache, "models", sha256.slice(0, 2), sha256))).toBe(false);
  });
});
