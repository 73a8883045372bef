/**
 * The runtime on the real models of ../shared/models, checked against what their README recipes
 * give. Skips (with the reason) where that folder is absent.
 */
import { readFileSync } from "node:fs";
import ort from "onnxruntime-node";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import type { BoundingBox, DetectedObject, TaskPrediction } from "@vizflow/sdk";
import { realModelsDir, realModelVersions, REAL_MODELS_MISSING, cocoLabels } from "../testing/real-models.js";
import { DecodedScopeImage } from "./image/scope-image.js";
import { InMemoryModelStore } from "./model-store.js";
import { ModelRuntime } from "./model-runtime.js";

const dir = realModelsDir();
if (!dir) console.warn(`real-models.int.test.ts ${REAL_MODELS_MISSING}`);

function objects(p: TaskPrediction): DetectedObject[] {
  if (p.type !== "detection") throw new Error(`expected a detection, got ${p.type}`);
  return p.result;
}

function top1(p: TaskPrediction): string {
  if (p.type !== "categorization") throw new Error(`expected a categorization, got ${p.type}`);
  return p.result.best_label.name;
}

/** OpenCV's INTER_LINEAR (half-pixel centres, no antialiasing) on interleaved RGB, rounded to bytes. */
function cvResizeLinear(src: Uint8Array, w: number, h: number, dw: number, dh: number): Uint8Array {
  const out = new Uint8Array(dw * dh * 3);
  const axis = (d: number, scale: number, size: number): [number, number, number] => {
    let f = (d + 0.5) * scale - 0.5;
    if (f < 0) f = 0;
    let i = Math.floor(f);
    let t = f - i;
    if (i >= size - 1) [i, t] = [size - 1, 0];
    return [i, Math.min(i + 1, size - 1), t];
  };
  for (let y = 0; y < dh; y++) {
    const [y0, y1, ty] = axis(y, h / dh, h);
    for (let x = 0; x < dw; x++) {
      const [x0, x1, tx] = axis(x, w / dw, w);
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => src[(yy * w + xx) * 3 + c] as number;
        const top = p(y0, x0) * (1 - tx) + p(y0, x1) * tx;
        const bottom = p(y1, x0) * (1 - tx) + p(y1, x1) * tx;
        out[(y * dw + x) * 3 + c] = Math.round(top * (1 - ty) + bottom * ty);
      }
    }
  }
  return out;
}

/**
 * The YOLOX nano recipe of the README, written out directly on onnxruntime-node and sharp: per-class NMS, or
 * with `demo` YOLOX's own demo (`multiclass_nms`, class-agnostic: each cell's best class, NMS across classes).
 */
async function yoloxReference(imagePath: string, modelPath: string, labels: readonly string[], demo = false) {
  const { data, info } = await sharp(readFileSync(imagePath), { autoOrient: true, ignoreIcc: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const [w, h, S] = [info.width, info.height, 416];
  const r = Math.min(S / h, S / w);
  const [nw, nh] = [Math.floor(w * r), Math.floor(h * r)];
  const resized = cvResizeLinear(data, w, h, nw, nh);
  const input = new Float32Array(3 * S * S).fill(114);
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++) {
      const s = (y * nw + x) * 3;
      for (let c = 0; c < 3; c++) input[c * S * S + y * S + x] = resized[s + 2 - c] as number; // BGR
    }
  }
  const session = await ort.InferenceSession.create(modelPath, { logSeverityLevel: 3 });
  const result = await session.run({ images: new ort.Tensor("float32", input, [1, 3, S, S]) });
  await session.release();
  const out = result["output"]?.data as Float32Array;
  const found: { label: number; score: number; box: BoundingBox }[] = [];
  let row = 0;
  for (const stride of [8, 16, 32]) {
    const g = S / stride;
    for (let gy = 0; gy < g; gy++) {
      for (let gx = 0; gx < g; gx++, row++) {
        const o = row * 85;
        const cx = ((out[o] as number) + gx) * stride;
        const cy = ((out[o + 1] as number) + gy) * stride;
        const bw = Math.exp(out[o + 2] as number) * stride;
        const bh = Math.exp(out[o + 3] as number) * stride;
        const best = [...Array(80).keys()].reduce((b, c) =>
          (out[o + 5 + c] as number) > (out[o + 5 + b] as number) ? c : b,
        );
        for (let c = 0; c < 80; c++) {
          if (demo && c !== best) continue;
          const score = (out[o + 4] as number) * (out[o + 5 + c] as number);
          if (score > 0.3) {
            found.push({
              label: c,
              score,
              box: [(cx - bw / 2) / r, (cy - bh / 2) / r, (cx + bw / 2) / r, (cy + bh / 2) / r],
            });
          }
        }
      }
    }
  }
  const overlap = (a: BoundingBox, b: BoundingBox) => {
    const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const area = (x: BoundingBox) => (x[2] - x[0]) * (x[3] - x[1]);
    return (iw * ih) / (area(a) + area(b) - iw * ih);
  };
  const kept: typeof found = [];
  for (const d of found.sort((a, b) => b.score - a.score)) {
    if (!kept.some((k) => (demo || k.label === d.label) && overlap(k.box, d.box) > 0.45)) kept.push(d);
  }
  // The runtime keeps boxes inside the image; so does the comparison.
  const clip = (b: BoundingBox): BoundingBox => [
    Math.max(0, Math.min(w, b[0])),
    Math.max(0, Math.min(h, b[1])),
    Math.max(0, Math.min(w, b[2])),
    Math.max(0, Math.min(h, b[3])),
  ];
  return kept.map((k) => ({ name: labels[k.label] as string, prob: k.score, box: clip(k.box) }));
}

describe.skipIf(!dir)("model runtime on real models (../shared/models)", () => {
  const models = dir ? realModelVersions(dir) : undefined;
  const demo = models && {
    ...models.yolox,
    id: "yolox-demo",
    adapter: {
      ...models.yolox.adapter,
      decoder: { id: "yolox", params: { threshold: 0.3, iou: 0.45, rule: "reference" } },
    },
  };
  const runtime = new ModelRuntime({
    store: new InMemoryModelStore(models && demo ? [...Object.values(models), demo] : []),
  });
  afterAll(() => runtime.close());
  const image = (path: string) => DecodedScopeImage.decode(readFileSync(`${dir}${path}`));

  it("UltraFace RFB-320 finds the 4 faces of ultraface/imgs/2.jpg", async () => {
    const faces = objects(await runtime.predict("ultraface", await image("ultraface/imgs/2.jpg")));
    expect(faces).toHaveLength(4);
    for (const face of faces) {
      expect(face.name).toBe("face");
      expect(face.prob).toBeGreaterThan(0.7);
    }
  });

  it("UltraFace without post-processing, decoded against its priors, finds the same 4 faces", async () => {
    const img = await image("ultraface/imgs/2.jpg");
    const processed = objects(await runtime.predict("ultraface", img)).sort((a, b) => a.bound_box[0] - b.bound_box[0]);
    const raw = objects(await runtime.predict("ultraface-raw", img)).sort((a, b) => a.bound_box[0] - b.bound_box[0]);
    expect(raw).toHaveLength(4);
    raw.forEach((face, i) => {
      face.bound_box.forEach((v, j) =>
        expect(Math.abs(v - (processed[i]?.bound_box[j] ?? Number.NaN))).toBeLessThan(1),
      );
    });
  });

  it("YOLOX nano finds the dog, bicycle and car of imgs/yolox_dog.jpg within 2 px of the README recipe", async () => {
    const found = objects(await runtime.predict("yolox", await image("imgs/yolox_dog.jpg")));
    expect(found.map((o) => o.name)).toEqual(expect.arrayContaining(["dog", "bicycle", "car"]));
    const reference = await yoloxReference(
      `${dir}imgs/yolox_dog.jpg`,
      `${dir}yolox/yolox_nano.onnx`,
      cocoLabels(dir as string),
    );
    expect(found).toHaveLength(reference.length);
    for (const ref of reference) {
      const match = found.find(
        (o) => o.name === ref.name && o.bound_box.every((v, i) => Math.abs(v - (ref.box[i] as number)) <= 2),
      );
      expect(match, `no ${ref.name} within 2 px of [${ref.box.map((v) => v.toFixed(1)).join(", ")}]`).toBeDefined();
      expect(Math.abs((match as DetectedObject).prob - ref.prob)).toBeLessThan(0.03);
    }
  });

  it.each(["imgs/yolox_dog.jpg", "imgs/ortex_test_object_detection_0.jpg", "fastestdet/3.jpg"])(
    "YOLOX nano with the reference rule finds on %s what YOLOX's demo finds, within 2 px",
    async (photo) => {
      const found = objects(await runtime.predict("yolox-demo", await image(photo)));
      const demo = await yoloxReference(
        `${dir}${photo}`,
        `${dir}yolox/yolox_nano.onnx`,
        cocoLabels(dir as string),
        true,
      );
      expect(found).toHaveLength(demo.length);
      for (const ref of demo) {
        const match = found.find(
          (o) => o.name === ref.name && o.bound_box.every((v, i) => Math.abs(v - (ref.box[i] as number)) <= 2),
        );
        expect(match, `no ${ref.name} within 2 px of [${ref.box.map((v) => v.toFixed(1)).join(", ")}]`).toBeDefined();
      }
      const perClass = objects(await runtime.predict("yolox", await image(photo)));
      expect(perClass.length).toBeGreaterThanOrEqual(found.length);
    },
  );

  it("MobileNetV2 classifies imgs/ortex_cat.jpg as a cat", async () => {
    const label = top1(await runtime.predict("mobilenetv2", await image("imgs/ortex_cat.jpg")));
    expect(["tabby, tabby cat", "tiger cat", "Persian cat", "Siamese cat, Siamese", "Egyptian cat"]).toContain(label);
  });

  it("MobileNetV2 classifies the crops YOLOX finds in imgs/ortex_wolves.jpg as wolves, in one batch", async () => {
    const record = await image("imgs/ortex_wolves.jpg");
    const animals = objects(await runtime.predict("yolox", record));
    expect(animals.length).toBeGreaterThanOrEqual(2);
    const runs = runtime.pool.stats().runs;
    const labels = (
      await runtime.predictMany(
        "mobilenetv2",
        animals.map((a) => record.crop(a.bound_box)),
      )
    ).map(top1);
    expect(runtime.pool.stats().runs - runs).toBe(1);
    for (const label of labels) expect(label).toMatch(/wolf|coyote/);
  });

  it("FastestDet finds the dog of imgs/yolox_dog.jpg", async () => {
    const found = objects(await runtime.predict("fastestdet", await image("imgs/yolox_dog.jpg")));
    expect(found.map((o) => o.name)).toContain("dog");
  });

  it("MNIST reads a drawn digit through the GRAY path", async () => {
    // A white "1": a vertical bar on black.
    const pixels = new Uint8Array(28 * 28 * 3);
    for (let y = 4; y < 24; y++) for (let x = 13; x < 16; x++) pixels.fill(255, (y * 28 + x) * 3, (y * 28 + x) * 3 + 3);
    const digit = DecodedScopeImage.fromDecoded({ data: pixels, width: 28, height: 28, channels: 3 });
    expect(top1(await runtime.predict("mnist", digit))).toBe("1");
  });
});
