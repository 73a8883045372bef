/**
 * One bad plugin fails alone: next to a good plugin, a plugin made for another engine (with an action and a
 * decoder) and one whose entry throws are disabled at start. Both entry points (the standalone engine and the
 * one-process server's assembly) start, log one line per disabled plugin, run the good plugin's flow, and
 * answer the refused plugin's flows with the plugin's name and reason: a deployed flow using its action at
 * validation (422, plugin_disabled), a model version naming its decoder on the record that uses it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  closeDatabase,
  createApiToken,
  createModelVersion,
  createTask,
  getDatabase,
  LocalBlobStore,
  type Database,
} from "@vizflow/db";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "@vizflow/db/testing";
import type { AssembledEngine } from "@vizflow/flow-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  colourImage,
  deployed,
  graph,
  seedWorkspace,
  type SeededWorkspace,
} from "../flow-engine/src/http/test-fixture";
import { startEngineServer, type RunningEngineServer } from "../flow-engine/src/server/main";
import { colourClassifierModel } from "../flow-engine/src/testing/tiny-models";
import { closeAssembledEngine, getAssembledEngine } from "../app/_server/engine";
import { embeddedEngineHandler } from "../app/_server/engine-api";
import { createServices } from "../app/_server/services";
import { signUp } from "../app/_server/testing";
import { writePluginFolder } from "../flow-engine/src/testing/plugin-folder";

const logLines: Record<string, unknown>[] = [];
let target: TestDatabaseUrl;
let dataDir: string;
let database: Database;
let seeded: SeededWorkspace;
let goodFlow: string;
let refusedActionFlow: string;
let refusedDecoderFlow: string;
let key: string;
let standalone: RunningEngineServer;
let app: AssembledEngine;
let future: string;

const SHOUT = (greeting: string) => `{
  id: "shout", version: 1, title: "Shout", description: "Writes a greeting.", category: "Services",
  config: { type: "object" }, handles: [{ id: "next" }],
  writes: { type: "object", properties: { greeting: { type: "string" } } }, credits: 1,
  run: async () => ({ write: { greeting: ${JSON.stringify(greeting)} } }),
}`;

beforeAll(async () => {
  target = await createTestDatabaseUrl();
  dataDir = mkdtempSync(path.join(tmpdir(), "vizflow-refused-"));
  const good = writePluginFolder(
    dataDir,
    "good",
    "^1",
    `export default { name: "good", title: "Good", actions: [${SHOUT("hello")}] };`,
  );
  future = writePluginFolder(
    dataDir,
    "future",
    "^2",
    `export default { name: "future", title: "Future", actions: [${SHOUT("from the future")}],
      decoders: [{ id: "future-probs", title: "Future", params: { type: "object" }, taskTypes: ["categorization"],
        decode: () => ({ type: "categorization", result: { best_label: { name: "red", prob: 1 }, labels: [] } }) }] };`,
  );
  const throws = writePluginFolder(dataDir, "throws", "^1", 'throw new Error("no GPU found");');
  Object.assign(process.env, {
    DATABASE_URL: target.url,
    VIZFLOW_DATA_DIR: dataDir,
    VIZFLOW_INFERENCE_WORKERS: "1",
    VIZFLOW_JOB_WORKER: "0",
    VIZFLOW_LOG_LEVEL: "info",
    VIZFLOW_PLUGINS: [throws, future, good].join(","),
  });
  database = await getDatabase();
  const blobs = new LocalBlobStore(path.join(dataDir, "blobs"));
  seeded = await seedWorkspace(database, blobs, { credits: 1000 });
  goodFlow = await deployed(
    database,
    seeded.id,
    "Good",
    graph([["shout", "good/shout@1", {}]], [["in", "next", "shout"]]),
  );
  // Deployed while the plugin still worked (say): the flow stays, and its calls say why it cannot run now.
  refusedActionFlow = await deployed(
    database,
    seeded.id,
    "Future",
    graph([["shout", "future/shout@1", {}]], [["in", "next", "shout"]]),
  );
  const task = await createTask(database.db, seeded.id, {
    name: "Future colours",
    type: "categorization",
    labels: ["red"],
  });
  await createModelVersion(database.db, seeded.id, task.id, {
    file: await blobs.put(colourClassifierModel()),
    adapter: {
      input: "input",
      width: 8,
      height: 8,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NCHW",
      decoder: { id: "future-probs" },
    },
    createdBy: "user-1",
    activate: true,
  });
  refusedDecoderFlow = await deployed(
    database,
    seeded.id,
    "Future decoder",
    graph([["guess", "core/recognition@1", { task: task.id, output: "guess" }]], [["in", "next", "guess"]]),
  );
  key = (await createApiToken(database.db, seeded.id, { name: "refused", createdBy: "user-1" })).key;

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

async function post(call: Call, flowId: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await call(`/v2/flows/${flowId}/process`, {
    method: "POST",
    headers: { authorization: `Token ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ records: [{ _base64: await colourImage([255, 0, 0]) }] }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("a refused plugin next to a good one", () => {
  it("starts both entry points, each logging one line per disabled plugin with its reason", () => {
    expect(app.registry.get("good/shout@1")).toBeDefined();
    expect(app.registry.get("future/shout@1")).toBeUndefined();
    for (const service of ["vizflow-engine", "vizflow-app"]) {
      const lines = logLines.filter((l) => l.service === service && l.level === "error");
      expect(lines.map((l) => l.msg)).toEqual([
        expect.stringMatching(
          /^plugin ".*throws" \(enabled in VIZFLOW_PLUGINS\) is disabled: its entry \.\/index\.mjs failed to load: no GPU found$/,
        ),
        expect.stringMatching(
          /^plugin "future" \(".*future" \(enabled in VIZFLOW_PLUGINS\)\) is disabled: requires engine \^2, but this is engine 1\.0\.0/,
        ),
      ]);
      expect(lines[1]).toMatchObject({
        pluginName: "future",
        reason: expect.stringMatching(/requires engine \^2/) as string,
      });
    }
  });

  it.each(entryPoints)("%s runs the good plugin's flow", async (_, call) => {
    const { status, body } = await post(call, goodFlow);
    expect(status).toBe(200);
    expect(body.records).toEqual([expect.objectContaining({ greeting: "hello", _status: { code: 200, text: "OK" } })]);
  });

  it.each(entryPoints)(
    "%s answers a deployed flow using the refused plugin's action with its name and reason",
    async (_, call) => {
      const { status, body } = await post(call, refusedActionFlow);
      expect(status).toBe(422);
      const problems = body.problems as { code: string; message: string; nodeId?: string }[];
      expect(problems).toEqual([
        expect.objectContaining({
          code: "plugin_disabled",
          nodeId: "shout",
          message: expect.stringMatching(
            /uses action future\/shout@1 of plugin "future" \(.*future" \(enabled in VIZFLOW_PLUGINS\)\), which is disabled: requires engine \^2, but this is engine 1\.0\.0/,
          ) as string,
        }),
      ]);
    },
  );

  it.each(entryPoints)(
    "%s fails the record whose model version names the refused plugin's decoder, saying why",
    async (_, call) => {
      const { status, body } = await post(call, refusedDecoderFlow);
      expect(status).toBe(200);
      const [record] = body.records as { _status: { code: number; text: string } }[];
      expect(record?._status.code).toBe(500);
      expect(record?._status.text).toMatch(
        /node "guess" .*decoder "future-probs" is provided by plugin "future" .*which is disabled: requires engine \^2/,
      );
    },
  );

  it("shows the good plugin and the disabled ones with their reasons to the Services page", async () => {
    const user = await signUp(await createServices(database), "Operator");
    const installed = await user.caller.plugin.describe();
    expect(installed.find((p) => p.name === "good")).toMatchObject({ version: "1.0.0", builtin: false, decoders: [] });
    expect(installed.some((p) => p.name === "future")).toBe(false);
    const disabled = await user.caller.plugin.disabled();
    expect(disabled.map((p) => [p.name, p.plugin, p.reason, p.decoders])).toEqual([
      [
        undefined,
        expect.stringMatching(/throws" \(enabled in VIZFLOW_PLUGINS\)$/),
        expect.stringMatching(/no GPU found/),
        [],
      ],
      [
        "future",
        `"${future}" (enabled in VIZFLOW_PLUGINS)`,
        "requires engine ^2, but this is engine 1.0.0; install a version of the plugin made for it",
        ["future-probs"],
      ],
    ]);
  });
});
