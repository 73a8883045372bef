import { describe, expect, it } from "vitest";
import { adapterTensorSpec, validateModelAdapter, type ModelAdapter } from "./adapter.js";
import { DecoderRegistry } from "./decoders/registry.js";

const decoders = new DecoderRegistry();

const mobilenet: ModelAdapter = {
  input: "input",
  width: 224,
  height: 224,
  resize: "center-crop",
  cropRatio: 0.875,
  colorOrder: "RGB",
  layout: "NCHW",
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  decoder: { id: "softmax", params: { topK: 5 } },
};

describe("validateModelAdapter", () => {
  it("accepts a complete adapter and derives its preprocessing", () => {
    const result = validateModelAdapter(mobilenet, decoders, "categorization");
    expect(result).toEqual({ ok: true, adapter: mobilenet });
    expect(adapterTensorSpec(mobilenet)).toEqual({
      width: 224,
      height: 224,
      resize: "center-crop",
      cropRatio: 0.875,
      colorOrder: "RGB",
      layout: "NCHW",
      scale: 1 / 255,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    });
  });

  it("lists every shape problem with its JSON pointer", () => {
    const result = validateModelAdapter({ ...mobilenet, width: 0, resize: "squash", extra: true }, decoders);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path).sort()).toEqual(["", "/resize", "/width"]);
    expect(result.problems.find((p) => p.path === "/width")?.message).toBe("adapter/width: must be >= 1");
  });

  it("checks the decoder, its params and the task type", () => {
    const result = validateModelAdapter(
      { ...mobilenet, decoder: { id: "yolox", params: { threshold: -1 } } },
      decoders,
      "categorization",
    );
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'decoder "yolox" decodes detection results, not categorization',
      'decoder "yolox" params/threshold: must be >= 0',
    ]);
  });

  it("wants one mean/std value, or one per channel", () => {
    const result = validateModelAdapter({ ...mobilenet, colorOrder: "GRAY" }, decoders);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(["/mean", "/std"]);
  });
});
