import { readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { createApiToken } from "@vizflow/db";
import { applyLabelRenames, parseLabelList, proposeLabelRenames } from "@vizflow/sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ADAPTER_PRESETS, type AdapterValues } from "../_components/tasks/adapter-presets";
import { colourClassifierModel } from "../../flow-engine/src/testing/tiny-models";
import { cocoLabels, REAL_MODELS_MISSING, realModelsDir } from "../../flow-engine/src/testing/real-models";
import { TRPCError } from "@trpc/server";
import { fieldErrorsOf } from "./trpc";
import { setModelServices, type ModelServices } from "./model-services";
import { handleModelUpload } from "./model-upload-route";
import { createTestServices, useTestModelServices, signUp, type TestServices, type TestUser } from "./testing";

// Uploads go through the route handler the browser's form posts to (multipart, streamed), as the UI does.

let services: TestServices;
let models: ModelServices;
let alice: TestUser;
let workspaceId: string;
let dir: string;

beforeAll(async () => {
  services = await createTestServices();
  ({ models, dir } = await useTestModelServices(services.database, "upload"));
  alice = await signUp(services, "Alice");
  workspaceId = (await alice.caller.workspace.create({ name: "Models" })).id;
});
afterAll(async () => {
  await models.runtime.close();
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

function preset(id: string): AdapterValues {
  const found = ADAPTER_PRESETS.find((p) => p.id === id);
  if (!found) throw new Error(`no preset ${id}`);
  return structuredClone(found.adapter);
}

interface UploadAnswer {
  status: number;
  body: {
    modelVersion?: { id: string; version: number; fileSha256: string; active: boolean };
    error?: { code: string; message: string; problems?: { code: string; message: string }[] };
  };
}

async function upload(
  taskId: string,
  adapter: unknown,
  file: Uint8Array,
  options: { activate?: boolean; headers?: Headers } = {},
): Promise<UploadAnswer> {
  const form = new FormData();
  form.append("adapter", JSON.stringify(adapter));
  if (options.activate) form.append("activate", "true");
  form.append("file", new Blob([new Uint8Array(file)]), "model.onnx");
  const request = new Request(`http://localhost/api/workspaces/${workspaceId}/tasks/${taskId}/model-versions`, {
    method: "POST",
    headers: options.headers ?? alice.headers,
    body: form,
  });
  const response = await handleModelUpload(request, services, { workspaceId, taskId });
  return { status: response.status, body: (await response.json()) as UploadAnswer["body"] };
}

/** Files under the model blob store, temp files included. */
function storedFiles(): string[] {
  const root = path.join(dir, "blobs");
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

async function newTask(name: string, type: "categorization" | "detection", labels: readonly string[]) {
  return alice.caller.task.create({ workspaceId, name, type, labels: [...labels] });
}

/** The message a refused tRPC call shows under its labels field (as the browser gets it). */
async function labelsRefusal(call: Promise<unknown>): Promise<string | undefined> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error("expected the call to be refused");
  return fieldErrorsOf(error).labels?.[0];
}

async function expectRefused(taskId: string, adapter: unknown, file: Uint8Array, message: RegExp): Promise<void> {
  const before = storedFiles();
  const answer = await upload(taskId, adapter, file);
  expect(answer.status).toBe(400);
  expect(answer.body.error?.message).toMatch(message);
  expect(await alice.caller.modelVersion.list({ workspaceId, taskId })).toEqual([]);
  expect(storedFiles()).toEqual(before);
}

const colourAdapter = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "softmax" },
} as const;

describe("model upload refusals (tiny models)", () => {
  test("a wrong input size names the model's shape and the adapter's size, and keeps nothing", async () => {
    const task = await newTask("colours-size", "categorization", ["red", "green", "blue"]);
    await expectRefused(
      task.id,
      { ...colourAdapter, width: 224, height: 224 },
      colourClassifierModel(),
      /^input "input" is \[1,3,8,8\], the adapter says 224x224 with 3 channels \(NCHW\)$/,
    );
  });

  test("a label count that differs from the model's classes is refused, naming the fields as the dialog does", async () => {
    const task = await newTask("colours-labels", "categorization", ["red", "green"]);
    await expectRefused(
      task.id,
      colourAdapter,
      colourClassifierModel(),
      /^The model outputs 3 classes but the task has 2 labels\. Give the task one label per output, in output order, or list the model's 3 classes in Output classes/,
    );
    await expectRefused(
      task.id,
      { ...colourAdapter, labels: ["red", "green", "", ""] },
      colourClassifierModel(),
      /^The model outputs 3 classes but Output classes lists 4\. List one class per output/,
    );
  });

  test("Output classes that repeat a name or name labels the task lacks are refused before the file is stored", async () => {
    const task = await newTask("colours-classes", "categorization", ["red", "green", "blue"]);
    await expectRefused(
      task.id,
      { ...colourAdapter, labels: ["red", "red", "blue"] },
      colourClassifierModel(),
      /^Output classes name "red" \(outputs 1 and 2\) more than once; each must be unique, so rename the repeats, e\.g\. "red \(2\)"\.$/,
    );
    await expectRefused(
      task.id,
      { ...colourAdapter, labels: ["n01 red, crimson", "green", "n03 blue"] },
      colourClassifierModel(),
      /^Output classes name 2 labels the task does not have: "n01 red, crimson" and "n03 blue"\. Each output class must be one of the task's 3 labels/,
    );
    // An empty class drops that output; the others map onto the task's labels in their own order.
    const answer = await upload(task.id, { ...colourAdapter, labels: ["blue", "", "red"] }, colourClassifierModel());
    expect(answer.status).toBe(201);
  });

  test("a task's labels that repeat a name are refused, naming them and the fix", async () => {
    expect(
      await labelsRefusal(
        alice.caller.task.create({
          workspaceId,
          name: "twice",
          type: "categorization",
          labels: ["crane", "heron", "crane"],
        }),
      ),
    ).toBe(
      'The label "crane" (lines 1 and 3) appears more than once; each label must be unique, so rename the repeats, e.g. "crane (2)".',
    );
    expect((await alice.caller.task.list({ workspaceId, search: "twice" })).length).toBe(0);
    const task = await newTask("birds", "categorization", ["crane", "heron"]);
    await expect(
      alice.caller.task.addLabels({ workspaceId, taskId: task.id, labels: ["crane", "stork"] }),
    ).rejects.toThrow('The task already has the label "crane"; rename the new one, e.g. "crane (2)".');
    expect((await alice.caller.task.get({ workspaceId, taskId: task.id })).labels).toEqual(["crane", "heron"]);
  });

  test("a text file renamed .onnx is refused as text", async () => {
    const task = await newTask("colours-text", "categorization", ["red", "green", "blue"]);
    const text = new TextEncoder().encode("these are my notes, not a model\n".repeat(20));
    await expectRefused(task.id, colourAdapter, text, /^The file is text, not an ONNX model/);
  });

  test("a truncated ONNX file is refused as damaged", async () => {
    const task = await newTask("colours-cut", "categorization", ["red", "green", "blue"]);
    const model = colourClassifierModel();
    await expectRefused(
      task.id,
      colourAdapter,
      model.subarray(0, Math.floor(model.length * 0.6)),
      /^The file is not an ONNX model onnxruntime can load \(damaged or cut short\?\)/,
    );
  });

  test("an invalid adapter is refused before the file is stored", async () => {
    const task = await newTask("colours-adapter", "categorization", ["red", "green", "blue"]);
    await expectRefused(
      task.id,
      { ...colourAdapter, decoder: { id: "yolox" } },
      colourClassifierModel(),
      /decodes detection results, not categorization/,
    );
  });

  test("a file over the size limit is refused with 413 and leaves nothing", async () => {
    const task = await newTask("colours-big", "categorization", ["red", "green", "blue"]);
    setModelServices(services.database, { ...models, limits: { ...models.limits, modelBytes: 100 } });
    try {
      const before = storedFiles();
      const answer = await upload(task.id, colourAdapter, colourClassifierModel());
      expect(answer.status).toBe(413);
      expect(answer.body.error?.message).toBe("The file is larger than the limit of 100 bytes.");
      expect(storedFiles()).toEqual(before);
    } finally {
      setModelServices(services.database, models);
    }
  });

  test("a valid upload numbers versions per task, and an API token uploads through the same route", async () => {
    const task = await newTask("colours", "categorization", ["red", "green", "blue"]);
    const first = await upload(task.id, colourAdapter, colourClassifierModel(), { activate: true });
    expect(first.status).toBe(201);
    expect(first.body.modelVersion).toMatchObject({ version: 1, active: true });
    const { key } = await createApiToken(services.database.db, workspaceId, { name: "ci", createdBy: alice.id });
    const second = await upload(task.id, colourAdapter, colourClassifierModel({ size: 8 }), {
      headers: new Headers({ authorization: `Token ${key}` }),
    });
    expect(second.status).toBe(201);
    expect(second.body.modelVersion).toMatchObject({ version: 2, active: false });
    // Same bytes: one file in the store.
    expect(second.body.modelVersion?.fileSha256).toBe(first.body.modelVersion?.fileSha256);
    const bad = await upload(task.id, colourAdapter, colourClassifierModel(), {
      headers: new Headers({ authorization: "Token vf_nope" }),
    });
    expect(bad.status).toBe(401);
  });
});

const real = realModelsDir();

describe.skipIf(real === undefined)(`real models from ../shared/models (${REAL_MODELS_MISSING} when absent)`, () => {
  const models = real ?? "";
  const photo = (name: string) => readFileSync(path.join(models, "imgs", name)).toString("base64");

  test("MobileNetV2 with the ImageNet preset, on a task made from the synset file, validates and names task labels", async () => {
    // As the New task dialog does: the synset file parsed (ids stripped, first names), the two repeated
    // names (crane, maillot) renamed by the proposed fix: 1000 distinct labels in output order.
    const parsed = parseLabelList(readFileSync(path.join(models, "labels/onnx_models_synset.txt"), "utf8"));
    expect(parsed.repeated.map((r) => r.name)).toEqual(["crane", "maillot"]);
    const names = parsed.labels.map((l) => l.name);
    const labels = applyLabelRenames(names, proposeLabelRenames(parsed.labels));
    expect(labels).toHaveLength(1000);
    const merged = await labelsRefusal(
      alice.caller.task.create({ workspaceId, name: "imagenet-repeats", type: "categorization", labels: names }),
    );
    expect(merged).toMatch(
      /^The labels "crane" \(lines 135 and 518\) and "maillot" \(lines 639 and 640\) appear more than once/,
    );
    const task = await newTask("imagenet", "categorization", labels);
    const mobilenet = readFileSync(path.join(models, "mobilenetv2/mobilenetv2-12-int8.onnx"));
    // The old workaround, raw synset lines in Output classes, is refused naming the field.
    await expectRefused(
      task.id,
      {
        ...preset("imagenet"),
        labels: readFileSync(path.join(models, "labels/onnx_models_synset.txt"), "utf8").trim().split("\n"),
      },
      mobilenet,
      /^Output classes name 1000 labels the task does not have: "n01440764 tench, Tinca tinca"/,
    );
    const answer = await upload(task.id, preset("imagenet"), mobilenet);
    expect(answer.status).toBe(201);
    const versionId = answer.body.modelVersion?.id ?? "";
    const { affectedFlows } = await alice.caller.modelVersion.activate({
      workspaceId,
      taskId: task.id,
      modelVersionId: versionId,
    });
    expect(affectedFlows).toEqual([]);
    const result = await alice.caller.modelVersion.try({ workspaceId, taskId: task.id, image: photo("ortex_cat.jpg") });
    expect(result.prediction.type).toBe("categorization");
    if (result.prediction.type !== "categorization") return;
    const best = result.prediction.result.best_label.name;
    expect(labels).toContain(best);
    // ImageNet's domestic cats (classes 281 to 285), named as the task names them, never "n02123045 tabby, tabby cat".
    expect(["tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"]).toContain(best);
    expect(result.prediction.result.labels.every((l) => labels.includes(l.name))).toBe(true);
    expect(result.timing.totalMs).toBeGreaterThan(0);
  });

  test("YOLOX nano with the YOLOX preset finds the dog and the bicycle", async () => {
    const task = await newTask("coco", "detection", cocoLabels(models));
    const answer = await upload(task.id, preset("yolox"), readFileSync(path.join(models, "yolox/yolox_nano.onnx")), {
      activate: true,
    });
    expect(answer.status).toBe(201);
    const result = await alice.caller.modelVersion.try({ workspaceId, taskId: task.id, image: photo("yolox_dog.jpg") });
    if (result.prediction.type !== "detection") throw new Error("expected detections");
    const names = result.prediction.result.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(["dog", "bicycle"]));
  });

  test("UltraFace RFB-320 with the UltraFace preset finds faces", async () => {
    const task = await newTask("faces", "detection", ["face"]);
    const answer = await upload(
      task.id,
      preset("ultraface"),
      readFileSync(path.join(models, "ultraface/version-RFB-320.onnx")),
      {
        activate: true,
      },
    );
    expect(answer.status).toBe(201);
    const result = await alice.caller.modelVersion.try({
      workspaceId,
      taskId: task.id,
      image: photo("onnxjsdemo_neutral.jpg"),
    });
    if (result.prediction.type !== "detection") throw new Error("expected detections");
    expect(result.prediction.result.length).toBeGreaterThanOrEqual(1);
    expect(result.prediction.result[0]?.name).toBe("face");
  });

  test("YOLOX with a 224x224 adapter is refused naming the model's real input", async () => {
    const task = await newTask("coco-wrong", "detection", cocoLabels(models));
    await expectRefused(
      task.id,
      { ...preset("yolox"), width: 224, height: 224 },
      readFileSync(path.join(models, "yolox/yolox_nano.onnx")),
      /^input "images" is \[1,3,416,416\], the adapter says 224x224 with 3 channels \(NCHW\)$/,
    );
  });
});
