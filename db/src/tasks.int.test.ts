import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "./database.js";
import { DataError } from "./errors.js";
import { deployFlowVersion, saveFlowVersion } from "./flow-versions.js";
import { createFlow, deleteFlow } from "./flows.js";
import {
  activateModelVersion,
  createModelVersion,
  findModelVersion,
  findModelVersionForRuntime,
  listModelVersions,
  modelFileInUse,
} from "./model-versions.js";
import {
  addTaskLabels,
  createTask,
  deleteTask,
  deleteTaskLabel,
  findTask,
  findTaskModel,
  listTasks,
  renameTask,
  renameTaskLabel,
  TaskInUseError,
} from "./tasks.js";
import { createTestDatabase } from "./testing.js";

const USER = "user-1";
const FILE = { sha256: "a".repeat(64), size: 1234 };
const ADAPTER = { input: "input", width: 224, height: 224, decoder: { id: "softmax" } };

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function newWorkspace(): Promise<string> {
  const id = randomUUID();
  await database.db
    .insertInto("workspace")
    .values({ id, name: `ws ${id}` })
    .execute();
  return id;
}

function graphUsing(config: Record<string, unknown>, action = "core/branch-selector@1"): unknown {
  return {
    schema: 1,
    nodes: [
      { id: "in", action: "core/input@1", config: {}, position: { x: 0, y: 0 } },
      { id: "n1", action, config, position: { x: 0, y: 100 } },
    ],
    edges: [{ id: "e1", source: "in", sourceHandle: "next", target: "n1" }],
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("tasks", () => {
  test("are created with labels in order, listed by name, searched, and renamed", async () => {
    const ws = await newWorkspace();
    const animals = await createTask(database.db, ws, {
      name: " Animals ",
      type: "categorization",
      labels: ["wolf", " dog", "cat"],
    });
    await createTask(database.db, ws, { name: "Boxes", type: "detection" });
    expect(animals).toMatchObject({
      name: "Animals",
      type: "categorization",
      labels: ["wolf", "dog", "cat"],
      activeModelVersionId: undefined,
    });
    expect((await listTasks(database.db, ws)).map((t) => [t.name, t.labels])).toEqual([
      ["Animals", ["wolf", "dog", "cat"]],
      ["Boxes", []],
    ]);
    expect((await listTasks(database.db, ws, { search: "box" })).map((t) => t.name)).toEqual(["Boxes"]);
    expect((await listTasks(database.db, ws, { type: "categorization" })).map((t) => t.name)).toEqual(["Animals"]);
    expect((await renameTask(database.db, ws, animals.id, "Pets")).name).toBe("Pets");
  });

  test("refuse an unknown type, blank or repeated labels, and a taken name, saying what is wrong", async () => {
    const ws = await newWorkspace();
    await expect(createTask(database.db, ws, { name: "X", type: "segmentation" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: "type",
      message: "Choose a task type: categorization, tagging, regression, detection.",
    });
    await expect(createTask(database.db, ws, { name: "X", type: "tagging", labels: ["a", " "] })).rejects.toMatchObject(
      {
        message: "Labels cannot be blank.",
      },
    );
    await expect(
      createTask(database.db, ws, { name: "X", type: "tagging", labels: ["a", "b", "a"] }),
    ).rejects.toMatchObject({ message: 'The label "a" appears more than once.' });
    await createTask(database.db, ws, { name: "X", type: "tagging" });
    await expect(createTask(database.db, ws, { name: "X", type: "regression" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'A task named "X" already exists in this workspace.',
    });
  });

  test("labels are appended, renamed in place, and deleted; a label the task has is refused", async () => {
    const ws = await newWorkspace();
    const task = await createTask(database.db, ws, { name: "Colours", type: "tagging", labels: ["red"] });
    expect((await addTaskLabels(database.db, ws, task.id, ["green", "blue"])).labels).toEqual(["red", "green", "blue"]);
    await expect(addTaskLabels(database.db, ws, task.id, ["blue"])).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'The task already has the label "blue".',
    });
    expect((await renameTaskLabel(database.db, ws, task.id, "green", "lime")).labels).toEqual(["red", "lime", "blue"]);
    await expect(renameTaskLabel(database.db, ws, task.id, "lime", "red")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(deleteTaskLabel(database.db, ws, task.id, "purple")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: 'The task has no label "purple".',
    });
    expect((await deleteTaskLabel(database.db, ws, task.id, "red")).labels).toEqual(["lime", "blue"]);
    expect((await addTaskLabels(database.db, ws, task.id, ["red"])).labels).toEqual(["lime", "blue", "red"]);
  });

  test("a label a saved flow version uses cannot be deleted or renamed; the refusal lists the flows", async () => {
    const ws = await newWorkspace();
    const task = await createTask(database.db, ws, {
      name: "Species",
      type: "categorization",
      labels: ["wolf", "dog"],
    });
    const flow = await createFlow(database.db, ws, { name: "Wolf finder", createdBy: USER });
    await saveFlowVersion(database.db, ws, flow.id, {
      graph: graphUsing({ task: task.id, branches: ["dog"] }),
      createdBy: USER,
    });
    await saveFlowVersion(database.db, ws, flow.id, {
      graph: graphUsing({ task: task.id, branches: ["wolf"], output: "dog" }),
      createdBy: USER,
    });
    await deployFlowVersion(database.db, ws, flow.id, 2, USER);

    const error = await rejection(deleteTaskLabel(database.db, ws, task.id, "wolf"));
    expect(error).toBeInstanceOf(TaskInUseError);
    expect((error as TaskInUseError).message).toBe(
      'The label "wolf" is used by "Wolf finder" (version 2); remove it there first.',
    );
    expect((error as TaskInUseError).flows).toEqual([
      { flowId: flow.id, flowName: "Wolf finder", versions: [2], deployedVersion: 2, deployedVersionUses: true },
    ]);
    // "dog" is listed by version 1 only (version 2 merely writes a field named "dog").
    await expect(renameTaskLabel(database.db, ws, task.id, "dog", "hound")).rejects.toMatchObject({
      code: "CONFLICT",
      flows: [{ flowId: flow.id, versions: [1], deployedVersion: 2, deployedVersionUses: false }],
    });
    expect((await findTask(database.db, ws, task.id))?.labels).toEqual(["wolf", "dog"]);

    // A deleted flow's versions no longer hold anything back.
    await deleteFlow(database.db, ws, flow.id);
    expect((await deleteTaskLabel(database.db, ws, task.id, "wolf")).labels).toEqual(["dog"]);
  });

  test("a task a saved flow version uses cannot be deleted; an unused one goes with its labels and versions", async () => {
    const ws = await newWorkspace();
    const used = await createTask(database.db, ws, { name: "Used", type: "detection", labels: ["face"] });
    const unused = await createTask(database.db, ws, { name: "Unused", type: "detection", labels: ["car"] });
    const flowA = await createFlow(database.db, ws, { name: "A", createdBy: USER });
    const flowB = await createFlow(database.db, ws, { name: "B", createdBy: USER });
    const selector = { task: used.id, labels: [], maxObjects: 5 };
    await saveFlowVersion(database.db, ws, flowB.id, {
      graph: graphUsing(selector, "core/object-selector@1"),
      createdBy: USER,
    });
    await saveFlowVersion(database.db, ws, flowA.id, {
      graph: graphUsing(selector, "core/object-selector@1"),
      createdBy: USER,
    });
    await saveFlowVersion(database.db, ws, flowA.id, {
      graph: graphUsing(selector, "core/object-selector@1"),
      createdBy: USER,
    });

    await expect(deleteTask(database.db, ws, used.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'This task is used by "A" (versions 1, 2) and "B" (version 1); remove it there first.',
    });
    expect(await findTask(database.db, ws, used.id)).toBeDefined();

    const model = await createModelVersion(database.db, ws, unused.id, {
      file: FILE,
      adapter: ADAPTER,
      createdBy: USER,
      activate: true,
    });
    await deleteTask(database.db, ws, unused.id);
    expect(await findTask(database.db, ws, unused.id)).toBeUndefined();
    expect(await findModelVersion(database.db, ws, model.id)).toBeUndefined();
    const labels = await database.db.selectFrom("task_label").selectAll().where("task_id", "=", unused.id).execute();
    expect(labels).toEqual([]);
  });
});

describe("model versions", () => {
  test("are numbered per task, also when created concurrently, and one is active", async () => {
    const ws = await newWorkspace();
    const task = await createTask(database.db, ws, { name: "Faces", type: "detection", labels: ["face"] });
    const other = await createTask(database.db, ws, { name: "Other", type: "detection" });
    const created = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createModelVersion(database.db, ws, task.id, {
          file: FILE,
          adapter: { ...ADAPTER, i },
          notes: `upload ${i}`,
          createdBy: USER,
        }),
      ),
    );
    expect(created.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(
      (await createModelVersion(database.db, ws, other.id, { file: FILE, adapter: ADAPTER, createdBy: USER })).version,
    ).toBe(1);
    expect(created.every((v) => !v.active)).toBe(true);

    const second = created.find((v) => v.version === 2);
    if (!second) throw new Error("version 2 missing");
    await activateModelVersion(database.db, ws, task.id, second.id);
    const listed = await listModelVersions(database.db, ws, task.id);
    expect(listed.map((v) => [v.version, v.active])).toEqual([
      [5, false],
      [4, false],
      [3, false],
      [2, true],
      [1, false],
    ]);
    expect(listed[3]).toMatchObject({
      id: second.id,
      fileSha256: FILE.sha256,
      fileSize: FILE.size,
      notes: second.notes,
    });
    expect((await findTask(database.db, ws, task.id))?.activeModelVersionId).toBe(second.id);
    // What a run reads of the task: its type and active version, without its labels.
    expect(await findTaskModel(database.db, ws, task.id)).toEqual({
      id: task.id,
      type: task.type,
      activeModelVersionId: second.id,
    });

    const ofOther = (await listModelVersions(database.db, ws, other.id))[0];
    await expect(activateModelVersion(database.db, ws, task.id, ofOther?.id ?? "")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: `Model version ${ofOther?.id} is not a version of this task.`,
    });
  });

  test("share one model file row per content, and refuse a malformed sha256 or a size that contradicts it", async () => {
    const ws = await newWorkspace();
    const task = await createTask(database.db, ws, { name: "Files", type: "categorization", labels: ["x"] });
    const sha256 = "b".repeat(64);
    await createModelVersion(database.db, ws, task.id, {
      file: { sha256, size: 10 },
      adapter: ADAPTER,
      createdBy: USER,
    });
    await createModelVersion(database.db, ws, task.id, {
      file: { sha256, size: 10 },
      adapter: ADAPTER,
      createdBy: USER,
    });
    const files = await database.db.selectFrom("model_file").selectAll().where("sha256", "=", sha256).execute();
    expect(files.map((f) => f.size)).toEqual([10]);
    await expect(
      createModelVersion(database.db, ws, task.id, { file: { sha256, size: 11 }, adapter: ADAPTER, createdBy: USER }),
    ).rejects.toMatchObject({ message: `The model file ${sha256} is 10 bytes, not 11.` });
    await expect(
      createModelVersion(database.db, ws, task.id, {
        file: { sha256: "../etc", size: 1 },
        adapter: ADAPTER,
        createdBy: USER,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", field: "file" });
    expect(await listModelVersions(database.db, ws, task.id)).toHaveLength(2);
    expect(await modelFileInUse(database.db, sha256)).toBe(true);
    expect(await modelFileInUse(database.db, "c".repeat(64))).toBe(false);
  });

  test("are read for the runtime with their task's type and labels in order", async () => {
    const ws = await newWorkspace();
    const task = await createTask(database.db, ws, { name: "Runtime", type: "tagging", labels: ["b", "a"] });
    await addTaskLabels(database.db, ws, task.id, ["c"]);
    const version = await createModelVersion(database.db, ws, task.id, {
      file: FILE,
      adapter: ADAPTER,
      createdBy: USER,
      activate: true,
    });
    expect(await findModelVersionForRuntime(database.db, version.id)).toEqual({
      id: version.id,
      taskId: task.id,
      taskType: "tagging",
      labels: ["b", "a", "c"],
      adapter: ADAPTER,
      fileSha256: FILE.sha256,
      fileSize: FILE.size,
    });
    expect(await findModelVersionForRuntime(database.db, "missing")).toBeUndefined();
  });
});

describe("workspace isolation", () => {
  test("another workspace's task and model versions are invisible and untouchable through this workspace", async () => {
    const a = await newWorkspace();
    const b = await newWorkspace();
    const theirs = await createTask(database.db, b, { name: "Theirs", type: "categorization", labels: ["x"] });
    const version = await createModelVersion(database.db, b, theirs.id, {
      file: FILE,
      adapter: ADAPTER,
      createdBy: USER,
    });

    expect(await findTask(database.db, a, theirs.id)).toBeUndefined();
    expect(await findTaskModel(database.db, a, theirs.id)).toBeUndefined();
    expect(await listTasks(database.db, a)).toEqual([]);
    expect(await listModelVersions(database.db, a, theirs.id)).toEqual([]);
    expect(await findModelVersion(database.db, a, version.id)).toBeUndefined();
    for (const attempt of [
      () => renameTask(database.db, a, theirs.id, "Mine"),
      () => addTaskLabels(database.db, a, theirs.id, ["y"]),
      () => renameTaskLabel(database.db, a, theirs.id, "x", "z"),
      () => deleteTaskLabel(database.db, a, theirs.id, "x"),
      () => deleteTask(database.db, a, theirs.id),
      () => createModelVersion(database.db, a, theirs.id, { file: FILE, adapter: ADAPTER, createdBy: USER }),
      () => activateModelVersion(database.db, a, theirs.id, version.id),
    ]) {
      const error = await rejection(attempt());
      expect(error).toBeInstanceOf(DataError);
      expect(error).toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await findTask(database.db, b, theirs.id)).toMatchObject({
      name: "Theirs",
      labels: ["x"],
      activeModelVersionId: undefined,
    });
    expect(await listModelVersions(database.db, b, theirs.id)).toHaveLength(1);
  });

  test("a flow of another workspace using a task of the same id never blocks this workspace's changes", async () => {
    const a = await newWorkspace();
    const b = await newWorkspace();
    const task = await createTask(database.db, a, { name: "Mine", type: "categorization", labels: ["x"] });
    const flow = await createFlow(database.db, b, { name: "Theirs", createdBy: USER });
    await saveFlowVersion(database.db, b, flow.id, {
      graph: graphUsing({ task: task.id, branches: ["x"] }),
      createdBy: USER,
    });
    expect((await deleteTaskLabel(database.db, a, task.id, "x")).labels).toEqual([]);
    await deleteTask(database.db, a, task.id);
  });
});
