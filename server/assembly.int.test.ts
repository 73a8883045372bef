/**
 * The one-process server's engine (the app's assembly behind `/v2/*`) and the standalone engine server are
 * built by the same `assembleEngine`: one configuration gives both the same limits, decoders (a plugin's
 * included), node-failure logs, `/metrics` and stale-hold sweeping. Both run in this process on one database.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  closeDatabase,
  createApiToken,
  createModelVersion,
  createTask,
  getCreditAccount,
  getDatabase,
  LocalBlobStore,
  placeCreditHold,
  type Database,
} from "@vizflow/db";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "@vizflow/db/testing";
import type { AssembledEngine } from "@vizflow/flow-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployed, graph } from "../flow-engine/src/http/test-fixture";
import { colourImage, seedWorkspace, type SeededWorkspace } from "../flow-engine/src/http/test-fixture";
import { startEngineServer, type RunningEngineServer } from "../flow-engine/src/server/main";
import { colourClassifierModel } from "../flow-engine/src/testing/tiny-models";
import { closeAssembledEngine, getAssembledEngine } from "../app/_server/engine";
import { embeddedEngineHandler } from "../app/_server/engine-api";

const METRICS_TOKEN = "metrics-secret";
const logLines: Record<string, unknown>[] = [];

let target: TestDatabaseUrl;
let dataDir: string;
let database: Database;
let seeded: SeededWorkspace;
let brokenFlow: string;
let key: string;
let standalone: RunningEngineServer;
let app: AssembledEngine;

/** A plugin folder with one decoder, enabled through VIZFLOW_PLUGINS as an operator would. */
function writeDecoderPlugin(root: string): string {
  const dir = path.join(root, "plugin-with-decoder");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: "decoder-plugin",
      version: "1.0.0",
      type: "module",
      vizflow: { plugin: "./index.mjs", engine: "^1" },
    }),
  );
  writeFileSync(
    path.join(dir, "index.mjs"),
    `export default {
      name: "decoder-plugin", title: "Decoder plugin", actions: [],
      decoders: [{ id: "grid-boxes", title: "Grid boxes", params: { type: "object" }, taskTypes: ["detection"],
        decode: () => ({ type: "detection", result: [] }) }],
    };`,
  );
  return dir;
}

beforeAll(async () => {
  target = await createTestDatabaseUrl();
  dataDir = mkdtempSync(path.join(tmpdir(), "vizflow-assembly-"));
  Object.assign(process.env, {
    DATABASE_URL: target.url,
    VIZFLOW_DATA_DIR: dataDir,
    VIZFLOW_MAX_RECORDS: "200",
    VIZFLOW_METRICS_TOKEN: METRICS_TOKEN,
    VIZFLOW_INFERENCE_WORKERS: "1",
    VIZFLOW_JOB_WORKER: "0",
    VIZFLOW_LOG_LEVEL: "info",
    VIZFLOW_PLUGINS: writeDecoderPlugin(dataDir),
  });
  database = await getDatabase();
  const blobs = new LocalBlobStore(path.join(dataDir, "blobs"));
  seeded = await seedWorkspace(database, blobs, { credits: 1000 });
  // A model version whose adapter names an input the model does not have: its node fails at run time.
  const broken = await createTask(database.db, seeded.id, { name: "Broken", type: "categorization", labels: ["red"] });
  await createModelVersion(database.db, seeded.id, broken.id, {
    file: await blobs.put(colourClassifierModel()),
    adapter: {
      input: "nope",
      width: 8,
      height: 8,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NCHW",
      decoder: { id: "softmax" },
    },
    createdBy: "user-1",
    activate: true,
  });
  brokenFlow = await deployed(
    database,
    seeded.id,
    "Broken",
    graph([["guess", "core/recognition@1", { task: broken.id, output: "guess" }]], [["in", "next", "guess"]]),
  );
  key = (await createApiToken(database.db, seeded.id, { name: "both", createdBy: "user-1" })).key;

  const capture = (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>);
  standalone = await startEngineServer({ ...process.env, PORT: "0", HOST: "127.0.0.1" }, { write: capture });
  app = await getAssembledEngine({ write: capture });
}, 120_000);

afterAll(async () => {
  await standalone?.close();
  await closeAssembledEngine();
  await closeDatabase();
  await target?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Call = (path: string, init?: RequestInit) => Promise<Response>;
const entryPoints: [string, Call][] = [
  ["the standalone engine", (p, init) => fetch(`${standalone.url}${p}`, init)],
  ["the one-process server", async (p, init) => embeddedEngineHandler(new Request(`http://app.local${p}`, init))],
];

function post(call: Call, flowId: string, records: unknown[]): Promise<Response> {
  return call(`/v2/flows/${flowId}/process`, {
    method: "POST",
    headers: { authorization: `Token ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ records }),
  });
}

describe("both entry points come from one assembly", () => {
  it("read one configuration into the same limits and decoders", () => {
    for (const assembled of [standalone.assembled, app]) {
      expect(assembled.engine.limits.maxRecordsPerRequest).toBe(200);
      expect(assembled.config.metricsToken).toBe(METRICS_TOKEN);
      expect(assembled.decoders.get("grid-boxes")?.title).toBe("Grid boxes");
      expect(assembled.decoders.get("softmax")).toBeDefined();
    }
  });

  it.each(entryPoints)(
    "%s runs 101 records under VIZFLOW_MAX_RECORDS=200 and refuses 201 with 413",
    async (_, call) => {
      const red = { _base64: await colourImage([255, 0, 0]) };
      const ok = await post(
        call,
        seeded.colourFlow,
        Array.from({ length: 101 }, () => red),
      );
      expect(ok.status).toBe(200);
      const body = (await ok.json()) as { records: { colour: { best_label: { name: string } } }[] };
      expect(body.records).toHaveLength(101);
      expect(body.records[100]?.colour.best_label.name).toBe("red");

      const tooMany = await post(
        call,
        seeded.colourFlow,
        Array.from({ length: 201 }, () => red),
      );
      expect(tooMany.status).toBe(413);
      expect(await tooMany.json()).toEqual({
        status: { code: 413, text: "the request has 201 records; at most 200 are accepted per request" },
      });
    },
  );

  it.each(entryPoints)(
    "%s logs a failing node with its flow, version, node, action and error code",
    async (name, call) => {
      const before = logLines.length;
      const image = await colourImage([255, 0, 0]);
      const response = await post(call, brokenFlow, [{ _base64: image }]);
      expect(response.status).toBe(200);
      const service = name === "the standalone engine" ? "vizflow-engine" : "vizflow-app";
      const lines = logLines.slice(before);
      const failed = lines.find((l) => l.msg === "node failed" && l.service === service);
      expect(failed).toMatchObject({
        level: "warn",
        workspaceId: seeded.id,
        flowId: brokenFlow,
        version: 1,
        nodeId: "guess",
        action: "core/recognition@1",
        errorCode: expect.any(String) as string,
      });
      // Logs never carry image data.
      expect(JSON.stringify(lines)).not.toContain(image.slice(0, 64));
    },
  );

  it.each(entryPoints)("%s serves /metrics behind the metrics token", async (_, call) => {
    expect((await call("/metrics")).status).toBe(401);
    const metrics = await call("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP /m);
  });

  it("replays an Idempotency-Key on either entry point, whichever ran the call, billed once", async () => {
    const red = { _base64: await colourImage([255, 0, 0]) };
    const init = (idempotencyKey: string): RequestInit => ({
      method: "POST",
      headers: { authorization: `Token ${key}`, "content-type": "application/json", "idempotency-key": idempotencyKey },
      body: JSON.stringify({ records: [red] }),
    });
    const [standaloneCall, embeddedCall] = entryPoints as [[string, Call], [string, Call]];
    const orders: [[string, Call], [string, Call]][] = [
      [standaloneCall, embeddedCall],
      [embeddedCall, standaloneCall],
    ];
    for (const [first, second] of orders) {
      const idempotencyKey = `both-${first[0].replaceAll(" ", "-")}`;
      const before = (await getCreditAccount(database.db, seeded.id)).used;
      const ran = await first[1](`/v2/flows/${seeded.colourFlow}/process`, init(idempotencyKey));
      expect(ran.status).toBe(200);
      const replayed = await second[1](`/v2/flows/${seeded.colourFlow}/process`, init(idempotencyKey));
      expect(replayed.headers.get("idempotent-replayed")).toBe("true");
      expect(replayed.headers.get("x-request-id")).toBe(ran.headers.get("x-request-id"));
      expect(await replayed.text()).toBe(await ran.text());
      expect((await getCreditAccount(database.db, seeded.id)).used - before).toBe(1);
    }
  });

  it("releases stale credit holds from either process", async () => {
    for (const assembled of [standalone.assembled, app]) {
      const holdId = `stale-${assembled.log === app.log ? "app" : "engine"}`;
      expect(await placeCreditHold(database.db, seeded.id, holdId, 7)).toEqual({ ok: true });
      expect((await getCreditAccount(database.db, seeded.id)).held).toBe(7);
      // Not stale yet: nothing is released.
      expect(await assembled.sweepStaleHolds()).toBe(0);
      expect(await assembled.sweepStaleHolds(new Date(Date.now() + 16 * 60_000))).toBe(1);
      expect((await getCreditAccount(database.db, seeded.id)).held).toBe(0);
    }
  });
});
