import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { buildOnnxModel } from "../../../flow-engine/src/testing/onnx-builder";
import { colourClassifierModel, fixedSsdModel } from "../../../flow-engine/src/testing/tiny-models";
import { outputClassCount, readOnnxOutline } from "./onnx-outline";

const blob = (bytes: Uint8Array) => new Blob([new Uint8Array(bytes)]);

describe("readOnnxOutline", () => {
  test("reads inputs and outputs with fixed and symbolic sizes", async () => {
    const outline = await readOnnxOutline(blob(colourClassifierModel({ dynamicBatch: true })));
    expect(outline).toEqual({
      inputs: [{ name: "input", dims: ["batch", 3, 8, 8] }],
      outputs: [{ name: "logits", dims: ["batch", 3] }],
    });
    expect(outline && outputClassCount(outline)).toBe(3);
  });

  test("picks a named output and skips weights larger than its read window", async () => {
    const values = Array.from({ length: 40_000 }, (_, i) => i % 7);
    const model = buildOnnxModel({
      inputs: [{ name: "x", dims: [1, 40_000] }],
      outputs: [
        { name: "first", dims: [1, 40_000] },
        { name: "second", dims: [1, 40_000] },
      ],
      initializers: [{ name: "W", dims: [1, 40_000], values }],
      nodes: [
        { op: "Add", inputs: ["x", "W"], outputs: ["first"] },
        { op: "Mul", inputs: ["x", "W"], outputs: ["second"] },
      ],
    });
    expect(model.length).toBeGreaterThan(64 * 1024);
    const outline = await readOnnxOutline(blob(model));
    expect(outline?.outputs.map((o) => o.name)).toEqual(["first", "second"]);
    expect(outline && outputClassCount(outline, "second")).toBe(40_000);
    expect(outline && outputClassCount(outline, "missing")).toBeUndefined();
  });

  test("an unknown size beyond the batch gives no class count; a detector's first output is counted whole", async () => {
    expect(outputClassCount({ inputs: [], outputs: [{ name: "o", dims: [1, "classes"] }] })).toBeUndefined();
    const ssd = await readOnnxOutline(blob(fixedSsdModel([[0.1, 0.9]], [[0.3, 0.2, 0.7, 0.8]])));
    expect(ssd?.outputs.map((o) => o.name)).toEqual(["scores", "boxes"]);
  });

  test("a text file or damaged bytes are not an outline", async () => {
    expect(await readOnnxOutline(new Blob(["these are my notes, not a model\n".repeat(20)]))).toBeUndefined();
    const model = colourClassifierModel();
    expect(await readOnnxOutline(blob(model.subarray(0, Math.floor(model.length / 2))))).toBeUndefined();
    expect(await readOnnxOutline(new Blob([]))).toBeUndefined();
  });
});

const mobilenet = fileURLToPath(
  new URL("../../../../shared/models/mobilenetv2/mobilenetv2-12-int8.onnx", import.meta.url),
);

describe.skipIf(!existsSync(mobilenet))(
  existsSync(mobilenet) ? "MobileNetV2 of ../shared/models" : `MobileNetV2 (skipped: ${mobilenet} is absent)`,
  () => {
    test("outputs 1000 classes per image", async () => {
      const outline = await readOnnxOutline(blob(readFileSync(mobilenet)));
      expect(outline?.inputs[0]).toEqual({ name: "input", dims: ["batch_size", 3, 224, 224] });
      expect(outline && outputClassCount(outline)).toBe(1000);
    });
  },
);
