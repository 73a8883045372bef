/**
 * Nothing of a processed image stays (issue 17). 20 synchronous and 20 queued calls send images whose pixels
 * carry a random 16-byte marker (stored uncompressed in the PNG, so the file and its base64 carry it too)
 * and image URLs whose query strings carry a secret; once the jobs have ended, no marker (raw, hex, base64)
 * and no secret is in a dump of the database, in its files (write-ahead log included), under the data
 * folder, in the log lines or in /metrics. A control image written to a table on purpose is found by the
 * same scan, so the scan can fail. PGlite on a data folder, or PostgreSQL with DATABASE_URL (its data
 * directory is read when this process may: root on CI).
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken, createDatabase, LocalBlobStore, type Database } from "@vizflow/db";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "@vizflow/db/testing";
import corePlugin from "@vizflow/plugin-core";
import { ActionRegistry } from "@vizflow/sdk";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FlowEngine } from "../engine/engine.js";
import { onnxImageRuntime } from "../engine/onnx-image-runtime.js";
import { InferencePool } from "../runtime/inference/inference-pool.js";
import { ModelRuntime } from "../runtime/model-runtime.js";
import { DatabaseModelStore } from "../stores/database-model-store.js";
import { createEngineApi, type EngineApi } from "./api.js";
import { guardedImageFetcher } from "./fetch-image.js";
import { jsonLogger } from "./logger.js";
import { seedWorkspace, type SeededWorkspace } from "./test-fixture.js";

const postgresUrl = process.env.DATABASE_URL;
const CALLS = 20;

/** An image that must leave no trace, and the byte strings that would betray it. */
interface MarkedImage {
  png: Buffer;
  base64: string;
  /** What a scan looks for: the marker's bytes, its hex (a bytea in a dump), base64 of the bytes around it. */
  needles: { what: string; bytes: Buffer }[];
}

/**
 * A red-ish PNG of random pixels (incompressible: TOAST and the WAL would keep it verbatim) whose first 16
 * pixel bytes are a random marker, written without compression or row filters so the file carries it.
 */
async function markedImage(label: string): Promise<MarkedImage> {
  const width = 32;
  const height = 32;
  const pixels = randomBytes(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels[i] = 128 + ((pixels[i] ?? 0) >> 1);
  const marker = pixels.subarray(0, 16);
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0, adaptiveFiltering: false })
    .toBuffer();
  const at = png.indexOf(marker);
  if (at < 0) throw new Error("the PNG does not carry its marker verbatim: the test could not see a leak");
  const base64 = png.toString("base64");
  // The base64 characters that encode only marker bytes (whole 3-byte groups inside it).
  const first = Math.ceil(at / 3);
  const last = Math.floor((at + 16) / 3);
  const segment = base64.slice(first * 4, last * 4);
  return {
    png,
    base64,
    needles: [
      { what: `${label}: marker bytes`, bytes: Buffer.from(marker) },
      { what: `${label}: marker hex`, bytes: Buffer.from(Buffer.from(marker).toString("hex")) },
      { what: `${label}: base64 of the marker`, bytes: Buffer.from(segment) },
    ],
  };
}

/** The needles found in `haystack`, as "<needle> in <where>". */
function found(haystack: Buffer, needles: { what: string; bytes: Buffer }[], where: string): string[] {
  return needles.filter((n) => haystack.includes(n.bytes)).map((n) => `${n.what} in ${where}`);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Every needle found in the files under `dirs`; unreadable files are listed apart. */
async function scanFiles(dirs: string[], needles: { what: string; bytes: Buffer }[]) {
  const hits: string[] = [];
  const unreadable: string[] = [];
  let bytes = 0;
  for (const dir of dirs) {
    for (const file of await filesUnder(dir)) {
      let content: Buffer;
      try {
        content = await readFile(file);
      } catch {
        unreadable.push(file);
        continue;
      }
      bytes += content.length;
      hits.push(...found(content, needles, file));
    }
  }
  return { hits, unreadable, bytes };
}

let target: TestDatabaseUrl | undefined;
let database: Database;
let dataDir: string;
let payloads: LocalBlobStore;
let pool: InferencePool;
let models: ModelRuntime;
let api: EngineApi;
let seeded: SeededWorkspace;
let key: string;
let imageServer: Server;
let imageBase: string;
const served = new Map<string, Buffer>();
const logLines: string[] = [];
/** The images and URL secrets of the calls: none may be found anywhere once they have ended. */
const needles: { what: string; bytes: Buffer }[] = [];
let control: MarkedImage;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "vizflow-privacy-"));
  if (postgresUrl) {
    target = await createTestDatabaseUrl();
    database = await createDatabase({ url: target.url });
  } else {
    // The embedded default: PGlite's files under the product's data folder.
    database = await createDatabase({ dataDir });
  }
  const blobs = new LocalBlobStore(path.join(dataDir, "blobs"));
  payloads = new LocalBlobStore(path.join(dataDir, "job-payloads"));
  pool = new InferencePool({ size: 1 });
  models = new ModelRuntime({ store: new DatabaseModelStore(database.db, blobs), pool });
  const engine = new FlowEngine({
    registry: new ActionRegistry([corePlugin]),
    runtime: onnxImageRuntime({ models }),
    fetchImage: guardedImageFetcher({ allowedAddresses: ["127.0.0.1"], timeoutMs: 5000 }),
    logger: jsonLogger({ write: (line) => logLines.push(line) }),
  });
  api = createEngineApi({
    database,
    engine,
    logger: jsonLogger({ level: "debug", write: (line) => logLines.push(line) }),
    payloads,
    jobs: { pollingIntervalSeconds: 0.5, retryLimit: 0 },
  });
  seeded = await seedWorkspace(database, blobs, { credits: 10_000 });
  key = (await createApiToken(database.db, seeded.id, { name: "privacy", createdBy: "u" })).key;
  imageServer = createServer((req, res) => {
    const png = served.get((req.url ?? "").split("?")[0] ?? "");
    if (png) res.writeHead(200, { "content-type": "image/png" }).end(png);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imageServer.listen(0, "127.0.0.1", resolve));
  imageBase = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}`;
  control = await markedImage("control");
}, 120_000);

afterAll(async () => {
  imageServer?.close();
  await api?.close();
  await models?.close();
  await pool?.close();
  await database?.close();
  await target?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function post(pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return api.fetch(
    new Request(`http://engine${pathname}`, {
      method: "POST",
      headers: { authorization: `Token ${key}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

async function job(jobId: string): Promise<Record<string, unknown> & { job: { state: string } }> {
  const response = await api.fetch(
    new Request(`http://engine/v2/jobs/${jobId}`, { headers: { authorization: `Token ${key}` } }),
  );
  return (await response.json()) as Record<string, unknown> & { job: { state: string } };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Records for one call: an image in base64, one by URL with a secret in its query, one URL that fails. */
async function recordsFor(label: string): Promise<unknown[]> {
  const inline = await markedImage(`${label} base64 image`);
  const linked = await markedImage(`${label} URL image`);
  const secret = randomBytes(12).toString("hex");
  needles.push(...inline.needles, ...linked.needles, { what: `${label} URL secret`, bytes: Buffer.from(secret) });
  served.set(`/${label}.png`, linked.png);
  return [
    { _id: `${label}-inline`, _base64: inline.base64 },
    { _id: `${label}-linked`, _url: `${imageBase}/${label}.png?X-Amz-Signature=${secret}` },
    { _id: `${label}-missing`, _url: `${imageBase}/${label}-missing.png?token=${secret}` },
  ];
}

describe(`nothing of a processed image stays (${postgresUrl ? "PostgreSQL" : "PGlite"})`, () => {
  test("a queued job whose engine died: past the TTL the sweep deletes its records, and the job then fails saying why", async () => {
    // No worker runs yet: the job is queued and its records sealed, as when the engine is killed mid-job.
    const records = await recordsFor("orphan");
    const queued = await post(`/v2/flows/${seeded.colourFlow}/process?async=true`, { records });
    expect(queued.status).toBe(202);
    const { job_id: jobId } = (await queued.json()) as { job_id: string };
    const stored = [];
    for await (const blob of payloads.list()) stored.push(blob);
    expect(stored).toHaveLength(1);
    // A put a crash interrupted, an hour old.
    await mkdir(path.join(payloads.directory, "tmp"), { recursive: true });
    const partial = path.join(payloads.directory, "tmp", "interrupted");
    await writeFile(partial, randomBytes(64));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(partial, anHourAgo, anHourAgo);

    expect(api.jobs.payloadTtlSeconds).toBe(86_400);
    // Within the TTL nothing goes.
    expect(await api.jobs.removeExpiredPayloads(new Date(Date.now() + 3_600_000))).toBe(0);
    expect(await payloads.stat(stored[0]!.sha256)).toBeDefined();
    // Past it, the payload and the partial write go.
    const later = new Date(Date.now() + (api.jobs.payloadTtlSeconds + 1) * 1000);
    expect(await api.jobs.removeExpiredPayloads(later)).toBe(1);
    expect(await payloads.stat(stored[0]!.sha256)).toBeUndefined();
    expect(await filesUnder(payloads.directory)).toEqual([]);
    expect(logLines.join("\n")).toContain("deleted queued jobs' records past their lifetime");

    // The engine comes back: the job fails for good, says why, and its error carries no image or secret.
    await api.jobs.work();
    const failed = await until("the orphaned job to fail", async () => {
      const body = await job(jobId);
      return body.job.state === "failed" ? body : undefined;
    });
    expect((failed.status as { text: string }).text).toMatch(
      /the job's records are gone: .*86400 s after it was queued \(VIZFLOW_JOB_PAYLOAD_TTL_SECONDS\)/,
    );
  }, 120_000);

  test("20 synchronous and 20 queued calls leave no byte of their images or URL secrets in the database, its files, the data folder, logs or metrics", async () => {
    // The control: an image written to the database on purpose must be found by the same scan.
    await database.executeSql("create table privacy_control (image bytea, encoded text)", []);
    await database.executeSql("insert into privacy_control values ($1, $2)", [control.png, control.base64]);

    const sync: Promise<Response>[] = [];
    const queued: Promise<Response>[] = [];
    for (let i = 0; i < CALLS; i++) {
      // Half of the calls carry an Idempotency-Key (their answers are stored for replays either way).
      const keyed = (): Record<string, string> => (i % 2 === 0 ? { "idempotency-key": randomUUID() } : {});
      sync.push(post(`/v2/flows/${seeded.colourFlow}/process`, { records: await recordsFor(`sync${i}`) }, keyed()));
      queued.push(
        post(`/v2/flows/${seeded.colourFlow}/process?async=true`, { records: await recordsFor(`async${i}`) }, keyed()),
      );
    }
    for (const response of await Promise.all(sync)) {
      expect(response.status).toBe(200);
      const body = (await response.json()) as { records: { _status: { code: number; text: string } }[] };
      expect(body.records.map((r) => r._status.code)).toEqual([200, 200, 422]);
      // The failed fetch names the URL by origin and path.
      expect(body.records[2]?._status.text).toMatch(
        /HTTP 404 for http:\/\/127\.0\.0\.1:\d+\/sync\d+-missing\.png\?\[query removed\]$/,
      );
    }
    const jobIds: string[] = [];
    for (const response of await Promise.all(queued)) {
      expect(response.status).toBe(202);
      jobIds.push(((await response.json()) as { job_id: string }).job_id);
    }
    const answers = await until("the 20 jobs to complete", async () => {
      const bodies = await Promise.all(jobIds.map(job));
      return bodies.every((b) => b.job.state === "completed") ? bodies : undefined;
    });
    for (const answer of answers) {
      const records = answer.records as { _id: string; _url?: string; colour?: { best_label: { name: string } } }[];
      expect(records[0]?.colour?.best_label.name).toBe("red");
      // The stored answer keeps the URL's origin and path only.
      expect(records[1]?._url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/async\d+\.png\?\[query removed\]$/);
    }
    // Every payload went when its job ended, without waiting for a sweep.
    expect(await filesUnder(payloads.directory).catch(() => [])).toEqual([]);
    await api.jobs.removeEndedPayloads();

    // What the database keeps on disk now, as the server wrote it.
    await database.executeSql("checkpoint", []);
    // The control once more, after the checkpoint: its first copy's WAL segment may already be recycled and
    // overwritten when other test files write to the same server meanwhile (seen in CI); this copy's record
    // lies past the checkpoint, in a segment the server keeps until the next one.
    await database.executeSql("insert into privacy_control values ($1, $2)", [control.png, control.base64]);
    const controlNeedles = control.needles;
    const all = [...needles, ...controlNeedles];

    // A dump: pg_dump on PostgreSQL; on PGlite every row of every table as text (what pg_dump would write).
    let dump: Buffer;
    if (target) {
      const run = spawnSync("pg_dump", ["--no-owner", target.url], { maxBuffer: 1 << 30 });
      expect(run.status, run.stderr.toString()).toBe(0);
      dump = run.stdout;
    } else {
      const { rows } = await database.executeSql(
        `select table_schema as s, table_name as t from information_schema.tables
          where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
        [],
      );
      const parts: string[] = [];
      for (const { s, t } of rows as { s: string; t: string }[]) {
        const table = await database.executeSql(`select r::text as row from "${s}"."${t}" r`, []);
        for (const row of table.rows as { row: string }[]) parts.push(row.row);
      }
      dump = Buffer.from(parts.join("\n"));
    }
    expect(found(dump, controlNeedles, "the dump").length).toBeGreaterThanOrEqual(2);
    expect(found(dump, needles, "the dump")).toEqual([]);

    // The database's own files, write-ahead log included, and the product's data folder.
    const dirs = [dataDir];
    let serverFiles = "the server's data directory was not read";
    if (target) {
      const { rows } = await database.executeSql(
        "select current_setting('data_directory') as dir, (select oid from pg_database where datname = current_database())::text as oid",
        [],
      );
      const { dir, oid } = rows[0] as { dir: string; oid: string };
      const own = [path.join(dir, "base", oid), path.join(dir, "pg_wal")];
      const readable = await Promise.all(
        own.map((d) =>
          readdir(d).then(
            () => true,
            () => false,
          ),
        ),
      );
      if (readable.every(Boolean)) {
        dirs.push(...own);
        serverFiles = `read ${own.join(" and ")}`;
      } else {
        console.warn(
          `privacy test: PostgreSQL's data directory ${dir} is not readable here; its files are not scanned`,
        );
      }
    }
    const scan = await scanFiles(dirs, all);
    const controlHits = scan.hits.filter((hit) => hit.startsWith("control"));
    const leaks = scan.hits.filter((hit) => !hit.startsWith("control"));
    console.info(
      `privacy test: scanned ${(scan.bytes / 1e6).toFixed(1)} MB of files for ${needles.length} needles (${serverFiles}); control found ${controlHits.length} times`,
    );
    // The control is in the table's files and in the write-ahead log: the scan reads both.
    expect(controlHits.some((hit) => hit.includes(`${path.sep}pg_wal${path.sep}`))).toBe(true);
    expect(controlHits.some((hit) => hit.includes(`${path.sep}base${path.sep}`))).toBe(true);
    expect(leaks).toEqual([]);
    expect(scan.unreadable.filter((f) => !f.includes("postmaster"))).toEqual([]);

    // Logs and metrics.
    expect(found(Buffer.from(logLines.join("\n")), needles, "the log")).toEqual([]);
    expect(logLines.join("\n")).not.toMatch(/[A-Za-z0-9+/]{64,}/);
    const metrics = await (await api.fetch(new Request("http://engine/metrics"))).text();
    expect(found(Buffer.from(metrics), needles, "/metrics")).toEqual([]);
  }, 300_000);
});
