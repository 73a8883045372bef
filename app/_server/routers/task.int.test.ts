import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { createFlow, deployFlowVersion, saveFlowVersion } from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { solid, toPng } from "../../../flow-engine/src/testing/images";
import { colourClassifierModel, fixedSsdModel } from "../../../flow-engine/src/testing/tiny-models";
import { type ModelServices } from "../model-services";
import { handleModelUpload } from "../model-upload-route";
import { handleTestSetImage, handleTestSetUpload } from "../test-set-routes";
import {
  createTestServices,
  useTestModelServices,
  signUp,
  type Caller,
  type TestServices,
  type TestUser,
} from "../testing";
import { appRouter } from "./_app";

let services: TestServices;
let models: ModelServices;
let alice: TestUser;
let viewer: TestUser;
let workspaceId: string;
let dir: string;

beforeAll(async () => {
  services = await createTestServices();
  ({ models, dir } = await useTestModelServices(services.database, "tasks"));
  alice = await signUp(services, "Alice");
  workspaceId = (await alice.caller.workspace.create({ name: "Tasks" })).id;
  viewer = await signUp(services, "Viewer");
  const { url } = await alice.caller.invitation.create({ workspaceId, role: "viewer" });
  await viewer.caller.invitation.accept({ token: url.slice("/invite/".length) });
});
afterAll(async () => {
  await models.runtime.close();
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

/** Saves (and deploys) a flow version whose branch selector runs the task and names `label`. */
async function flowUsing(name: string, taskId: string, label: string, deploy: boolean) {
  const flow = await createFlow(services.database.db, workspaceId, { name, createdBy: alice.id });
  await saveFlowVersion(services.database.db, workspaceId, flow.id, {
    createdBy: alice.id,
    graph: {
      schema: 1,
      nodes: [
        { id: "in", action: "core/input@1", config: {}, position: { x: 0, y: 0 } },
        {
          id: "n1",
          action: "core/branch-selector@1",
          config: { task: taskId, branches: [label] },
          position: { x: 0, y: 1 },
        },
      ],
      edges: [{ id: "e1", source: "in", sourceHandle: "next", target: "n1" }],
    },
  });
  if (deploy) await deployFlowVersion(services.database.db, workspaceId, flow.id, 1, alice.id);
  return flow;
}

describe("task router", () => {
  test("creates tasks with type and labels, lists and searches them, renames, and adds labels", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Fruit",
      type: "categorization",
      labels: ["apple"],
    });
    await alice.caller.task.create({ workspaceId, name: "Faces", type: "detection", labels: ["face"] });
    expect(task).toMatchObject({ name: "Fruit", type: "categorization", labels: ["apple"] });
    expect((await viewer.caller.task.list({ workspaceId, search: "fru" })).map((t) => t.name)).toEqual(["Fruit"]);
    expect((await viewer.caller.task.list({ workspaceId, type: "detection" })).map((t) => t.name)).toEqual(["Faces"]);
    await alice.caller.task.rename({ workspaceId, taskId: task.id, name: "Fruits" });
    const grown = await alice.caller.task.addLabels({ workspaceId, taskId: task.id, labels: ["pear", "plum"] });
    expect(grown).toMatchObject({ name: "Fruits", labels: ["apple", "pear", "plum"] });
    const taken = await refusal(alice.caller.task.addLabels({ workspaceId, taskId: task.id, labels: ["pear"] }));
    expect(taken.message).toBe('The task already has the label "pear"; rename the new one, e.g. "pear (2)".');
    const viewerWrites = await refusal(viewer.caller.task.create({ workspaceId, name: "X", type: "tagging" }));
    expect(viewerWrites.code).toBe("FORBIDDEN");
  });

  test("refuses deleting a label or a task that saved flow versions use, listing the flows", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Pets",
      type: "categorization",
      labels: ["cat", "dog"],
    });
    await flowUsing("Pet router", task.id, "cat", true);
    const label = await refusal(alice.caller.task.deleteLabel({ workspaceId, taskId: task.id, label: "cat" }));
    expect(label.message).toBe('The label "cat" is used by "Pet router" (version 1); remove it there first.');
    expect(await alice.caller.task.deleteLabel({ workspaceId, taskId: task.id, label: "dog" })).toMatchObject({
      labels: ["cat"],
    });
    const whole = await refusal(alice.caller.task.delete({ workspaceId, taskId: task.id }));
    expect(whole.code).toBe("CONFLICT");
    expect(whole.message).toMatch(/used by "Pet router" \(version 1\)/);
    expect((await alice.caller.task.get({ workspaceId, taskId: task.id })).flows).toMatchObject([
      { flowName: "Pet router", deployedVersionUses: true },
    ]);
    const unused = await alice.caller.task.create({ workspaceId, name: "Unused", type: "tagging" });
    await alice.caller.task.delete({ workspaceId, taskId: unused.id });
    expect((await refusal(alice.caller.task.get({ workspaceId, taskId: unused.id }))).code).toBe("NOT_FOUND");
  });
});

const COLOUR_ADAPTER = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "softmax" },
};

async function uploadColourModel(
  taskId: string,
  model = colourClassifierModel(),
  adapter: unknown = COLOUR_ADAPTER,
): Promise<string> {
  const form = new FormData();
  form.append("adapter", JSON.stringify(adapter));
  form.append("file", new Blob([new Uint8Array(model)]), "colours.onnx");
  const response = await handleModelUpload(
    new Request("http://localhost/upload", { method: "POST", headers: alice.headers, body: form }),
    services,
    { workspaceId, taskId },
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { modelVersion: { id: string } }).modelVersion.id;
}

async function uploadTestSet(taskId: string, files: Record<string, Uint8Array>) {
  const form = new FormData();
  form.append("name", "Colours holdout");
  form.append("file", new Blob([new Uint8Array(zipSync(files))]), "colours.zip");
  const response = await handleTestSetUpload(
    new Request("http://localhost/upload", { method: "POST", headers: alice.headers, body: form }),
    services,
    { workspaceId, taskId },
  );
  return { status: response.status, body: (await response.json()) as Record<string, { id: string; message: string }> };
}

describe("model versions and evaluations", () => {
  test("activating a version names the deployed flows it changes", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Colours A",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    await flowUsing("Live colours", task.id, "red", true);
    await flowUsing("Draft colours", task.id, "red", false);
    const versionId = await uploadColourModel(task.id);
    expect(await alice.caller.modelVersion.affectedFlows({ workspaceId, taskId: task.id })).toEqual([
      expect.objectContaining({ flowName: "Live colours", deployedVersion: 1 }),
    ]);
    const { affectedFlows } = await alice.caller.modelVersion.activate({
      workspaceId,
      taskId: task.id,
      modelVersionId: versionId,
    });
    expect(affectedFlows.map((f) => f.flowName)).toEqual(["Live colours"]);
    const versions = await viewer.caller.modelVersion.list({ workspaceId, taskId: task.id });
    expect(versions.map((v) => [v.version, v.active])).toEqual([[1, true]]);
    const tried = await viewer.caller.modelVersion.try({
      workspaceId,
      taskId: task.id,
      image: Buffer.from(await toPng(solid(16, 16, [10, 220, 10]))).toString("base64"),
    });
    expect(tried.prediction).toMatchObject({ type: "categorization", result: { best_label: { name: "green" } } });
    const broken = await refusal(
      viewer.caller.modelVersion.try({ workspaceId, taskId: task.id, image: "bm90IGFuIGltYWdl" }),
    );
    expect(broken.code).toBe("BAD_REQUEST");
  });

  test("a labelled zip is evaluated with accuracy, confusion matrix and failed images, then deleted with its images", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Colours B",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    const versionId = await uploadColourModel(task.id);
    const png = (rgb: [number, number, number]) => toPng(solid(12, 12, rgb));
    const upload = await uploadTestSet(task.id, {
      "set/red/1.png": await png([250, 0, 0]),
      "set/red/2.png": await png([0, 0, 250]), // labelled red, looks blue: a failure
      "set/green/1.png": await png([0, 250, 0]),
      "set/blue/1.png": await png([0, 0, 240]),
      "__MACOSX/set/red/._1.png": new Uint8Array([0]),
    });
    expect(upload.status).toBe(201);
    const testSetId = upload.body.testSet?.id ?? "";
    expect(await viewer.caller.evaluation.testSets({ workspaceId, taskId: task.id })).toMatchObject([
      { id: testSetId, name: "Colours holdout", imageCount: 4 },
    ]);
    const images = await viewer.caller.evaluation.testSetImages({ workspaceId, testSetId });
    expect(images.map((i) => [i.fileName, i.truth])).toEqual([
      ["set/red/1.png", "red"],
      ["set/red/2.png", "red"],
      ["set/green/1.png", "green"],
      ["set/blue/1.png", "blue"],
    ]);
    const started = await alice.caller.evaluation.start({
      workspaceId,
      taskId: task.id,
      modelVersionId: versionId,
      testSetId,
    });
    expect(started.status).toBe("running");
    let evaluation = await viewer.caller.evaluation.get({ workspaceId, evaluationId: started.id });
    for (let i = 0; i < 100 && evaluation.status === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      evaluation = await viewer.caller.evaluation.get({ workspaceId, evaluationId: started.id });
    }
    expect(evaluation).toMatchObject({ status: "done", processed: 4, total: 4 });
    expect(evaluation.metrics).toMatchObject({
      type: "categorization",
      accuracy: 0.75,
      confusion: {
        labels: ["red", "green", "blue", "(other)"],
        matrix: [
          [1, 0, 1, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
        ],
      },
    });
    expect(evaluation.results.filter((r) => !r.correct)).toMatchObject([
      { fileName: "set/red/2.png", truth: "red", predicted: { label: "blue" } },
    ]);
    const failed = evaluation.results.find((r) => !r.correct);
    const thumbnail = await handleTestSetImage(
      new Request("http://localhost/img", { headers: viewer.headers }),
      services,
      {
        workspaceId,
        testSetId,
        position: String(failed?.position),
      },
    );
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get("content-type")).toBe("image/png");
    const stranger = await signUp(services, "Stranger");
    const hidden = await handleTestSetImage(
      new Request("http://localhost/img", { headers: stranger.headers }),
      services,
      {
        workspaceId,
        testSetId,
        position: "0",
      },
    );
    expect(hidden.status).toBe(404);

    const removed = await alice.caller.evaluation.deleteTestSet({ workspaceId, testSetId });
    expect(removed.imagesDeleted).toBe(4);
    expect(await alice.caller.evaluation.list({ workspaceId, taskId: task.id })).toEqual([]);
    const left = await readdir(path.join(dir, "test-images"), { recursive: true, withFileTypes: true });
    expect(left.filter((e) => e.isFile())).toEqual([]);
  });

  test("a detection test set with COCO annotations is scored with AP per label and mAP", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Squares",
      type: "detection",
      labels: ["square"],
    });
    // Always one square over the middle half of the image, score 0.9.
    const model = fixedSsdModel([[0.1, 0.9]], [[0.25, 0.25, 0.75, 0.75]]);
    const versionId = await uploadColourModel(task.id, model, {
      ...COLOUR_ADAPTER,
      decoder: { id: "ssd", params: { scores: "scores", boxes: "boxes", threshold: 0.5 } },
    });
    const image = await toPng(solid(32, 32, [128, 128, 128]));
    const coco = {
      images: [
        { id: 1, file_name: "a.png" },
        { id: 2, file_name: "b.png" },
        { id: 3, file_name: "c.png" },
      ],
      // a and b: the square where the model puts it; c: somewhere else (a miss and a false positive).
      annotations: [
        { image_id: 1, category_id: 5, bbox: [8, 8, 16, 16] },
        { image_id: 2, category_id: 5, bbox: [8, 8, 16, 16] },
        { image_id: 3, category_id: 5, bbox: [0, 0, 4, 4] },
      ],
      categories: [{ id: 5, name: "square" }],
    };
    const upload = await uploadTestSet(task.id, {
      "a.png": image,
      "b.png": image,
      "c.png": image,
      "annotations.json": new TextEncoder().encode(JSON.stringify(coco)),
    });
    expect(upload.status).toBe(201);
    const started = await alice.caller.evaluation.start({
      workspaceId,
      taskId: task.id,
      modelVersionId: versionId,
      testSetId: upload.body.testSet?.id ?? "",
    });
    let evaluation = await viewer.caller.evaluation.get({ workspaceId, evaluationId: started.id });
    for (let i = 0; i < 100 && evaluation.status === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      evaluation = await viewer.caller.evaluation.get({ workspaceId, evaluationId: started.id });
    }
    // Three equal scores in image order: TP, TP, FP over 3 true squares: precision 1 up to recall 2/3.
    const metrics = evaluation.metrics as { map50: number; labels: { label: string; recall: number }[] };
    expect(evaluation.status).toBe("done");
    expect(metrics.map50).toBeCloseTo(67 / 101, 10);
    expect(metrics.labels[0]).toMatchObject({ label: "square", recall: 2 / 3 });
    expect(evaluation.results.map((r) => r.correct)).toEqual([true, true, false]);
  });

  test("deleting a task deletes its model files and test images unless something else has the same bytes", async () => {
    const files = async (folder: string) =>
      (await readdir(path.join(dir, folder), { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) =>
        e.isFile(),
      ).length;
    const keep = await alice.caller.task.create({
      workspaceId,
      name: "Keeper",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    // Bytes of their own (a dynamic batch axis), shared by these two tasks only.
    const model = colourClassifierModel({ dynamicBatch: true });
    await uploadColourModel(keep.id, model);
    const doomed = await alice.caller.task.create({
      workspaceId,
      name: "Doomed",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    await uploadColourModel(doomed.id, model);
    expect((await uploadTestSet(doomed.id, { "red/1.png": await toPng(solid(5, 5, [255, 0, 0])) })).status).toBe(201);
    const [modelsBefore, imagesBefore] = [await files("blobs"), await files("test-images")];
    await alice.caller.task.delete({ workspaceId, taskId: doomed.id });
    // The model file is shared with "Keeper" and stays; the test image was the doomed task's only.
    expect(await files("blobs")).toBe(modelsBefore);
    expect(await files("test-images")).toBe(imagesBefore - 1);
    await alice.caller.task.delete({ workspaceId, taskId: keep.id });
    expect(await files("blobs")).toBe(modelsBefore - 1);
  });

  test("a zip with a folder that is not a label is refused, naming it, and keeps no image", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Colours C",
      type: "categorization",
      labels: ["red"],
    });
    const imageFiles = async () =>
      (await readdir(path.join(dir, "test-images"), { recursive: true, withFileTypes: true }).catch(() => [])).filter(
        (e) => e.isFile(),
      );
    const before = await imageFiles();
    const upload = await uploadTestSet(task.id, {
      "red/1.png": await toPng(solid(4, 4, [255, 0, 0])),
      "pink/1.png": await toPng(solid(4, 4, [255, 0, 255])),
    });
    expect(upload.status).toBe(400);
    expect(upload.body.error?.message).toBe('folder "pink" is not a label of the task (labels: red)');
    expect(await imageFiles()).toEqual(before);
    const notZip = await handleTestSetUpload(
      new Request("http://localhost/upload", {
        method: "POST",
        headers: alice.headers,
        body: (() => {
          const form = new FormData();
          form.append("file", new Blob(["just text"]), "set.zip");
          return form;
        })(),
      }),
      services,
      { workspaceId, taskId: task.id },
    );
    expect(notZip.status).toBe(400);
    expect(((await notZip.json()) as { error: { message: string } }).error.message).toMatch(/not a zip archive/);
  });
});

/** Every task, model version and evaluation procedure, called on `workspaceId` with otherwise plausible input. */
function taskCalls(
  caller: Caller,
  workspaceId: string,
  ids: { taskId: string },
): Record<string, () => Promise<unknown>> {
  const { taskId } = ids;
  return {
    "task.list": () => caller.task.list({ workspaceId }),
    "task.get": () => caller.task.get({ workspaceId, taskId }),
    "task.create": () => caller.task.create({ workspaceId, name: "Intruder", type: "tagging" }),
    "task.rename": () => caller.task.rename({ workspaceId, taskId, name: "Mine" }),
    "task.addLabels": () => caller.task.addLabels({ workspaceId, taskId, labels: ["x"] }),
    "task.renameLabel": () => caller.task.renameLabel({ workspaceId, taskId, label: "a", name: "b" }),
    "task.deleteLabel": () => caller.task.deleteLabel({ workspaceId, taskId, label: "a" }),
    "task.delete": () => caller.task.delete({ workspaceId, taskId }),
    "modelVersion.list": () => caller.modelVersion.list({ workspaceId, taskId }),
    "modelVersion.form": () => caller.modelVersion.form({ workspaceId }),
    "modelVersion.affectedFlows": () => caller.modelVersion.affectedFlows({ workspaceId, taskId }),
    "modelVersion.activate": () => caller.modelVersion.activate({ workspaceId, taskId, modelVersionId: "v" }),
    "modelVersion.try": () => caller.modelVersion.try({ workspaceId, taskId, image: "AAAA" }),
    "evaluation.testSets": () => caller.evaluation.testSets({ workspaceId, taskId }),
    "evaluation.testSetImages": () => caller.evaluation.testSetImages({ workspaceId, testSetId: "s" }),
    "evaluation.deleteTestSet": () => caller.evaluation.deleteTestSet({ workspaceId, testSetId: "s" }),
    "evaluation.start": () => caller.evaluation.start({ workspaceId, taskId, modelVersionId: "v", testSetId: "s" }),
    "evaluation.list": () => caller.evaluation.list({ workspaceId, taskId }),
    "evaluation.get": () => caller.evaluation.get({ workspaceId, evaluationId: "e" }),
  };
}

describe("isolation", () => {
  test("covers every task, model version and evaluation procedure", () => {
    const mine = Object.keys(appRouter._def.procedures).filter((name) =>
      /^(task|modelVersion|evaluation)\./.test(name),
    );
    expect(Object.keys(taskCalls(alice.caller, workspaceId, { taskId: "t" })).sort()).toEqual(mine.sort());
  });

  test("a member of another workspace gets NOT_FOUND for every call and every upload, and nothing changes", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Private",
      type: "categorization",
      labels: ["a"],
    });
    const stranger = await signUp(services, "Stranger");
    await stranger.caller.workspace.create({ name: "Elsewhere" });
    for (const [name, call] of Object.entries(taskCalls(stranger.caller, workspaceId, { taskId: task.id }))) {
      const error = await refusal(call());
      expect({ name, code: error.code }).toEqual({ name, code: "NOT_FOUND" });
    }
    const form = new FormData();
    form.append("adapter", "{}");
    form.append("file", new Blob(["x"]), "m.onnx");
    const upload = await handleModelUpload(
      new Request("http://localhost/upload", { method: "POST", headers: stranger.headers, body: form }),
      services,
      { workspaceId, taskId: task.id },
    );
    expect(upload.status).toBe(404);
    expect(await alice.caller.task.get({ workspaceId, taskId: task.id })).toMatchObject({
      name: "Private",
      labels: ["a"],
    });
  });
});
