/**
 * Measures the model runtime's pieces on the real models (not a test):
 *   npx tsx flow-engine/bench/measure-runtime.ts [iterations]
 * Prints median milliseconds for image decoding, preprocessing (JS bilinear vs sharp), session
 * creation, inference per model (inside the worker and end to end) and output decoding.
 */
import { readFileSync } from "node:fs";
import ort from "onnxruntime-node";
import type { DecoderDefinition, Tensor } from "@vizflow/sdk";
import { adapterTensorSpec } from "../src/runtime/adapter.js";
import { DecoderRegistry } from "../src/runtime/decoders/registry.js";
import { decodeImage } from "../src/runtime/image/decode.js";
import { preprocessRegion } from "../src/runtime/image/preprocess.js";
import { DecodedScopeImage } from "../src/runtime/image/scope-image.js";
import { DEFAULT_SESSION_OPTIONS } from "../src/runtime/inference/inference-pool.js";
import { InMemoryModelStore } from "../src/runtime/model-store.js";
import { ModelRuntime } from "../src/runtime/model-runtime.js";
import { realModelsDir, realModelVersions } from "../src/testing/real-models.js";

const iterations = Number(process.argv[2] ?? 20);
const dir = realModelsDir();
if (!dir) {
  console.error("../shared/models is not present; nothing to measure");
  process.exit(1);
}
const models = realModelVersions(dir);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function time(label: string, fn: () => unknown, n = iterations): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  const ms = median(samples);
  console.log(`${label.padEnd(58)} ${ms.toFixed(2).padStart(8)} ms`);
  return ms;
}

const photo = readFileSync(`${dir}imgs/yolox_dog.jpg`);
const root = await decodeImage(photo);
const whole = { left: 0, top: 0, width: root.width, height: root.height };
console.log(`photo imgs/yolox_dog.jpg ${root.width}x${root.height}, ${iterations} iterations, median`);

await time("decode JPEG (sharp, EXIF rotate, ICC ignored)", () => decodeImage(photo));
await time("decode JPEG (sharp, ICC conversion on)", () => decodeImage(photo, { iccConversion: true }));

for (const [name, id] of [
  ["YOLOX letterbox 416", "yolox"],
  ["MobileNetV2 center-crop 224", "mobilenetv2"],
  ["UltraFace stretch 320x240", "ultraface"],
] as const) {
  const spec = adapterTensorSpec(models[id].adapter);
  await time(`preprocess ${name}, JS bilinear (default)`, () => preprocessRegion(root, whole, spec));
  await time(`preprocess ${name}, sharp linear`, () =>
    preprocessRegion(root, whole, { ...spec, interpolation: "sharp-linear" }),
  );
}

for (const id of ["yolox", "mobilenetv2", "ultraface"] as const) {
  const path = models[id].file.path;
  await time(
    `session create ${id} (main thread)`,
    async () => (await ort.InferenceSession.create(path, DEFAULT_SESSION_OPTIONS)).release(),
    3,
  );
}

const runtime = new ModelRuntime({ store: new InMemoryModelStore(Object.values(models)), pool: { size: 2 } });
for (const id of ["yolox", "mobilenetv2", "ultraface", "ultraface-raw"] as const) {
  const t = performance.now();
  await runtime.warm([id]);
  console.log(
    `${`warm ${id} (load into 2 workers, first incl. worker start)`.padEnd(58)} ${(performance.now() - t).toFixed(2).padStart(8)} ms`,
  );
}

const image = DecodedScopeImage.fromDecoded(root);
for (const id of ["yolox", "mobilenetv2", "ultraface", "ultraface-raw"] as const) {
  const before = runtime.pool.stats();
  await time(`predict ${id} end to end (preprocess + worker run + decode)`, () => runtime.predict(id, image));
  const after = runtime.pool.stats();
  console.log(
    `${`  of which session.run in the worker (mean)`.padEnd(58)} ${((after.runMs - before.runMs) / (after.runs - before.runs)).toFixed(2).padStart(8)} ms`,
  );
}

const crops = [0, 1, 2, 3].map((i) => image.crop([i * 150, 100, i * 150 + 200, 400]));
await time("mobilenetv2 x4 crops, one batched run", () => runtime.predictMany("mobilenetv2", crops));
await time("mobilenetv2 x4 crops, four runs (sequential)", async () => {
  for (const crop of crops) await runtime.predict("mobilenetv2", crop);
});

const decoders = new DecoderRegistry();
for (const id of ["yolox", "ultraface", "ultraface-raw", "mobilenetv2"] as const) {
  const model = await runtime.model(id);
  const { tensor, transform } = await image.toTensor(model.spec);
  const session = await ort.InferenceSession.create(models[id].file.path, DEFAULT_SESSION_OPTIONS);
  const results = await session.run({
    [model.version.adapter.input]: new ort.Tensor("float32", tensor.data, [...tensor.dims]),
  });
  const outputs: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(results)) outputs[name] = { data: t.data as Float32Array, dims: t.dims };
  const decoder = decoders.get(model.version.adapter.decoder.id) as DecoderDefinition;
  await time(`decode outputs ${id} (${decoder.id})`, () =>
    decoder.decode({
      outputs,
      params: model.version.adapter.decoder.params ?? {},
      labels: model.labels,
      taskType: model.version.taskType,
      transform,
      inputWidth: model.version.adapter.width,
      inputHeight: model.version.adapter.height,
    }),
  );
  await session.release();
}
await runtime.close();
