import ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { buildOnnxModel, OnnxType } from "./onnx-builder.js";

describe("buildOnnxModel", () => {
  it("encodes a graph onnxruntime loads, with symbolic dims, int64 initializers and attributes", async () => {
    const model = buildOnnxModel({
      inputs: [{ name: "x", dims: ["n", 4] }],
      outputs: [{ name: "y", dims: ["n", 2, 2] }],
      initializers: [
        { name: "shape", dims: [3], values: [-1, 2, 2], type: OnnxType.INT64 },
        { name: "scale", dims: [1], values: [0.5] },
      ],
      nodes: [
        { op: "Mul", inputs: ["x", "scale"], outputs: ["half"] },
        { op: "Reshape", inputs: ["half", "shape"], outputs: ["r"] },
        { op: "LeakyRelu", inputs: ["r"], outputs: ["y"], attributes: { alpha: { float: 0.25 } } },
      ],
    });
    const session = await ort.InferenceSession.create(model, { logSeverityLevel: 3 });
    expect(session.inputMetadata[0]).toMatchObject({ name: "x", shape: ["n", 4] });
    const result = await session.run({
      x: new ort.Tensor("float32", Float32Array.from([2, -4, 6, 8, 1, 1, 1, 1]), [2, 4]),
    });
    expect(result["y"]?.dims).toEqual([2, 2, 2]);
    expect(Array.from(result["y"]?.data as Float32Array)).toEqual([1, -0.5, 3, 4, 0.5, 0.5, 0.5, 0.5]);
    await session.release();
  });

  it("refuses an initializer whose values do not fill its dims", () => {
    expect(() =>
      buildOnnxModel({ inputs: [], outputs: [], nodes: [], initializers: [{ name: "w", dims: [2, 2], values: [1] }] }),
    ).toThrow("initializer w: dims 2x2 need 4 values, got 1");
  });
});
