import { readFileSync } from "node:fs";
import path from "node:path";
import {
  adapterTensorSpec,
  decodeImage,
  DecoderRegistry,
  DEFAULT_MAX_DETECTIONS,
  preprocessRegion,
  validateModelAdapter,
  type ModelAdapter,
} from "@vizflow/flow-engine";
import { describe, expect, it } from "vitest";
import { ADAPTER_PRESETS, presetById } from "./adapter-presets";

// The fixture of flow-engine/src/runtime/image/pil-resample.test.ts, written once with Pillow (its script
// is beside it): an image, and torchvision's Resize(256) + CenterCrop(224) of it on PIL.
const FIXTURES = path.resolve(import.meta.dirname, "../../../flow-engine/src/runtime/image/fixtures");

describe("the ImageNet classifier preset", () => {
  it("feeds the model the tensor torchvision's PIL recipe makes (mean absolute difference under 1/255)", async () => {
    const preset = presetById("imagenet");
    if (!preset) throw new Error("no ImageNet preset");
    const spec = adapterTensorSpec(preset.adapter as ModelAdapter);
    const image = await decodeImage(readFileSync(path.join(FIXTURES, "pil-input.png")));
    const { tensor } = await preprocessRegion(
      image,
      { left: 0, top: 0, width: image.width, height: image.height },
      spec,
    );
    expect(tensor.dims).toEqual([1, 3, 224, 224]);

    const expected = await decodeImage(readFileSync(path.join(FIXTURES, "pil-expected.png")));
    const mean = preset.adapter.mean ?? [0, 0, 0];
    const std = preset.adapter.std ?? [1, 1, 1];
    const plane = 224 * 224;
    let difference = 0;
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < plane; i++) {
        // Back from the normalised tensor to 0..1 pixel units, to compare with PIL's pixels.
        const ours = (tensor.data[c * plane + i] ?? 0) * (std[c] ?? 1) + (mean[c] ?? 0);
        difference += Math.abs(ours - (expected.data[i * 3 + c] ?? 0) / 255);
      }
    }
    expect(difference / (3 * plane)).toBeLessThan(1 / 255);
  });
});

describe("the detector presets", () => {
  it("decode YOLOX by its demo's rule (best class per cell, NMS across classes)", () => {
    expect(presetById("yolox")?.adapter.decoder).toMatchObject({ id: "yolox", params: { rule: "reference" } });
  });

  it("show their cap in the params (300 objects, the decoders' default) and are adapters the engine accepts", () => {
    const decoders = new DecoderRegistry();
    const detectors = ADAPTER_PRESETS.filter((p) => p.taskTypes.includes("detection"));
    expect(detectors.map((p) => p.id)).toEqual(["ultraface", "yolox"]);
    for (const preset of detectors) {
      expect(preset.adapter.decoder.params?.maxDetections).toBe(DEFAULT_MAX_DETECTIONS);
      expect(validateModelAdapter(preset.adapter, decoders, "detection")).toMatchObject({ ok: true });
    }
  });
});
