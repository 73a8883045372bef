/**
 * `pnpm bench:api` (a benchmark, not a test): the HTTP API under autocannon, 10 connections, one photo
 * per request, the flow YOLOX -> Object Selector -> MobileNetV2. Compares
 *   (a) a bare node:http server in this process doing the same work directly (onnxruntime-node + sharp),
 *   (b) the standalone engine server (`pnpm --filter @vizflow/flow-engine start`) on a PGlite data
 *       directory seeded here with the models, a deployed flow, credits and an API token,
 *   (c) the embedded server (`server/main.ts`, Next included) on the same data, when a build exists.
 * Prints requests/s, p50 and p99 latency of each and the engine/bare ratios.
 *
 *   pnpm bench:api [seconds per run]    (default 15; the photo: BENCH_PHOTO, default imgs/ortex_wolves.jpg;
 *                                        connections: BENCH_CONNECTIONS, default 10; 1 shows the added latency
 *                                        of one request without queueing)
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createApiToken,
  createDatabase,
  createFlow,
  createModelVersion,
  createTask,
  deployFlowVersion,
  LocalBlobStore,
  saveFlowVersion,
  setCreditPlan,
} from "@vizflow/db";
import { graph } from "../src/http/test-fixture.js";
import { startEngineProcess } from "../src/server/engine-process.js";
import { realModelsDir, realModelVersions } from "../src/testing/real-models.js";
import { DirectPipeline } from "./direct-pipeline.js";
import { loadAverage } from "./measure.js";

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  method: "POST";
  headers: Record<string, string>;
  body: string;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const ROOT = path.resolve(import.meta.dirname, "../..");
const seconds = Number(process.argv[2] ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const FILTER = { minProb: 0.3, maxObjects: 10 };

const dir = realModelsDir();
if (!dir) {
  console.error("bench:api needs the real models and photos in ../shared/models (next to the repository)");
  process.exit(1);
}
const photo = readFileSync(path.join(dir, process.env.BENCH_PHOTO ?? "imgs/ortex_wolves.jpg"));
const body = JSON.stringify({ records: [{ _base64: photo.toString("base64") }] });

/** A PGlite data directory with both models, the deployed flow, a million credits and a token. */
async function seed(dataDir: string): Promise<{ flowId: string; key: string }> {
  const versions = realModelVersions(dir as string);
  const database = await createDatabase({ dataDir });
  const blobs = new LocalBlobStore(path.join(dataDir, "blobs"));
  const db = database.db;
  const workspaceId = "bench";
  await db.insertInto("workspace").values({ id: workspaceId, name: "Bench" }).execute();
  await setCreditPlan(db, workspaceId, "business", 1_000_000_000);
  // ImageNet has repeated names (two "crane"s); task labels are unique, so repeats get a suffix.
  const seen = new Map<string, number>();
  const species = versions.mobilenetv2.labels.map((label) => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 ? label : `${label} (${n})`;
  });
  const objects = await createTask(db, workspaceId, {
    name: "Objects",
    type: "detection",
    labels: versions.yolox.labels,
  });
  const classes = await createTask(db, workspaceId, { name: "Species", type: "categorization", labels: species });
  for (const [task, version] of [
    [objects.id, versions.yolox],
    [classes.id, versions.mobilenetv2],
  ] as const) {
    const file = await blobs.put(readFileSync(version.file.path));
    await createModelVersion(db, workspaceId, task, {
      file,
      adapter: { ...version.adapter, labels: undefined },
      createdBy: "bench",
      activate: true,
    });
  }
  const flow = await createFlow(db, workspaceId, { name: "Wolves", createdBy: "bench" });
  await saveFlowVersion(db, workspaceId, flow.id, {
    graph: graph(
      [
        ["select", "core/object-selector@1", { task: objects.id, ...FILTER }],
        ["classify", "core/recognition@1", { task: classes.id, output: "species" }],
      ],
      [
        ["in", "next", "select"],
        ["select", "objects", "classify"],
      ],
    ),
    createdBy: "bench",
  });
  await deployFlowVersion(db, workspaceId, flow.id, 1, "bench");
  const { key } = await createApiToken(db, workspaceId, { name: "bench", createdBy: "bench" });
  await database.close();
  return { flowId: flow.id, key };
}

async function load(url: string, headers: Record<string, string>): Promise<AutocannonResult> {
  // A short warm-up (sessions, JIT), then the measured run.
  await autocannon({ url, connections, duration: 3, method: "POST", headers, body });
  return autocannon({ url, connections, duration: seconds, method: "POST", headers, body });
}

function line(name: string, r: AutocannonResult): string {
  return `${name.padEnd(12)} ${r.requests.average.toFixed(1).padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(5)} ms   p99 ${String(r.latency.p99).padStart(5)} ms   non-2xx ${r.non2xx}  errors ${r.errors}`;
}

async function bare(): Promise<AutocannonResult> {
  const pipeline = await DirectPipeline.create(dir as string, FILTER);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const started = performance.now();
      const parsed = JSON.parse(Buffer.concat(chunks).toString()) as { records: { _base64: string }[] };
      const bytes = Buffer.from(parsed.records[0]?._base64 ?? "", "base64");
      pipeline.process(new Uint8Array(bytes)).then(
        (objects) =>
          res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({
              records: [{ _objects: objects, _status: { code: 200, text: "OK" } }],
              statistics: { processing_time_ms: Math.round(performance.now() - started) },
            }),
          ),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/process`;
  try {
    return await load(url, { "content-type": "application/json" });
  } finally {
    server.close();
  }
}

async function embedded(dataDir: string, flowId: string, key: string): Promise<AutocannonResult | undefined> {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) return undefined;
  const port = 3900 + Math.floor(Math.random() * 90);
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", VIZFLOW_DATA_DIR: dataDir, DATABASE_URL: "" },
    stdio: "ignore",
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 240; i++) {
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return await load(`${base}/v2/flows/${flowId}/process`, {
      authorization: `Token ${key}`,
      "content-type": "application/json",
    });
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

const dataDir = await mkdtemp(path.join(tmpdir(), "vizflow-bench-api-"));
try {
  console.log(
    `bench:api  ${connections} connections, ${seconds} s per run, one photo per request (${photo.length} bytes)`,
  );
  console.log(`load average before: ${loadAverage()}`);
  const { flowId, key } = await seed(dataDir);
  const baseline = await bare();
  console.log(line("bare", baseline));
  // Request logs at warn: this process parses the engine's stdout, which would cost the measurement.
  const engine = await startEngineProcess({ VIZFLOW_DATA_DIR: dataDir, DATABASE_URL: "", VIZFLOW_LOG_LEVEL: "warn" });
  let standalone: AutocannonResult;
  try {
    standalone = await load(`${engine.url}/v2/flows/${flowId}/process`, {
      authorization: `Token ${key}`,
      "content-type": "application/json",
    });
  } finally {
    await engine.stop();
  }
  console.log(line("standalone", standalone));
  const inApp = await embedded(dataDir, flowId, key);
  console.log(
    inApp ? line("embedded", inApp) : "embedded     skipped: no Next build (.next/BUILD_ID); run pnpm build first",
  );
  const ratio = standalone.requests.average / baseline.requests.average;
  console.log(
    `standalone/bare throughput ${ratio.toFixed(2)} (target >= 0.90), added p50 ${standalone.latency.p50 - baseline.latency.p50} ms (target <= 2)`,
  );
  if (inApp) {
    console.log(
      `embedded/bare throughput ${(inApp.requests.average / baseline.requests.average).toFixed(2)}, added p50 ${inApp.latency.p50 - baseline.latency.p50} ms`,
    );
  }
  console.log(`load average after: ${loadAverage()}`);
  // The last line, for scripts.
  const embeddedFigure = inApp ? (inApp.requests.average / baseline.requests.average).toFixed(2) : "skipped";
  console.log(
    `bench:api standalone=${ratio.toFixed(2)} p50_added_ms=${standalone.latency.p50 - baseline.latency.p50} embedded=${embeddedFigure}`,
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
