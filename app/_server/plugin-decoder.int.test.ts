/**
 * The app's model runtime (upload checks, model tries, evaluations) knows the plugins' decoders: an upload whose
 * adapter names an enabled plugin's decoder is accepted, a try and an evaluation of it use that decoder; one
 * naming a disabled plugin's decoder is refused with the plugin's name and reason.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { solid, toPng } from "../../flow-engine/src/testing/images";
import { COLOUR_CLASSIFIER_ADAPTER, colourClassifierModel } from "../../flow-engine/src/testing/tiny-models";
import { modelServicesFor, type ModelServices } from "./model-services";
import { handleModelUpload } from "./model-upload-route";
import { handleTestSetUpload } from "./test-set-routes";
import { createTestServices, signUp, type TestServices, type TestUser } from "./testing";
import { writePluginFolder } from "../../flow-engine/src/testing/plugin-folder";

// Picks the label the model likes least, with the confidence its params give: nothing a built-in decoder says.
const LEAST_LIKELY = `{
  id: "least-likely", title: "Least likely", taskTypes: ["categorization"],
  params: { type: "object", properties: { confidence: { type: "number", minimum: 0, maximum: 1,
    description: "The probability given to the least likely label." } }, required: ["confidence"] },
  decode: ({ outputs, labels, params }) => {
    const logits = Object.values(outputs)[0].data;
    let least = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i] < logits[least]) least = i;
    const best = { name: labels[least], prob: params.confidence };
    return { type: "categorization", result: { best_label: best, labels: [best] } };
  },
}`;

let pluginDir: string;
let services: TestServices;
let models: ModelServices;
const saved = { VIZFLOW_PLUGINS: process.env.VIZFLOW_PLUGINS, VIZFLOW_DATA_DIR: process.env.VIZFLOW_DATA_DIR };
let alice: TestUser;
let workspaceId: string;
let taskId: string;

beforeAll(async () => {
  pluginDir = mkdtempSync(path.join(tmpdir(), "vizflow-plugin-decoder-"));
  const contrary = writePluginFolder(
    pluginDir,
    "contrary",
    "^1",
    `export default { name: "contrary", title: "Contrary", actions: [], decoders: [${LEAST_LIKELY}] };`,
  );
  const future = writePluginFolder(
    pluginDir,
    "future",
    "^2",
    `export default { name: "future", title: "Future", actions: [],
      decoders: [{ id: "future-probs", title: "Future", params: { type: "object" }, taskTypes: ["categorization"],
        decode: () => ({ type: "categorization", result: { best_label: { name: "red", prob: 1 }, labels: [] } }) }] };`,
  );
  // Read once, by the first model services of this file (the plugins are process-wide). The model services are
  // the ones every request handler gets, over blob folders under VIZFLOW_DATA_DIR.
  Object.assign(process.env, { VIZFLOW_PLUGINS: [contrary, future].join(","), VIZFLOW_DATA_DIR: pluginDir });
  services = await createTestServices();
  models = await modelServicesFor(services.database);
  alice = await signUp(services, "Alice");
  workspaceId = (await alice.caller.workspace.create({ name: "Plugin decoders" })).id;
  taskId = (
    await alice.caller.task.create({
      workspaceId,
      name: "Colours",
      type: "categorization",
      labels: ["red", "green", "blue"],
    })
  ).id;
});

afterAll(async () => {
  await models?.runtime.close();
  await services?.close();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(pluginDir, { recursive: true, force: true });
});

async function upload(decoder: { id: string; params?: Record<string, unknown> }) {
  const form = new FormData();
  form.append("adapter", JSON.stringify({ ...COLOUR_CLASSIFIER_ADAPTER, scale: 1 / 255, decoder }));
  form.append("file", new Blob([new Uint8Array(colourClassifierModel())]), "colours.onnx");
  const response = await handleModelUpload(
    new Request("http://localhost/upload", { method: "POST", headers: alice.headers, body: form }),
    services,
    { workspaceId, taskId },
  );
  return {
    status: response.status,
    body: (await response.json()) as { modelVersion?: { id: string }; error?: { message: string } },
  };
}

describe("plugin decoders in the app's model runtime", () => {
  test("the upload form offers an enabled plugin's decoder with its params schema, not a disabled one's", async () => {
    const form = await alice.caller.modelVersion.form({ workspaceId });
    expect(form.decoders).toContainEqual(
      expect.objectContaining({
        id: "least-likely",
        title: "Least likely",
        taskTypes: ["categorization"],
        params: expect.objectContaining({ required: ["confidence"] }) as unknown,
      }),
    );
    expect(form.decoders.map((d) => d.id)).not.toContain("future-probs");
  });

  test("an upload naming a plugin's decoder is accepted, and a try answers with that decoder's output", async () => {
    const uploaded = await upload({ id: "least-likely", params: { confidence: 0.25 } });
    expect(uploaded.body.error).toBeUndefined();
    expect(uploaded.status).toBe(201);
    const modelVersionId = uploaded.body.modelVersion?.id;
    expect(modelVersionId).toBeDefined();
    // Red is the least of this colour (softmax would say green).
    const image = Buffer.from(await toPng(solid(16, 16, [0, 200, 100]))).toString("base64");
    const tried = await alice.caller.modelVersion.try({ workspaceId, taskId, modelVersionId, image });
    expect(tried.prediction).toEqual({
      type: "categorization",
      result: { best_label: { name: "red", prob: 0.25 }, labels: [{ name: "red", prob: 0.25 }] },
    });
  });

  test("an evaluation of that model version is scored on the plugin decoder's predictions", async () => {
    const uploaded = await upload({ id: "least-likely", params: { confidence: 0.5 } });
    const modelVersionId = uploaded.body.modelVersion?.id ?? "";
    const png = (rgb: [number, number, number]) => toPng(solid(12, 12, rgb));
    const form = new FormData();
    form.append("name", "Least likely holdout");
    const files = {
      "set/red/1.png": await png([0, 200, 100]),
      "set/blue/1.png": await png([200, 150, 0]),
      "set/green/1.png": await png([0, 250, 0]), // red and blue tie for least: the decoder says red
    };
    form.append("file", new Blob([new Uint8Array(zipSync(files))]), "holdout.zip");
    const testSet = await handleTestSetUpload(
      new Request("http://localhost/upload", { method: "POST", headers: alice.headers, body: form }),
      services,
      { workspaceId, taskId },
    );
    expect(testSet.status).toBe(201);
    const testSetId = ((await testSet.json()) as { testSet: { id: string } }).testSet.id;
    const started = await alice.caller.evaluation.start({ workspaceId, taskId, modelVersionId, testSetId });
    let evaluation = await alice.caller.evaluation.get({ workspaceId, evaluationId: started.id });
    for (let i = 0; i < 100 && evaluation.status === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      evaluation = await alice.caller.evaluation.get({ workspaceId, evaluationId: started.id });
    }
    // Softmax would have got only green right (accuracy 1/3).
    expect(evaluation).toMatchObject({ status: "done", processed: 3, total: 3 });
    expect(evaluation.metrics).toMatchObject({ type: "categorization", accuracy: 2 / 3 });
    expect(evaluation.results.filter((r) => !r.correct)).toMatchObject([
      { fileName: "set/green/1.png", truth: "green", predicted: { label: "red" } },
    ]);
  });

  test("an upload whose params break the plugin decoder's schema is refused naming the param", async () => {
    const refused = await upload({ id: "least-likely", params: { confidence: 2 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toMatch(/decoder "least-likely" params\/confidence: must be <= 1/);
  });

  test("an upload naming a disabled plugin's decoder is refused with the plugin's reason", async () => {
    const refused = await upload({ id: "future-probs" });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toMatch(
      /decoder "future-probs" is provided by plugin "future" .*which is disabled: requires engine \^2/,
    );
    expect(refused.body.error?.message).not.toMatch(/unknown decoder/);
  });
});
