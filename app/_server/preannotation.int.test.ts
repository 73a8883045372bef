import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TrainingAnnotation } from "@vizflow/flow-engine";
import { solid, toPng } from "../../flow-engine/src/testing/images";
import { realModelsDir, realModelVersions, REAL_MODELS_MISSING } from "../../flow-engine/src/testing/real-models";
import { colourClassifierModel, fixedSsdModel } from "../../flow-engine/src/testing/tiny-models";
import { handleModelUpload } from "./model-upload-route";
import type { ModelServices } from "./model-services";
import { startPreannotation } from "./preannotation-job";
import { createTestServices, signUp, useTestModelServices, type TestServices, type TestUser } from "./testing";
import { importTrainingFiles } from "./training-import";

// Pre-annotation through the trainingSet router: a model version proposes annotations for training images
// in a job; proposals are marked, never overwrite a person's annotation, are accepted or rejected.

const RACCOON_IMAGES = path.resolve(__dirname, "../../../shared/datasets/raccoon/images");
const MODELS = realModelsDir();
const HAVE_REAL = MODELS !== undefined && existsSync(RACCOON_IMAGES);
if (!HAVE_REAL) console.warn(`${REAL_MODELS_MISSING} (or ../shared/datasets/raccoon is absent): yolox test skipped`);

let services: TestServices;
let models: ModelServices;
let dir: string;
let alice: TestUser;
let carol: TestUser; // another workspace's owner
let workspaceId: string;
let otherWorkspaceId: string;

beforeAll(async () => {
  services = await createTestServices();
  ({ models, dir } = await useTestModelServices(services.database, "preannotation"));
  alice = await signUp(services, "Alice");
  carol = await signUp(services, "Carol");
  workspaceId = (await alice.caller.workspace.create({ name: "Boxes" })).id;
  otherWorkspaceId = (await carol.caller.workspace.create({ name: "Elsewhere" })).id;
});
afterAll(async () => {
  await models.runtime.close();
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

const SSD_ADAPTER = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "ssd", params: { scores: "scores", boxes: "boxes", threshold: 0.5 } },
};

async function uploadModel(user: TestUser, ws: string, taskId: string, file: Uint8Array, adapter: unknown) {
  const form = new FormData();
  form.append("adapter", JSON.stringify(adapter));
  form.append("file", new Blob([new Uint8Array(file)]), "model.onnx");
  const response = await handleModelUpload(
    new Request("http://localhost/upload", { method: "POST", headers: user.headers, body: form }),
    services,
    { workspaceId: ws, taskId },
  );
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { modelVersion: { id: string } }).modelVersion.id;
}

/** A detector that always finds a raccoon over the middle half and a person in the top-left quarter. */
async function raccoonPersonDetector(): Promise<{ taskId: string; versionId: string }> {
  const task = await alice.caller.task.create({
    workspaceId,
    name: `Detector ${Math.random()}`,
    type: "detection",
    labels: ["raccoon", "person"],
  });
  const model = fixedSsdModel(
    [
      [0.05, 0.9, 0.05],
      [0.05, 0.05, 0.9],
    ],
    [
      [0.25, 0.25, 0.75, 0.75],
      [0, 0, 0.5, 0.5],
    ],
  );
  return { taskId: task.id, versionId: await uploadModel(alice, workspaceId, task.id, model, SSD_ADAPTER) };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  await Promise.resolve();
  yield bytes;
}

/** Adds images to the task's set; returns their image ids in file-name order. */
async function addImages(taskId: string, files: Record<string, Uint8Array>): Promise<string[]> {
  await importTrainingFiles(services.database, models, {
    workspaceId,
    taskId,
    createdBy: alice.id,
    source: "upload",
    files: Object.entries(files).map(([name, bytes]) => ({ name, data: once(bytes) })),
  });
  const { items } = await alice.caller.trainingSet.list({ workspaceId, taskId, limit: 500 });
  return [...items].sort((a, b) => a.fileName.localeCompare(b.fileName)).map((i) => i.imageId);
}

async function greys(n: number, size = 32): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (let i = 0; i < n; i++)
    out[`grey-${String(i).padStart(3, "0")}.png`] = await toPng(solid(size, size, [i, 90, 90]));
  return out;
}

async function waitForRun(runId: string, user = alice, ws = workspaceId) {
  for (let i = 0; i < 600; i++) {
    const run = await user.caller.trainingSet.preannotationRun({ workspaceId: ws, runId });
    if (run.status !== "queued" && run.status !== "running") return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

describe("pre-annotation", () => {
  test("another task's detector proposes boxes in image pixels; a person's annotation stays; accept and reject", async () => {
    const detector = await raccoonPersonDetector();
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Raccoons",
      type: "detection",
      labels: ["raccoon"],
    });
    const ids = await addImages(task.id, await greys(4));
    const mine = {
      kind: "boxes" as const,
      boxes: [{ label: "raccoon", box: [1, 2, 10, 12] as [number, number, number, number] }],
    };
    await alice.caller.trainingSet.setAnnotation({ workspaceId, taskId: task.id, imageId: ids[0]!, annotation: mine });

    const listed = await alice.caller.trainingSet.preannotationModels({ workspaceId, taskId: task.id });
    expect(listed.find((m) => m.modelVersionId === detector.versionId)).toMatchObject({
      usable: true,
      sameTask: false,
      missingLabels: ["person"],
      labelsAdded: false,
    });

    const { runId } = await alice.caller.trainingSet.preannotate({
      workspaceId,
      taskId: task.id,
      modelVersionId: detector.versionId,
      imageIds: ids,
    });
    const run = await waitForRun(runId);
    // Four images ran; the person's image kept its box; three took a raccoon box; their person boxes
    // were dropped (the task has labels, and "person" is not one).
    expect(run).toMatchObject({
      status: "done",
      processed: 4,
      total: 4,
      proposed: 3,
      dropped: 4,
      failed: 0,
      error: null,
    });

    const items = await alice.caller.trainingSet.get({ workspaceId, taskId: task.id, imageIds: ids });
    const byId = new Map(items.map((i) => [i.imageId, i]));
    expect(byId.get(ids[0]!)).toMatchObject({ annotation: mine, proposed: false, annotationSource: "person" });
    for (const id of ids.slice(1)) {
      expect(byId.get(id)).toMatchObject({
        proposed: true,
        proposedByModelVersionId: detector.versionId,
        status: "unlabelled",
        annotation: { kind: "boxes", boxes: [{ label: "raccoon", box: [8, 8, 24, 24] }] },
      });
    }
    // Proposals only: the filter the grid uses.
    const proposals = await alice.caller.trainingSet.list({ workspaceId, taskId: task.id, proposed: true });
    expect(proposals.items.map((i) => i.imageId).sort()).toEqual(ids.slice(1).sort());

    await alice.caller.trainingSet.confirm({ workspaceId, taskId: task.id, imageIds: [ids[1]!] });
    expect(
      await alice.caller.trainingSet.rejectProposals({ workspaceId, taskId: task.id, imageIds: [ids[0]!, ids[2]!] }),
    ).toEqual({ rejected: 1 });
    const after = new Map(
      (await alice.caller.trainingSet.get({ workspaceId, taskId: task.id, imageIds: ids })).map((i) => [i.imageId, i]),
    );
    expect(after.get(ids[0]!)).toMatchObject({ annotation: mine, proposed: false });
    expect(after.get(ids[1]!)).toMatchObject({ proposed: false, annotationSource: "person", status: "verified" });
    expect(after.get(ids[1]!)?.confirmedBy).toEqual([alice.id]);
    expect(after.get(ids[2]!)).toMatchObject({ annotation: null, proposed: false, status: "unlabelled" });
    expect(after.get(ids[3]!)).toMatchObject({ proposed: true });

    // Running again replaces the remaining proposal but not what a person accepted.
    const again = await waitForRun(
      (
        await alice.caller.trainingSet.preannotate({
          workspaceId,
          taskId: task.id,
          modelVersionId: detector.versionId,
          imageIds: ids,
        })
      ).runId,
    );
    expect(again).toMatchObject({ status: "done", processed: 4, proposed: 2 });
    const final = await alice.caller.trainingSet.get({ workspaceId, taskId: task.id, imageIds: [ids[1]!] });
    expect(final[0]).toMatchObject({ proposed: false, annotationSource: "person" });
  });

  test("a new task without labels takes the detector's labels; a failing image is counted, not fatal", async () => {
    const detector = await raccoonPersonDetector();
    const task = await alice.caller.task.create({ workspaceId, name: "New", type: "detection" });
    const ids = await addImages(task.id, await greys(3));
    expect(
      (await alice.caller.trainingSet.preannotationModels({ workspaceId, taskId: task.id })).find(
        (m) => m.modelVersionId === detector.versionId,
      ),
    ).toMatchObject({ usable: true, labelsAdded: true, missingLabels: ["raccoon", "person"] });
    // One image's bytes are gone from the blob store: that image fails, the others go on.
    const [broken] = await alice.caller.trainingSet.get({ workspaceId, taskId: task.id, imageIds: [ids[1]!] });
    await models.trainingImages.delete(broken!.sha256);

    const { runId } = await alice.caller.trainingSet.preannotate({
      workspaceId,
      taskId: task.id,
      modelVersionId: detector.versionId,
      imageIds: ids,
    });
    const run = await waitForRun(runId);
    expect(run).toMatchObject({ status: "done", processed: 3, total: 3, proposed: 2, dropped: 0, failed: 1 });
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatchObject({ imageId: ids[1], fileName: "grey-001.png" });
    expect(run.failures[0]?.reason).not.toBe("");
    expect([...(await alice.caller.task.get({ workspaceId, taskId: task.id })).labels].sort()).toEqual([
      "person",
      "raccoon",
    ]);
    const [first] = await alice.caller.trainingSet.get({ workspaceId, taskId: task.id, imageIds: [ids[0]!] });
    expect(first?.annotation).toEqual({
      kind: "boxes",
      boxes: [
        { label: "raccoon", box: [8, 8, 24, 24] },
        { label: "person", box: [0, 0, 16, 16] },
      ],
    });
  });

  test("cancel stops a run; the proposals it stored are consistent with its counts", async () => {
    const detector = await raccoonPersonDetector();
    const task = await alice.caller.task.create({ workspaceId, name: "Big", type: "detection", labels: ["raccoon"] });
    // Large images take a while to decode, so the run is still going when the cancel comes.
    const ids = await addImages(task.id, await greys(12, 1500));
    const { run, finished } = await startPreannotation(services.database, models, {
      workspaceId,
      taskId: task.id,
      taskType: "detection",
      modelVersionId: detector.versionId,
      imageIds: ids,
      addMissingLabels: false,
      createdBy: alice.id,
    });
    const cancelled = await alice.caller.trainingSet.cancelPreannotation({ workspaceId, runId: run.id });
    expect(cancelled).toEqual({ cancelled: true, status: "cancelled" });
    await finished;
    const after = await alice.caller.trainingSet.preannotationRun({ workspaceId, runId: run.id });
    expect(after.status).toBe("cancelled");
    expect(after.processed).toBeLessThan(after.total);
    expect(after.finishedAt).not.toBeNull();
    const proposals = await alice.caller.trainingSet.list({ workspaceId, taskId: task.id, proposed: true });
    expect(proposals.items.length).toBe(after.proposed);
    // A finished run cannot be cancelled again.
    expect(await alice.caller.trainingSet.cancelPreannotation({ workspaceId, runId: run.id })).toEqual({
      cancelled: false,
      status: "cancelled",
    });
  });

  test("another workspace's model version and runs are NOT_FOUND; an incompatible model is refused with why", async () => {
    const task = await alice.caller.task.create({ workspaceId, name: "Mine", type: "detection", labels: ["raccoon"] });
    const ids = await addImages(task.id, await greys(1));
    const theirs = await carol.caller.task.create({
      workspaceId: otherWorkspaceId,
      name: "Theirs",
      type: "detection",
      labels: ["raccoon"],
    });
    const theirVersion = await uploadModel(
      carol,
      otherWorkspaceId,
      theirs.id,
      fixedSsdModel([[0.1, 0.9]], [[0.25, 0.25, 0.75, 0.75]]),
      SSD_ADAPTER,
    );
    const refused = await refusal(
      alice.caller.trainingSet.preannotate({
        workspaceId,
        taskId: task.id,
        modelVersionId: theirVersion,
        imageIds: ids,
      }),
    );
    expect(refused.code).toBe("NOT_FOUND");
    const listed = await alice.caller.trainingSet.preannotationModels({ workspaceId, taskId: task.id });
    expect(listed.some((m) => m.modelVersionId === theirVersion)).toBe(false);

    // Alice's run is not Carol's to see or cancel.
    const detector = await raccoonPersonDetector();
    const { runId } = await alice.caller.trainingSet.preannotate({
      workspaceId,
      taskId: task.id,
      modelVersionId: detector.versionId,
      imageIds: ids,
    });
    expect(
      (await refusal(carol.caller.trainingSet.preannotationRun({ workspaceId: otherWorkspaceId, runId }))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await refusal(carol.caller.trainingSet.cancelPreannotation({ workspaceId: otherWorkspaceId, runId }))).code,
    ).toBe("NOT_FOUND");
    await waitForRun(runId);

    // A colour classifier cannot box anything: listed as unusable with the reason, and refused.
    const colours = await alice.caller.task.create({
      workspaceId,
      name: "Colours",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    const colourVersion = await uploadModel(alice, workspaceId, colours.id, colourClassifierModel(), {
      ...SSD_ADAPTER,
      decoder: { id: "softmax" },
    });
    const entry = (await alice.caller.trainingSet.preannotationModels({ workspaceId, taskId: task.id })).find(
      (m) => m.modelVersionId === colourVersion,
    );
    expect(entry).toMatchObject({
      usable: false,
      reason: "A categorization model cannot propose annotations for a detection task.",
    });
    const wrongType = await refusal(
      alice.caller.trainingSet.preannotate({
        workspaceId,
        taskId: task.id,
        modelVersionId: colourVersion,
        imageIds: ids,
      }),
    );
    expect(wrongType.code).toBe("BAD_REQUEST");
    expect(wrongType.message).toContain("categorization model");
  });

  test("a colour classifier proposes the top label as the category", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Colour set",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    const versionId = await uploadModel(alice, workspaceId, task.id, colourClassifierModel(), {
      ...SSD_ADAPTER,
      decoder: { id: "softmax" },
    });
    const ids = await addImages(task.id, {
      "a-red.png": await toPng(solid(16, 16, [250, 10, 10])),
      "b-blue.png": await toPng(solid(16, 16, [10, 10, 250])),
    });
    const run = await waitForRun(
      (
        await alice.caller.trainingSet.preannotate({
          workspaceId,
          taskId: task.id,
          modelVersionId: versionId,
          imageIds: ids,
        })
      ).runId,
    );
    expect(run).toMatchObject({ status: "done", proposed: 2, failed: 0 });
    const items = await alice.caller.trainingSet.get({ workspaceId, taskId: task.id, imageIds: ids });
    expect(items.map((i) => i.annotation)).toEqual([
      { kind: "category", label: "red" },
      { kind: "category", label: "blue" },
    ]);
  });

  describe.skipIf(!HAVE_REAL)("with the real YOLOX nano detector", () => {
    test("proposes boxes for raccoon photos into a new task, labels added, boxes inside the images", async () => {
      const yolox = realModelVersions(MODELS as string).yolox;
      const coco = await alice.caller.task.create({
        workspaceId,
        name: "COCO",
        type: "detection",
        labels: [...yolox.labels],
      });
      const versionId = await uploadModel(alice, workspaceId, coco.id, readFileSync(yolox.file.path), yolox.adapter);
      const task = await alice.caller.task.create({ workspaceId, name: "Raccoon photos", type: "detection" });
      const photos = readdirSync(RACCOON_IMAGES).sort().slice(0, 4);
      const ids = await addImages(
        task.id,
        Object.fromEntries(photos.map((f) => [f, new Uint8Array(readFileSync(path.join(RACCOON_IMAGES, f)))])),
      );
      const run = await waitForRun(
        (
          await alice.caller.trainingSet.preannotate({
            workspaceId,
            taskId: task.id,
            modelVersionId: versionId,
            imageIds: ids,
          })
        ).runId,
      );
      expect(run).toMatchObject({
        status: "done",
        processed: photos.length,
        total: photos.length,
        failed: 0,
        dropped: 0,
      });
      expect(run.proposed).toBeGreaterThan(0);
      const labels = new Set((await alice.caller.task.get({ workspaceId, taskId: task.id })).labels);
      const items = await alice.caller.trainingSet.get({ workspaceId, taskId: task.id, imageIds: ids });
      const proposed = items.filter((i) => i.proposed);
      expect(proposed.length).toBe(run.proposed);
      for (const item of proposed) {
        const annotation = item.annotation as Extract<TrainingAnnotation, { kind: "boxes" }>;
        expect(annotation.kind).toBe("boxes");
        for (const { label, box } of annotation.boxes) {
          expect(labels.has(label)).toBe(true);
          const [xmin, ymin, xmax, ymax] = box;
          expect(xmin).toBeGreaterThanOrEqual(0);
          expect(ymin).toBeGreaterThanOrEqual(0);
          expect(xmax).toBeLessThanOrEqual(item.width);
          expect(ymax).toBeLessThanOrEqual(item.height);
          expect(xmax - xmin).toBeGreaterThan(0);
          expect(ymax - ymin).toBeGreaterThan(0);
        }
      }
    });
  });
});
