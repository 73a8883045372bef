/**
 * A group photo of ../shared/models over the HTTP API: with the default caps no face is lost (the decoders
 * used to keep 100 and say nothing), and a cap that cuts says how many it dropped in the answer, in the
 * debug trace and within the flow's response schema. Skips where that folder is absent.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken, createModelVersion, createTask, LocalBlobStore, type Database } from "@vizflow/db";
import { createTestDatabase } from "@vizflow/db/testing";
import corePlugin from "@vizflow/plugin-core";
import { ActionRegistry, type DetectedObject } from "@vizflow/sdk";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlowEngine } from "../engine/engine.js";
import { onnxImageRuntime } from "../engine/onnx-image-runtime.js";
import type { ModelAdapter } from "../runtime/adapter.js";
import { ULTRAFACE_PARAMS } from "../runtime/decoders/ssd.js";
import { InferencePool } from "../runtime/inference/inference-pool.js";
import { ModelRuntime } from "../runtime/model-runtime.js";
import { DatabaseModelStore } from "../stores/database-model-store.js";
import { databaseWorkspace } from "../stores/database-workspace.js";
import { REAL_MODELS_MISSING, realModelsDir } from "../testing/real-models.js";
import { createEngineApi, type EngineApi } from "./api.js";
import { jsonLogger } from "./logger.js";
import { deployed, graph, seedWorkspace } from "./test-fixture.js";

const dir = realModelsDir();
if (!dir) console.warn(`crowd.int.test.ts ${REAL_MODELS_MISSING}`);

/** The group photo where the old silent cap of 100 lost faces (UltraFace RFB-640 finds more than 100). */
const PHOTO = "ultraface/imgs/17.jpg";

/** UltraFace RFB-640 as the UltraFace preset reads it, at 640x480, with `params` added to its decoder's. */
function ultraface(params: Record<string, unknown>): ModelAdapter {
  return {
    input: "input",
    width: 640,
    height: 480,
    resize: "stretch",
    colorOrder: "RGB",
    layout: "NCHW",
    scale: 1,
    mean: [127],
    std: [128],
    decoder: { id: "ssd", params: { ...ULTRAFACE_PARAMS, ...params } },
  };
}

type Answer = { records: Record<string, unknown>[]; statistics: { credits: number } };

describe.skipIf(!dir)(`a crowd (${PHOTO}) over the HTTP API`, () => {
  let database: Database;
  let blobDir: string;
  let pool: InferencePool;
  let models: ModelRuntime;
  let engine: FlowEngine;
  let api: EngineApi;
  let workspaceId: string;
  let key: string;
  let photo: string;
  const flows: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    blobDir = await mkdtemp(path.join(tmpdir(), "vizflow-crowd-"));
    const blobs = new LocalBlobStore(blobDir);
    pool = new InferencePool({ size: 1 });
    models = new ModelRuntime({ store: new DatabaseModelStore(database.db, blobs), pool });
    engine = new FlowEngine({ registry: new ActionRegistry([corePlugin]), runtime: onnxImageRuntime({ models }) });
    const payloads = new LocalBlobStore(path.join(blobDir, "job-payloads"));
    api = createEngineApi({ database, engine, logger: jsonLogger({ write: () => {} }), payloads });
    const seeded = await seedWorkspace(database, blobs, { credits: 1000 });
    workspaceId = seeded.id;
    key = (await createApiToken(database.db, workspaceId, { name: "crowd", createdBy: "user-1" })).key;
    photo = readFileSync(`${dir}${PHOTO}`).toString("base64");
    const file = await blobs.put(readFileSync(`${dir}ultraface/version-RFB-640.onnx`));
    const faceTask = async (name: string, params: Record<string, unknown>) => {
      const task = await createTask(database.db, workspaceId, { name, type: "detection", labels: ["face"] });
      await createModelVersion(database.db, workspaceId, task.id, {
        file,
        adapter: ultraface(params),
        createdBy: "user-1",
        activate: true,
      });
      return task.id;
    };
    const faces = await faceTask("Faces", {});
    const unbounded = await faceTask("Faces, no cap", { maxDetections: 100_000 });
    const oldCap = await faceTask("Faces, the old cap", { maxDetections: 100 });
    const detect = (task: string, config: Record<string, unknown> = {}) =>
      graph([["faces", "core/detection@1", { task, ...config }]], [["in", "next", "faces"]]);
    flows.byDefault = await deployed(database, workspaceId, "Default caps", detect(faces));
    flows.unbounded = await deployed(database, workspaceId, "No cap", detect(unbounded, { maxObjects: 10_000 }));
    flows.nodeCap = await deployed(database, workspaceId, "Node cap 25", detect(faces, { maxObjects: 25 }));
    flows.modelCap = await deployed(database, workspaceId, "Model cap 100", detect(oldCap));
    flows.selector = await deployed(
      database,
      workspaceId,
      "Selector",
      graph([["faces", "core/object-selector@1", { task: faces }]], [["in", "next", "faces"]]),
    );
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await models?.close();
    await pool?.close();
    await database?.close();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  async function post(flow: string): Promise<Answer> {
    const response = await api.fetch(
      new Request(`http://engine.local/v2/flows/${flows[flow]}/process`, {
        method: "POST",
        headers: { authorization: `Token ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ records: [{ _id: "crowd", _base64: photo }] }),
      }),
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    expect(answer.records[0]?._status).toEqual({ code: 200, text: "OK" });
    // Every answer keeps to the schema the API publishes for its flow.
    const schema = await api.fetch(
      new Request(`http://engine.local/v2/flows/${flows[flow]}/schema`, { headers: { authorization: `Token ${key}` } }),
    );
    expect(schema.status).toBe(200);
    const validate = new Ajv2020({ strict: false }).compile((await schema.json()) as object);
    expect(validate(answer), JSON.stringify(validate.errors)).toBe(true);
    return answer;
  }

  const facesOf = (answer: Answer) => answer.records[0]?._objects as DetectedObject[];

  it("loses no face with the default caps, where the old cap of 100 lost some without a word", async () => {
    const all = facesOf(await post("unbounded")).length;
    expect(all).toBeGreaterThan(100);
    const byDefault = await post("byDefault");
    expect(facesOf(byDefault)).toHaveLength(all);
    expect(byDefault.records[0]).not.toHaveProperty("_objects_dropped");

    const oldCap = await post("modelCap");
    expect(facesOf(oldCap)).toHaveLength(100);
    expect(oldCap.records[0]?._objects_dropped).toBe(all - 100);
  });

  it("says how many faces a node's small cap dropped, keeping the most probable", async () => {
    const all = facesOf(await post("unbounded"));
    const capped = await post("nodeCap");
    expect(facesOf(capped)).toHaveLength(25);
    expect(capped.records[0]?._objects_dropped).toBe(all.length - 25);
    const probs = (list: DetectedObject[]) => list.map((f) => f.prob).sort((a, b) => b - a);
    expect(probs(facesOf(capped))).toEqual(probs(all).slice(0, 25));
    expect(capped.statistics.credits).toBe(1);

    // An Object Selector keeps 10 by default, and says so too.
    const selected = await post("selector");
    expect(facesOf(selected)).toHaveLength(10);
    expect(selected.records[0]?._objects_dropped).toBe(all.length - 10);
  });

  it("shows the dropped count in the test run's trace", async () => {
    const workspace = databaseWorkspace(database.db, workspaceId);
    const result = await engine.run(workspace, { flowId: flows.nodeCap as string, version: 1 }, [{ _base64: photo }], {
      debug: true,
    });
    const trace = result.traces?.[0]?.find((t) => t.nodeId === "faces");
    expect((trace?.written._objects as unknown[]).length).toBe(25);
    expect(trace?.written._objects_dropped).toBe(result.records[0]?._objects_dropped);
    expect(trace?.written._objects_dropped).toBeGreaterThan(75);
  });
});
