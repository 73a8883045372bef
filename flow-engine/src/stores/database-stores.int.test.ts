import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  activateModelVersion,
  createFlow,
  createModelVersion,
  createTask,
  deployFlowVersion,
  LocalBlobStore,
  saveFlowVersion,
  type Database,
} from "@vizflow/db";
import { createTestDatabase } from "@vizflow/db/testing";
import type { DetectedObject } from "@vizflow/sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FlowEngine } from "../engine/engine.js";
import { FlowNotFoundError } from "../engine/errors.js";
import { onnxImageRuntime } from "../engine/onnx-image-runtime.js";
import { graph, testRegistry } from "../engine/test-support.js";
import type { ModelAdapter } from "../runtime/adapter.js";
import { ModelError } from "../runtime/errors.js";
import { InferencePool } from "../runtime/inference/inference-pool.js";
import { ModelRuntime } from "../runtime/model-runtime.js";
import { paint, toPng } from "../testing/images.js";
import { colourClassifierModel, fixedSsdModel } from "../testing/tiny-models.js";
import { DatabaseModelStore } from "./database-model-store.js";
import { databaseWorkspace } from "./database-workspace.js";

const USER = "user-1";
const adapter: ModelAdapter = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "softmax" },
};

let database: Database;
let blobDir: string;
let blobs: LocalBlobStore;
let pool: InferencePool;
let models: ModelRuntime;

/** Workspace A: tasks with active tiny ONNX models, flow "Inner" (deployed) nested by flow "Outer" (deployed). */
const a = { id: "", colour: "", middle: "", unmodelled: "", inner: "", outer: "", colourVersion: "" };
let other = "";

beforeAll(async () => {
  database = await createTestDatabase();
  blobDir = await mkdtemp(path.join(tmpdir(), "vizflow-engine-blobs-"));
  blobs = new LocalBlobStore(blobDir);
  pool = new InferencePool({ size: 1 });
  models = new ModelRuntime({ store: new DatabaseModelStore(database.db, blobs), pool });
  const db = database.db;

  a.id = randomUUID();
  other = randomUUID();
  await db
    .insertInto("workspace")
    .values([
      { id: a.id, name: "A" },
      { id: other, name: "B" },
    ])
    .execute();

  const colour = await createTask(db, a.id, {
    name: "Colour",
    type: "categorization",
    labels: ["red", "green", "blue"],
  });
  const middle = await createTask(db, a.id, { name: "Middle", type: "detection", labels: ["thing"] });
  const unmodelled = await createTask(db, a.id, { name: "No model yet", type: "tagging", labels: ["x"] });
  a.colour = colour.id;
  a.middle = middle.id;
  a.unmodelled = unmodelled.id;
  const colourFile = await blobs.put(colourClassifierModel());
  a.colourVersion = (
    await createModelVersion(db, a.id, colour.id, { file: colourFile, adapter, createdBy: USER, activate: true })
  ).id;
  // Always finds one object in the middle half of whatever scope it sees.
  const middleFile = await blobs.put(fixedSsdModel([[0.1, 0.9]], [[0.25, 0.25, 0.75, 0.75]]));
  await createModelVersion(db, a.id, middle.id, {
    file: middleFile,
    adapter: { ...adapter, decoder: { id: "ssd", params: { threshold: 0.5 } } },
    createdBy: USER,
    activate: true,
  });

  const inner = await createFlow(db, a.id, { name: "Inner", createdBy: USER });
  a.inner = inner.id;
  await saveFlowVersion(db, a.id, inner.id, {
    graph: graph([["c", "core/recognition@1", { task: colour.id, output: "colour" }]], [["in", "next", "c"]]),
    createdBy: USER,
  });
  await deployFlowVersion(db, a.id, inner.id, 1, USER);

  const outer = await createFlow(db, a.id, { name: "Outer", createdBy: USER });
  a.outer = outer.id;
  await saveFlowVersion(db, a.id, outer.id, {
    graph: graph([["whole", "core/recognition@1", { task: colour.id, output: "colour" }]], [["in", "next", "whole"]]),
    createdBy: USER,
  });
  await saveFlowVersion(db, a.id, outer.id, {
    graph: graph(
      [
        ["sel", "core/object-selector@1", { task: middle.id }],
        ["nest", "core/nested-flow@1", { flow: inner.id, version: "deployed" }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "nest"],
      ],
    ),
    createdBy: USER,
  });
  await deployFlowVersion(db, a.id, outer.id, 2, USER);
});

afterAll(async () => {
  await models.close();
  await pool.close();
  await database.close();
  await rm(blobDir, { recursive: true, force: true });
});

/** 40x40: blue, with a red square [10, 30) and inside it a green square [15, 25). */
async function squares(): Promise<string> {
  const image = paint(40, 40, (x, y) => {
    const inside = (lo: number, hi: number) => x >= lo && x < hi && y >= lo && y < hi;
    return inside(15, 25) ? [0, 255, 0] : inside(10, 30) ? [255, 0, 0] : [0, 0, 255];
  });
  return Buffer.from(await toPng(image)).toString("base64");
}

describe("databaseWorkspace", () => {
  test("builds the catalog from the workspace's tasks, flows, versions and nested flows", async () => {
    const catalog = await databaseWorkspace(database.db, a.id).catalog();
    expect([...catalog.tasks.values()]).toEqual([
      { id: a.colour, name: "Colour", type: "categorization", labels: ["red", "green", "blue"] },
      { id: a.middle, name: "Middle", type: "detection", labels: ["thing"] },
      { id: a.unmodelled, name: "No model yet", type: "tagging", labels: ["x"] },
    ]);
    expect(catalog.flows.get(a.outer)).toEqual({
      id: a.outer,
      name: "Outer",
      versions: [1, 2],
      deployedVersion: 2,
      nestedFlowIds: [a.inner],
    });
    expect(catalog.flows.get(a.inner)).toEqual({
      id: a.inner,
      name: "Inner",
      versions: [1],
      deployedVersion: 1,
      nestedFlowIds: [],
    });
  });

  test("reads flow versions, deployed versions and tasks with their active model version", async () => {
    const workspace = databaseWorkspace(database.db, a.id);
    expect(workspace.id).toBe(a.id);
    expect(await workspace.flows.deployedVersion(a.outer)).toBe(2);
    const saved = await workspace.flows.flowVersion(a.outer, 1);
    expect(saved).toMatchObject({ flowId: a.outer, version: 1, graph: { schema: 1 } });
    expect(await workspace.flows.flowVersion(a.outer, 3)).toBeUndefined();
    // What running needs, without the labels (the catalog above has them for validation).
    expect(await workspace.tasks.task(a.colour)).toEqual({
      id: a.colour,
      type: "categorization",
      activeModelVersionId: a.colourVersion,
    });
    expect(await workspace.tasks.task(a.unmodelled)).toEqual({ id: a.unmodelled, type: "tagging" });
    expect(await workspace.tasks.task("missing")).toBeUndefined();
  });

  test("sees nothing of another workspace", async () => {
    const workspace = databaseWorkspace(database.db, other);
    const catalog = await workspace.catalog();
    expect(catalog.tasks.size).toBe(0);
    expect(catalog.flows.size).toBe(0);
    expect(await workspace.flows.flowVersion(a.outer, 1)).toBeUndefined();
    expect(await workspace.flows.deployedVersion(a.outer)).toBeUndefined();
    expect(await workspace.tasks.task(a.colour)).toBeUndefined();
  });
});

describe("the engine on the database", () => {
  test("runs the deployed flow, its nested flow and the tasks' active ONNX models from the blob store", async () => {
    const engine = new FlowEngine({ registry: testRegistry(), runtime: onnxImageRuntime({ models }) });
    const result = await engine.run(databaseWorkspace(database.db, a.id), { flowId: a.outer, version: "deployed" }, [
      { _id: "squares", _base64: await squares() },
    ]);
    const record = result.records[0];
    expect(record).toMatchObject({ _id: "squares", _status: { code: 200 } });
    const objects = record?._objects as DetectedObject[];
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({
      name: "thing",
      bound_box: [10, 10, 30, 30],
      colour: { best_label: { name: "red" } },
    });
    // Detection on the record, plus the nested recognition on its one object.
    expect(result.statistics.credits).toBe(2);
  });

  test("a task's newly activated model version is what the next request runs", async () => {
    const db = database.db;
    const task = await createTask(db, a.id, {
      name: "Swapped",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    const file = await blobs.put(colourClassifierModel());
    await createModelVersion(db, a.id, task.id, { file, adapter, createdBy: USER, activate: true });
    // The same model, its outputs read in reverse order: what was "red" now reads "blue".
    const reversed = await createModelVersion(db, a.id, task.id, {
      file,
      adapter: { ...adapter, labels: ["blue", "green", "red"] },
      createdBy: USER,
    });
    const flow = await createFlow(db, a.id, { name: "Swap", createdBy: USER });
    await saveFlowVersion(db, a.id, flow.id, {
      graph: graph([["c", "core/recognition@1", { task: task.id, output: "colour" }]], [["in", "next", "c"]]),
      createdBy: USER,
    });
    const engine = new FlowEngine({ registry: testRegistry(), runtime: onnxImageRuntime({ models }) });
    const red = paint(8, 8, () => [255, 0, 0]);
    const records = [{ _base64: Buffer.from(await toPng(red)).toString("base64") }];
    // One workspace object per request, as the API makes them.
    const first = databaseWorkspace(db, a.id);
    const before = await engine.run(first, { flowId: flow.id, version: 1 }, records);
    expect(before.records[0]).toMatchObject({ colour: { best_label: { name: "red" } } });
    await activateModelVersion(db, a.id, task.id, reversed.id);
    const after = await engine.run(databaseWorkspace(db, a.id), { flowId: flow.id, version: 1 }, records);
    expect(after.records[0]).toMatchObject({ colour: { best_label: { name: "blue" } } });
    // A request already under way keeps the version it started with.
    const during = await engine.run(first, { flowId: flow.id, version: 1 }, records);
    expect(during.records[0]).toMatchObject({ colour: { best_label: { name: "red" } } });
  });

  test("another workspace cannot run this workspace's flow", async () => {
    const engine = new FlowEngine({ registry: testRegistry(), runtime: onnxImageRuntime({ models }) });
    await expect(
      engine.run(databaseWorkspace(database.db, other), { flowId: a.outer, version: "deployed" }, []),
    ).rejects.toBeInstanceOf(FlowNotFoundError);
  });
});

describe("DatabaseModelStore", () => {
  test("gives a model version with its task's type and labels and the blob store's file path", async () => {
    const store = new DatabaseModelStore(database.db, blobs);
    const version = await store.get(a.colourVersion);
    expect(version).toMatchObject({
      id: a.colourVersion,
      taskType: "categorization",
      labels: ["red", "green", "blue"],
      adapter,
    });
    expect(version?.file).toEqual({ path: expect.stringContaining(blobDir) as string });
    expect(await store.get("missing")).toBeUndefined();
  });

  test("reports a model version whose file is missing from the blob store", async () => {
    const emptyDir = await mkdtemp(path.join(tmpdir(), "vizflow-empty-blobs-"));
    try {
      const store = new DatabaseModelStore(database.db, new LocalBlobStore(emptyDir));
      const error = await store.get(a.colourVersion).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).message).toMatch(/is missing from the model store/);
    } finally {
      await rm(emptyDir, { recursive: true, force: true });
    }
  });
});
