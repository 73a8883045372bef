import { describe, expect, it } from "vitest";
import { decoderInput } from "../../testing/decoder-input.js";
import { fastestDetDecoder } from "./fastestdet.js";
import { ssdDecoder, ssdPriors, ULTRAFACE_RAW_PARAMS } from "./ssd.js";
import { DEFAULT_MAX_DETECTIONS } from "./common.js";
import { DecoderRegistry } from "./registry.js";
import { yoloxDecoder } from "./yolox.js";

describe("ssd decoder", () => {
  // Three boxes, classes [background, face]; the second box overlaps the first.
  const scores = [0.1, 0.9, 0.2, 0.8, 0.95, 0.05];
  const boxes = [0, 0, 0.5, 0.5, 0.02, 0, 0.52, 0.5, 0.5, 0.5, 1, 1];
  const input = (params: Record<string, unknown>) =>
    decoderInput(
      { scores: { values: scores, dims: [1, 3, 2] }, boxes: { values: boxes, dims: [1, 3, 4] } },
      { params, labels: ["face"], taskType: "detection", inputWidth: 20, inputHeight: 10 },
    );

  it("keeps scores over the threshold, suppresses overlaps and maps boxes to root pixels", () => {
    const p = ssdDecoder.decode(input({ scores: "scores", boxes: "boxes", threshold: 0.7, iou: 0.3 }));
    // box 0 in input pixels [0,0,10,5] -> transform (x2 + 100)
    expect(p).toEqual({
      type: "detection",
      result: [{ name: "face", prob: expect.closeTo(0.9, 6), bound_box: [100, 100, 120, 110] }],
    });
  });

  it("keeps both overlapping boxes above the IoU threshold", () => {
    const p = ssdDecoder.decode(input({ threshold: 0.7, iou: 0.95 }));
    expect(p.type === "detection" && p.result.length).toBe(2);
  });

  it("builds UltraFace's 4420 priors for 320x240", () => {
    const priors = ssdPriors(ULTRAFACE_RAW_PARAMS.priors, 320, 240);
    expect(priors.length).toBe(4420 * 4);
    // First prior: centre of cell (0,0) at stride 8, size 10 px.
    expect(Array.from(priors.subarray(0, 4))).toEqual([
      expect.closeTo(4 / 320, 6),
      expect.closeTo(4 / 240, 6),
      expect.closeTo(10 / 320, 6),
      expect.closeTo(10 / 240, 6),
    ]);
  });

  it("decodes raw offsets against priors (zero offsets give the prior box)", () => {
    const priors = { strides: [10], minSizes: [[4]], variances: [0.1, 0.2] };
    // 20x10 input, stride 10 -> 2x1 cells, one size: 2 priors
    const p = ssdDecoder.decode(
      decoderInput(
        {
          scores: { values: [0, 1, 1, 0], dims: [1, 2, 2] },
          boxes: { values: [0, 0, 0, 0, 0, 0, 0, 0], dims: [1, 2, 4] },
        },
        {
          params: { scores: "scores", boxes: "boxes", threshold: 0.5, priors },
          labels: ["face"],
          taskType: "detection",
          inputWidth: 20,
          inputHeight: 10,
          transform: (b) => b,
        },
      ),
    );
    // prior 0: centre (5, 5) px, 4x4 px
    expect(p).toEqual({
      type: "detection",
      result: [{ name: "face", prob: 1, bound_box: [3, 3, 7, 7].map((v): unknown => expect.closeTo(v, 5)) }],
    });
  });

  it("says when the prior spec does not match the boxes", () => {
    const bad = input({ priors: { strides: [10], minSizes: [[4]] } });
    expect(() => ssdDecoder.decode(bad)).toThrow(/gives 2 priors, the model 3 boxes/);
  });
});

/** YOLOX rows for a 32x32 input: 4x4 cells at stride 8, 2x2 at 16, 1x1 at 32 = 21 rows, 2 classes. */
function yoloxRows(set: Record<number, number[]>): { values: number[]; dims: number[] } {
  const rows: number[] = [];
  for (let i = 0; i < 21; i++) rows.push(...(set[i] ?? [0, 0, 0, 0, 0, 0, 0]));
  return { values: rows, dims: [1, 21, 7] };
}

describe("yolox decoder", () => {
  it("decodes grid offsets, scores obj x cls and maps boxes through the transform", () => {
    // Row 9 = stride-8 cell (gx 1, gy 2): cx = (0.5+1)*8 = 12, cy = (0.5+2)*8 = 20, w = 2*8, h = 1*8.
    const out = yoloxRows({ 9: [0.5, 0.5, Math.log(2), 0, 0.9, 0.8, 0.1] });
    const p = yoloxDecoder.decode(
      decoderInput({ output: out }, { taskType: "detection", labels: ["dog", "cat"], transform: (b) => b }),
    );
    expect(p).toEqual({
      type: "detection",
      result: [
        {
          name: "dog",
          prob: expect.closeTo(0.72, 6),
          bound_box: [4, 16, 20, 24].map((v): unknown => expect.closeTo(v, 5)),
        },
      ],
    });
  });

  it("uses strides 16 and 32 for the later rows", () => {
    // Row 16 = first stride-16 cell; row 20 = the stride-32 cell.
    const out = yoloxRows({ 16: [0, 0, 0, 0, 0.9, 0.9, 0], 20: [0, 0, 0, 0, 0.9, 0, 0.9] });
    const p = yoloxDecoder.decode(
      decoderInput({ output: out }, { taskType: "detection", labels: ["dog", "cat"], transform: (b) => b }),
    );
    if (p.type !== "detection") throw new Error("expected detection");
    expect(p.result.map((o) => [o.name, ...o.bound_box])).toEqual([
      ["dog", -8, -8, 8, 8],
      ["cat", -16, -16, 16, 16],
    ]);
  });

  it("suppresses per class, and across classes when class-agnostic", () => {
    const row = [0.5, 0.5, 0, 0, 0.9, 0.9, 0.85];
    // Row 1 is the next cell, shifted back so its box nearly covers row 0's.
    const out = yoloxRows({ 0: row, 1: [-0.4, 0.5, 0, 0, 0.9, 0.8, 0] });
    const labels = ["dog", "cat"];
    const perClass = yoloxDecoder.decode(decoderInput({ output: out }, { taskType: "detection", labels }));
    expect(perClass.type === "detection" && perClass.result.map((o) => o.name)).toEqual(["dog", "cat"]);
    const agnostic = yoloxDecoder.decode(
      decoderInput({ output: out }, { taskType: "detection", labels, params: { classAgnostic: true, iou: 0.5 } }),
    );
    expect(agnostic.type === "detection" && agnostic.result.map((o) => o.name)).toEqual(["dog"]);
  });

  describe("the reference rule (YOLOX's demo) next to the per-class rule", () => {
    const labels = ["dog", "cat"];
    const decode = (out: ReturnType<typeof yoloxRows>, params: Record<string, unknown>) => {
      const p = yoloxDecoder.decode(decoderInput({ output: out }, { taskType: "detection", labels, params }));
      if (p.type !== "detection") throw new Error("expected detection");
      return p.result.map((o) => [o.name, Math.round(o.prob * 1000) / 1000]);
    };

    it("takes only a cell's best class, where per-class takes every class over the threshold", () => {
      // One cell, both classes over the threshold: obj 0.9 x cls 0.8 / 0.7.
      const out = yoloxRows({ 0: [0.5, 0.5, 0, 0, 0.9, 0.8, 0.7] });
      expect(decode(out, {})).toEqual([
        ["dog", 0.72],
        ["cat", 0.63],
      ]);
      expect(decode(out, { rule: "per-class" })).toEqual(decode(out, {}));
      expect(decode(out, { rule: "reference" })).toEqual([["dog", 0.72]]);
    });

    it("suppresses overlapping boxes of different classes, where per-class keeps both", () => {
      // Two neighbouring stride-8 cells whose boxes overlap (IoU 0.6): a dog, and a cat just below it.
      const out = yoloxRows({
        0: [0.5, 0.5, Math.log(2), 0, 0.9, 0.9, 0.1],
        1: [-0.3, 0.5, Math.log(2), 0, 0.9, 0.1, 0.8],
      });
      expect(decode(out, {})).toEqual([
        ["dog", 0.81],
        ["cat", 0.72],
      ]);
      expect(decode(out, { rule: "reference" })).toEqual([["dog", 0.81]]);
      // classAgnostic belongs to the per-class rule; the reference rule is class-agnostic anyway.
      expect(decode(out, { rule: "reference", classAgnostic: false })).toEqual([["dog", 0.81]]);
    });

    it("leaves out a cell whose best class is unlabelled, as per-class leaves out that class", () => {
      const out = yoloxRows({ 0: [0.5, 0.5, 0, 0, 0.9, 0.4, 0.8] });
      const p = yoloxDecoder.decode(
        decoderInput({ output: out }, { taskType: "detection", labels: ["dog", ""], params: { rule: "reference" } }),
      );
      expect(p).toEqual({ type: "detection", result: [] });
    });

    it("is a documented param the registry accepts, and refuses an unknown rule", () => {
      const registry = new DecoderRegistry();
      expect(registry.check("yolox", { rule: "reference" }, "detection")).toEqual([]);
      expect(registry.check("yolox", { rule: "per-class" }, "detection")).toEqual([]);
      expect(registry.check("yolox", { rule: "best" }, "detection")).toEqual([
        {
          path: "/decoder/params/rule",
          message: 'decoder "yolox" params/rule: must be equal to one of the allowed values',
        },
      ]);
    });
  });

  it("says when the rows do not match the input's grid", () => {
    const out = { values: new Array<number>(20 * 7).fill(0), dims: [1, 20, 7] };
    expect(() => yoloxDecoder.decode(decoderInput({ output: out }, { taskType: "detection" }))).toThrow(
      /20 rows, the grid of a 32x32 input has 21/,
    );
  });
});

describe("fastestdet decoder", () => {
  it("scores obj^0.6 * cls^0.4 and places boxes in cells with tanh/sigmoid", () => {
    // 2x2 grid, 1 class: channels obj, tx, ty, tw, th, cls
    const plane = (v: number, at: number) => [0, 1, 2, 3].map((i) => (i === at ? v : 0));
    const values = [...plane(0.9, 3), ...plane(0, 3), ...plane(0, 3), ...plane(0, 3), ...plane(0, 3), ...plane(0.8, 3)];
    const p = fastestDetDecoder.decode(
      decoderInput(
        { out: { values, dims: [1, 6, 2, 2] } },
        { taskType: "detection", labels: ["dog"], inputWidth: 40, inputHeight: 20, transform: (b) => b },
      ),
    );
    // cell (row 1, col 1): cx = 1/2, cy = 1/2, w = h = sigmoid(0) = 0.5 -> [10, 5, 30, 15]
    expect(p).toEqual({
      type: "detection",
      result: [{ name: "dog", prob: expect.closeTo(0.9 ** 0.6 * 0.8 ** 0.4, 6), bound_box: [10, 5, 30, 15] }],
    });
  });
});

describe("the cap on detections (maxDetections)", () => {
  /** `n` UltraFace-style boxes side by side, none overlapping, scores falling from 0.99. */
  const crowd = (n: number, params: Record<string, unknown>) => {
    const scores: number[] = [];
    const boxes: number[] = [];
    for (let i = 0; i < n; i++) {
      scores.push(0, 0.99 - i * 0.0005);
      boxes.push(i / n, 0, (i + 0.5) / n, 1);
    }
    const p = ssdDecoder.decode(
      decoderInput(
        { scores: { values: scores, dims: [1, n, 2] }, boxes: { values: boxes, dims: [1, n, 4] } },
        { params: { threshold: 0.5, ...params }, labels: ["face"], taskType: "detection", transform: (b) => b },
      ),
    );
    if (p.type !== "detection") throw new Error("expected detection");
    return p;
  };

  it(`keeps ${DEFAULT_MAX_DETECTIONS} by default: a crowd of 250 loses no one, and nothing is reported dropped`, () => {
    expect(DEFAULT_MAX_DETECTIONS).toBe(300);
    const p = crowd(250, {});
    expect(p.result).toHaveLength(250);
    expect(p).not.toHaveProperty("dropped");
  });

  it("keeps the most probable ones and counts the rest as dropped", () => {
    const p = crowd(320, {});
    expect(p.result).toHaveLength(300);
    expect(p.dropped).toBe(20);
    const small = crowd(320, { maxDetections: 5 });
    expect(small.result.map((o) => o.prob)).toEqual([0, 1, 2, 3, 4].map((i): unknown => expect.closeTo(0.99 - i * 0.0005, 6)));
    expect(small.dropped).toBe(315);
  });

  it("counts only named objects: unlabelled classes neither fill the cap nor count as dropped", () => {
    // Class 0 is background; classes 1 (labels[0], unnamed) and 2 ("face") per box.
    const n = 6;
    const scores: number[] = [];
    const boxes: number[] = [];
    for (let i = 0; i < n; i++) {
      scores.push(0, 0.95, 0.9 - i * 0.01);
      boxes.push(i / n, 0, (i + 0.5) / n, 1);
    }
    const p = ssdDecoder.decode(
      decoderInput(
        { scores: { values: scores, dims: [1, n, 3] }, boxes: { values: boxes, dims: [1, n, 4] } },
        { params: { maxDetections: 4 }, labels: ["", "face"], taskType: "detection", transform: (b) => b },
      ),
    );
    expect(p.type === "detection" && p.result.map((o) => o.name)).toEqual(["face", "face", "face", "face"]);
    expect(p.type === "detection" && p.dropped).toBe(2);
  });

  it("reports what YOLOX and FastestDet cut as well", () => {
    // Three far-apart YOLOX cells, one class, cap 1.
    const out = yoloxRows({
      0: [0.5, 0.5, 0, 0, 0.9, 0.9, 0],
      3: [0.5, 0.5, 0, 0, 0.9, 0.8, 0],
      15: [0.5, 0.5, 0, 0, 0.9, 0.7, 0],
    });
    const y = yoloxDecoder.decode(
      decoderInput({ output: out }, { taskType: "detection", labels: ["dog", "cat"], params: { maxDetections: 1 } }),
    );
    expect(y.type === "detection" && [y.result.length, y.dropped]).toEqual([1, 2]);
    // A 2x2 FastestDet grid with a dog in every cell, cap 3.
    const planes = [0.9, 0, 0, 0, 0, 0.9].flatMap((v) => [v, v, v, v]);
    const f = fastestDetDecoder.decode(
      decoderInput(
        { out: { values: planes, dims: [1, 6, 2, 2] } },
        { taskType: "detection", labels: ["dog"], params: { maxDetections: 3, iou: 0.99 } },
      ),
    );
    expect(f.type === "detection" && [f.result.length, f.dropped]).toEqual([3, 1]);
  });

  it("is documented in every built-in detection decoder's params", () => {
    const registry = new DecoderRegistry();
    for (const id of ["ssd", "yolox", "fastestdet"]) {
      const params = registry.get(id)?.params as { properties: Record<string, { description: string }> };
      expect(params.properties.maxDetections?.description).toMatch(/default 300.*_objects_dropped/);
      expect(registry.check(id, { maxDetections: 0 }, "detection")).toHaveLength(1);
    }
  });
});
