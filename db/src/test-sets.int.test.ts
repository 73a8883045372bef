import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "./database.js";
import {
  createEvaluation,
  failStaleEvaluations,
  findEvaluation,
  findEvaluationResults,
  finishEvaluation,
  listEvaluations,
  updateEvaluationProgress,
} from "./evaluations.js";
import { createModelVersion } from "./model-versions.js";
import { createTask } from "./tasks.js";
import {
  createTestSet,
  deleteTestSet,
  findTestSetImage,
  listTestSetImages,
  listTestSets,
  testImageInUse,
} from "./test-sets.js";
import { createTestDatabase } from "./testing.js";

const USER = "user-1";
const A = "a".repeat(64);
const B = "b".repeat(64);
const C = "c".repeat(64);

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function newTask(): Promise<{ workspaceId: string; taskId: string }> {
  const workspaceId = randomUUID();
  await database.db
    .insertInto("workspace")
    .values({ id: workspaceId, name: `ws ${workspaceId}` })
    .execute();
  const task = await createTask(database.db, workspaceId, {
    name: "animals",
    type: "categorization",
    labels: ["cat", "dog"],
  });
  return { workspaceId, taskId: task.id };
}

describe("test sets", () => {
  test("stores images in order with their truth, lists them per task, and keeps other workspaces out", async () => {
    const { workspaceId, taskId } = await newTask();
    const set = await createTestSet(database.db, workspaceId, taskId, {
      name: " pets ",
      createdBy: USER,
      images: [
        { fileName: "cat/1.png", sha256: A, size: 10, truth: "cat" },
        { fileName: "dog/1.png", sha256: B, size: 20, truth: "dog" },
      ],
    });
    expect(set).toMatchObject({ name: "pets", imageCount: 2, taskId });
    expect((await listTestSets(database.db, workspaceId, taskId)).map((s) => s.id)).toEqual([set.id]);
    expect(await listTestSetImages(database.db, workspaceId, set.id)).toEqual([
      { position: 0, fileName: "cat/1.png", sha256: A, size: 10, truth: "cat" },
      { position: 1, fileName: "dog/1.png", sha256: B, size: 20, truth: "dog" },
    ]);
    expect(await findTestSetImage(database.db, workspaceId, set.id, 1)).toMatchObject({ truth: "dog" });
    const other = await newTask();
    expect(await listTestSets(database.db, other.workspaceId)).toEqual([]);
    expect(await findTestSetImage(database.db, other.workspaceId, set.id, 1)).toBeUndefined();
    await expect(listTestSetImages(database.db, other.workspaceId, set.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(deleteTestSet(database.db, other.workspaceId, set.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("refuses a set without images or name", async () => {
    const { workspaceId, taskId } = await newTask();
    await expect(
      createTestSet(database.db, workspaceId, taskId, { name: "x", createdBy: USER, images: [] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "The test set has no images." });
    await expect(
      createTestSet(database.db, workspaceId, taskId, {
        name: " ",
        createdBy: USER,
        images: [{ fileName: "a.png", sha256: A, size: 1, truth: "cat" }],
      }),
    ).rejects.toMatchObject({ field: "name" });
  });

  test("deleting a set returns only the blobs no other set still names", async () => {
    const { workspaceId, taskId } = await newTask();
    const image = (sha256: string) => ({ fileName: `${sha256[0] ?? ""}.png`, sha256, size: 1, truth: "cat" });
    const first = await createTestSet(database.db, workspaceId, taskId, {
      name: "one",
      createdBy: USER,
      images: [image(A), image(C), image(C)],
    });
    await createTestSet(database.db, workspaceId, taskId, { name: "two", createdBy: USER, images: [image(A)] });
    expect(await deleteTestSet(database.db, workspaceId, first.id)).toEqual([C]);
    expect(await testImageInUse(database.db, A)).toBe(true);
    expect(await testImageInUse(database.db, C)).toBe(false);
    expect((await listTestSets(database.db, workspaceId, taskId)).map((s) => s.name)).toEqual(["two"]);
  });
});

describe("evaluations", () => {
  test("run from running to done with progress, metrics and results, and go with their test set", async () => {
    const { workspaceId, taskId } = await newTask();
    const version = await createModelVersion(database.db, workspaceId, taskId, {
      file: { sha256: A, size: 5 },
      adapter: { decoder: { id: "softmax" } },
      createdBy: USER,
    });
    const set = await createTestSet(database.db, workspaceId, taskId, {
      name: "pets",
      createdBy: USER,
      images: [{ fileName: "a.png", sha256: B, size: 1, truth: "cat" }],
    });
    const evaluation = await createEvaluation(database.db, workspaceId, {
      taskId,
      modelVersionId: version.id,
      testSetId: set.id,
      createdBy: USER,
    });
    expect(evaluation).toMatchObject({
      status: "running",
      processed: 0,
      total: 1,
      modelVersion: 1,
      testSetName: "pets",
    });
    await updateEvaluationProgress(database.db, evaluation.id, 1);
    expect(await findEvaluation(database.db, workspaceId, evaluation.id)).toMatchObject({ processed: 1 });
    await finishEvaluation(database.db, evaluation.id, {
      metrics: { accuracy: 1 },
      results: [{ position: 0 }],
      processed: 1,
    });
    expect(await findEvaluation(database.db, workspaceId, evaluation.id)).toMatchObject({
      status: "done",
      metrics: { accuracy: 1 },
    });
    expect(await findEvaluationResults(database.db, workspaceId, evaluation.id)).toEqual([{ position: 0 }]);
    expect(await failStaleEvaluations(database.db, new Date(Date.now() + 60_000))).toBe(0);
    await deleteTestSet(database.db, workspaceId, set.id);
    expect(await listEvaluations(database.db, workspaceId, taskId)).toEqual([]);
  });

  test("refuse a model version or test set of another task", async () => {
    const { workspaceId, taskId } = await newTask();
    const other = await createTask(database.db, workspaceId, { name: "other", type: "categorization", labels: ["x"] });
    const version = await createModelVersion(database.db, workspaceId, other.id, {
      file: { sha256: A, size: 5 },
      adapter: {},
      createdBy: USER,
    });
    const set = await createTestSet(database.db, workspaceId, taskId, {
      name: "s",
      createdBy: USER,
      images: [{ fileName: "a.png", sha256: B, size: 1, truth: "cat" }],
    });
    await expect(
      createEvaluation(database.db, workspaceId, {
        taskId,
        modelVersionId: version.id,
        testSetId: set.id,
        createdBy: USER,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND", field: "modelVersionId" });
  });

  test("mark evaluations a stopped server left running as failed", async () => {
    const { workspaceId, taskId } = await newTask();
    const version = await createModelVersion(database.db, workspaceId, taskId, {
      file: { sha256: A, size: 5 },
      adapter: {},
      createdBy: USER,
    });
    const set = await createTestSet(database.db, workspaceId, taskId, {
      name: "s",
      createdBy: USER,
      images: [{ fileName: "a.png", sha256: B, size: 1, truth: "cat" }],
    });
    const evaluation = await createEvaluation(database.db, workspaceId, {
      taskId,
      modelVersionId: version.id,
      testSetId: set.id,
      createdBy: USER,
    });
    expect(await failStaleEvaluations(database.db, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await findEvaluation(database.db, workspaceId, evaluation.id)).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/server stopped/),
    });
  });
});
