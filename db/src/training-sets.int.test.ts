import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "./database.js";
import { createModelVersion } from "./model-versions.js";
import { createTask, findTask } from "./tasks.js";
import { createTestSet } from "./test-sets.js";
import { createTestDatabase } from "./testing.js";
import {
  addTrainingItems,
  annotationQueue,
  confirmTrainingItems,
  countTrainingSet,
  createAnnotationJobs,
  createPreannotationRun,
  failStalePreannotationRuns,
  findPreannotationRun,
  updatePreannotationRun,
  findTrainingItems,
  listAnnotationJobs,
  listTrainingItems,
  proposeTrainingAnnotations,
  rejectTrainingProposals,
  removeTrainingItems,
  setChecksRequired,
  setTrainingAnnotations,
  trainingBlobInUse,
} from "./training-sets.js";

const sha = (c: string) => c.repeat(64);

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function newWorkspace(): Promise<string> {
  const workspaceId = randomUUID();
  await database.db
    .insertInto("workspace")
    .values({ id: workspaceId, name: `ws ${workspaceId}` })
    .execute();
  return workspaceId;
}

function image(c: string, fileName: string, annotation: unknown = null) {
  return { sha256: sha(c), size: 100, width: 40, height: 30, fileName, annotation };
}

describe("training sets", () => {
  test("adds images once, counts duplicates, shares an image between tasks, deletes blobs only when unused", async () => {
    const ws = await newWorkspace();
    const pets = await createTask(database.db, ws, { name: "pets", type: "categorization", labels: ["cat"] });
    const other = await createTask(database.db, ws, { name: "other", type: "categorization" });
    const first = await addTrainingItems(database.db, ws, pets.id, {
      createdBy: "u1",
      source: "upload",
      newLabels: ["cat", "dog"],
      images: [
        image("a", "a.jpg", { kind: "category", label: "cat" }),
        image("b", "b.jpg", { kind: "category", label: "dog" }),
        image("a", "a-again.jpg", { kind: "category", label: "dog" }),
      ],
    });
    expect(first.added.map((a) => a.sha256)).toEqual([sha("a"), sha("b")]);
    expect(first.duplicates).toEqual(["a-again.jpg"]);
    expect((await findTask(database.db, ws, pets.id))?.labels).toEqual(["cat", "dog"]);
    const again = await addTrainingItems(database.db, ws, pets.id, {
      createdBy: "u1",
      source: "api",
      images: [image("b", "b2.jpg", { kind: "category", label: "cat" }), image("c", "c.jpg")],
    });
    expect(again.duplicates).toEqual(["b2.jpg"]);
    const { items } = await listTrainingItems(database.db, ws, pets.id);
    // The duplicate kept its first annotation.
    expect(items.map((i) => [i.fileName, i.annotation, i.status, i.position])).toEqual([
      ["a.jpg", { kind: "category", label: "cat" }, "labelled", 1],
      ["b.jpg", { kind: "category", label: "dog" }, "labelled", 2],
      ["c.jpg", null, "unlabelled", 3],
    ]);
    expect(items[0]?.size).toBe(100);

    await addTrainingItems(database.db, ws, other.id, {
      createdBy: "u1",
      source: "upload",
      images: [image("a", "x.jpg")],
    });
    const imageA = items[0]?.imageId as string;
    const imageC = items[2]?.imageId as string;
    const removed = await removeTrainingItems(database.db, ws, pets.id, [imageA, imageC]);
    // a is still in the other task's set; c is gone everywhere.
    expect(removed.unusedBlobs).toEqual([sha("c")]);
    expect(await trainingBlobInUse(database.db, sha("a"))).toBe(true);
    expect(await trainingBlobInUse(database.db, sha("c"))).toBe(false);
    expect((await listTrainingItems(database.db, ws, other.id)).items.map((i) => i.imageId)).toEqual([imageA]);
    await expect(removeTrainingItems(database.db, ws, pets.id, [imageA])).rejects.toThrow(
      /not in the task's training set/,
    );
  });

  test("images of the task's test sets stay out unless allowed", async () => {
    const ws = await newWorkspace();
    const task = await createTask(database.db, ws, { name: "t", type: "categorization", labels: ["cat"] });
    await createTestSet(database.db, ws, task.id, {
      name: "holdout",
      createdBy: "u1",
      images: [{ fileName: "cat/t.jpg", sha256: sha("d"), size: 1, truth: "cat" }],
    });
    const result = await addTrainingItems(database.db, ws, task.id, {
      createdBy: "u1",
      source: "upload",
      images: [image("d", "t.jpg"), image("e", "e.jpg")],
    });
    expect(result.inTestSet).toEqual(["t.jpg"]);
    expect(result.added.map((a) => a.sha256)).toEqual([sha("e")]);
    const allowed = await addTrainingItems(database.db, ws, task.id, {
      createdBy: "u1",
      source: "upload",
      allowTestImages: true,
      images: [image("d", "t.jpg")],
    });
    expect(allowed.added).toHaveLength(1);
  });

  test("filters, cursor pages and counts per label", async () => {
    const ws = await newWorkspace();
    const task = await createTask(database.db, ws, { name: "boxes", type: "detection", labels: ["cat", "dog"] });
    const box = (label: string) => ({ label, box: [1, 1, 10, 10] });
    await addTrainingItems(database.db, ws, task.id, {
      createdBy: "u1",
      source: "import",
      images: [
        image("1", "one.jpg", { kind: "boxes", boxes: [box("cat"), box("cat")] }),
        image("2", "two.jpg", { kind: "boxes", boxes: [box("dog")] }),
        image("3", "three.png"),
        image("4", "four_%.jpg", { kind: "boxes", boxes: [box("cat"), box("dog")] }),
      ],
    });
    const page1 = await listTrainingItems(database.db, ws, task.id, { limit: 2 });
    expect(page1.items.map((i) => i.fileName)).toEqual(["one.jpg", "two.jpg"]);
    const page2 = await listTrainingItems(database.db, ws, task.id, { limit: 2, after: page1.nextCursor ?? 0 });
    expect(page2.items.map((i) => i.fileName)).toEqual(["three.png", "four_%.jpg"]);
    expect(page2.nextCursor).toBeNull();
    const names = async (filter: Parameters<typeof listTrainingItems>[3]) =>
      (await listTrainingItems(database.db, ws, task.id, filter)).items.map((i) => i.fileName);
    expect(await names({ label: "dog" })).toEqual(["two.jpg", "four_%.jpg"]);
    expect(await names({ status: "unlabelled" })).toEqual(["three.png"]);
    expect(await names({ search: "_%" })).toEqual(["four_%.jpg"]);
    expect(await names({ search: "T" })).toEqual(["two.jpg", "three.png"]);

    const three = page2.items[0]?.imageId as string;
    const one = page1.items[0]?.imageId as string;
    expect(
      await proposeTrainingAnnotations(database.db, ws, task.id, "mv-1", [
        { imageId: three, annotation: { kind: "boxes", boxes: [box("dog")] } },
        { imageId: one, annotation: { kind: "boxes", boxes: [] } },
      ]),
    ).toBe(1);
    expect(await names({ proposed: true })).toEqual(["three.png"]);
    expect(await names({ proposed: false })).toEqual(["one.jpg", "two.jpg", "four_%.jpg"]);
    const counts = await countTrainingSet(database.db, ws, task.id);
    expect(counts).toMatchObject({
      total: 4,
      byStatus: { unlabelled: 1, labelled: 3, verified: 0 },
      proposed: 1,
      annotated: 3,
      checksRequired: 1,
      // The proposal's dog box is not counted until accepted.
      perLabel: [
        { label: "cat", images: 2, boxes: 3 },
        { label: "dog", images: 2, boxes: 2 },
      ],
    });
    expect(await rejectTrainingProposals(database.db, ws, task.id, [three, one])).toBe(1);
    expect((await findTrainingItems(database.db, ws, task.id, [three]))[0]).toMatchObject({
      annotation: null,
      proposed: false,
      status: "unlabelled",
    });
  });

  test("review: two different members verify an image; a member's own annotation counts once", async () => {
    const ws = await newWorkspace();
    const task = await createTask(database.db, ws, { name: "review", type: "tagging", labels: ["red", "round"] });
    const { added } = await addTrainingItems(database.db, ws, task.id, {
      createdBy: "u1",
      source: "upload",
      images: [image("5", "five.jpg", { kind: "tags", tags: ["red"] }), image("6", "six.jpg")],
    });
    const [five, six] = added.map((a) => a.imageId) as [string, string];
    await setChecksRequired(database.db, ws, task.id, 2);
    const status = async (id: string) => (await findTrainingItems(database.db, ws, task.id, [id]))[0];

    await setTrainingAnnotations(database.db, ws, task.id, "ann", [
      { imageId: six, annotation: { kind: "tags", tags: ["round"] } },
    ]);
    expect(await status(six)).toMatchObject({ status: "labelled", confirmedBy: ["ann"], annotationSource: "person" });
    // Confirming your own annotation again still counts once.
    await confirmTrainingItems(database.db, ws, task.id, "ann", [six]);
    expect(await status(six)).toMatchObject({ status: "labelled", confirmedBy: ["ann"] });
    await confirmTrainingItems(database.db, ws, task.id, "rev", [six, five]);
    expect(await status(six)).toMatchObject({ status: "verified", confirmedBy: ["ann", "rev"] });
    expect(await status(five)).toMatchObject({ status: "labelled", confirmedBy: ["rev"] });
    expect((await countTrainingSet(database.db, ws, task.id)).byStatus).toEqual({
      unlabelled: 0,
      labelled: 1,
      verified: 1,
    });

    // An edit starts the review again: only the editor's confirmation counts.
    await setTrainingAnnotations(database.db, ws, task.id, "rev", [
      { imageId: six, annotation: { kind: "tags", tags: ["red"] } },
    ]);
    expect(await status(six)).toMatchObject({ status: "labelled", confirmedBy: ["rev"] });
    await setTrainingAnnotations(database.db, ws, task.id, "rev", [{ imageId: six, annotation: null }]);
    expect(await status(six)).toMatchObject({ status: "unlabelled", confirmedBy: [] });
    await expect(confirmTrainingItems(database.db, ws, task.id, "rev", [six])).rejects.toThrow(
      "Annotate before confirming: six.jpg has no annotation.",
    );
    await expect(setChecksRequired(database.db, ws, task.id, 0)).rejects.toThrow(/between 1 and 10/);
  });

  test("jobs split unlabelled images among members; a member's queue empties as they confirm", async () => {
    const ws = await newWorkspace();
    for (const user of ["m1", "m2"]) {
      await database.db.insertInto("member").values({ workspace_id: ws, user_id: user, role: "editor" }).execute();
    }
    const task = await createTask(database.db, ws, { name: "jobs", type: "regression" });
    const { added } = await addTrainingItems(database.db, ws, task.id, {
      createdBy: "u1",
      source: "upload",
      images: ["a", "b", "c", "d", "e"].map((c) =>
        image(c, `${c}.jpg`, c === "e" ? { kind: "value", value: 2 } : null),
      ),
    });
    await expect(
      createAnnotationJobs(database.db, ws, task.id, {
        assignees: ["stranger"],
        scope: "unlabelled",
        size: 2,
        createdBy: "m1",
      }),
    ).rejects.toThrow("Jobs go only to members of this workspace.");
    const jobs = await createAnnotationJobs(database.db, ws, task.id, {
      assignees: ["m1", "m2"],
      scope: "unlabelled",
      size: 2,
      createdBy: "m1",
    });
    expect(jobs.map((j) => [j.assigneeId, j.imageCount, j.done])).toEqual(
      [
        ["m1", 2],
        ["m2", 2],
      ].map(([a, n]) => [a, n, 0]),
    );
    // The images already in jobs are not dealt again.
    expect(
      await createAnnotationJobs(database.db, ws, task.id, {
        assignees: ["m1"],
        scope: "unlabelled",
        size: 2,
        createdBy: "m1",
      }),
    ).toEqual([]);
    const queue = await annotationQueue(database.db, ws, task.id, "m1");
    expect(queue.map((i) => i.fileName)).toEqual(["a.jpg", "b.jpg"]);
    await setTrainingAnnotations(database.db, ws, task.id, "m1", [
      { imageId: added[0]?.imageId as string, annotation: { kind: "value", value: 1 } },
    ]);
    expect((await annotationQueue(database.db, ws, task.id, "m1")).map((i) => i.fileName)).toEqual(["b.jpg"]);
    expect((await listAnnotationJobs(database.db, ws, { assigneeId: "m1" })).map((j) => j.done)).toEqual([1]);
  });

  test("a pre-annotation run: another task's detector, progress, then finished for good", async () => {
    const ws = await newWorkspace();
    const detector = await createTask(database.db, ws, { name: "detector", type: "detection", labels: ["cat"] });
    const fresh = await createTask(database.db, ws, { name: "fresh", type: "detection" });
    const version = await createModelVersion(database.db, ws, detector.id, {
      file: { sha256: sha("f"), size: 5 },
      adapter: {},
      createdBy: "u1",
    });
    const { added } = await addTrainingItems(database.db, ws, fresh.id, {
      createdBy: "u1",
      source: "upload",
      images: [image("7", "seven.jpg"), image("8", "eight.jpg")],
    });
    const ids = added.map((a) => a.imageId);
    await expect(
      createPreannotationRun(database.db, ws, fresh.id, { modelVersionId: "nope", imageIds: ids, createdBy: "u1" }),
    ).rejects.toThrow("This model version does not exist in this workspace.");
    const run = await createPreannotationRun(database.db, ws, fresh.id, {
      modelVersionId: version.id,
      imageIds: [...ids, ids[0] as string],
      createdBy: "u1",
    });
    expect(run).toMatchObject({ status: "queued", total: 2, processed: 0, imageIds: ids });
    expect(await updatePreannotationRun(database.db, ws, run.id, { status: "running", processed: 1 })).toBe(true);
    expect(await updatePreannotationRun(database.db, ws, run.id, { status: "done", processed: 2 })).toBe(true);
    expect(await updatePreannotationRun(database.db, ws, run.id, { status: "running", processed: 0 })).toBe(false);
    const done = await findPreannotationRun(database.db, ws, run.id);
    expect(done).toMatchObject({ status: "done", processed: 2 });
    expect(done?.finishedAt).toBeInstanceOf(Date);

    // A run left queued by a process that stopped is failed at the next start; finished ones stay.
    const stale = await createPreannotationRun(database.db, ws, fresh.id, {
      modelVersionId: run.modelVersionId,
      imageIds: ids,
      createdBy: "u1",
    });
    expect(await failStalePreannotationRuns(database.db, new Date(Date.now() + 60_000))).toBe(1);
    expect(await findPreannotationRun(database.db, ws, stale.id)).toMatchObject({
      status: "failed",
      error: "The server stopped while this run went on; run it again.",
    });
    expect(await findPreannotationRun(database.db, ws, run.id)).toMatchObject({ status: "done", error: null });
  });
});
