import { describe, expect, it } from "vitest";
import { decoderInput } from "../../testing/decoder-input.js";
import { identityDecoder, regressionDecoder, sigmoidDecoder, softmaxDecoder } from "./classification.js";

const logits = (values: number[]) => ({ logits: { values, dims: [1, values.length] } });

describe("softmax decoder", () => {
  it("gives probabilities that sum to 1, best first", () => {
    const p = softmaxDecoder.decode(decoderInput(logits([1, 3, 2])));
    if (p.type !== "categorization") throw new Error("expected categorization");
    expect(p.result.best_label.name).toBe("b");
    expect(p.result.labels.map((l) => l.name)).toEqual(["b", "c", "a"]);
    const e = [1, 3, 2].map(Math.exp);
    const sum = e.reduce((a, b) => a + b);
    expect(p.result.best_label.prob).toBeCloseTo((e[1] as number) / sum, 6);
    expect(p.result.labels.reduce((a, l) => a + l.prob, 0)).toBeCloseTo(1, 6);
  });

  it("keeps the top K and drops classes the label order leaves empty", () => {
    const p = softmaxDecoder.decode(decoderInput(logits([5, 3, 2]), { labels: ["", "b", "c"], params: { topK: 1 } }));
    expect(p).toMatchObject({ type: "categorization", result: { best_label: { name: "b" } } });
    if (p.type === "categorization") expect(p.result.labels).toHaveLength(1);
  });

  it("reads the output named in params", () => {
    const input = decoderInput(
      { first: { values: [9, 0, 0], dims: [1, 3] }, second: { values: [0, 0, 9], dims: [1, 3] } },
      { params: { output: "second" } },
    );
    expect(softmaxDecoder.decode(input)).toMatchObject({ result: { best_label: { name: "c" } } });
    expect(() => softmaxDecoder.decode({ ...input, params: { output: "third" } })).toThrow(
      /no output "third" \(outputs: first, second\)/,
    );
  });
});

describe("sigmoid decoder", () => {
  it("tags every label at or over the threshold", () => {
    const p = sigmoidDecoder.decode(
      decoderInput(logits([2, -2, 0.1]), { taskType: "tagging", params: { threshold: 0.5 } }),
    );
    expect(p).toEqual({
      type: "tagging",
      result: {
        labels: [
          { name: "a", prob: expect.closeTo(1 / (1 + Math.exp(-2)), 6) },
          { name: "c", prob: expect.closeTo(1 / (1 + Math.exp(-0.1)), 6) },
        ],
      },
    });
  });
});

describe("identity decoder", () => {
  it("takes outputs as probabilities", () => {
    const p = identityDecoder.decode(
      decoderInput(logits([0.2, 0.7, 0.1]), { taskType: "tagging", params: { threshold: 0.15 } }),
    );
    expect(p).toMatchObject({ type: "tagging", result: { labels: [{ name: "b" }, { name: "a" }] } });
  });

  it("reads a regression value", () => {
    expect(identityDecoder.decode(decoderInput(logits([4.5]), { taskType: "regression" }))).toEqual({
      type: "regression",
      result: 4.5,
    });
  });
});

describe("regression decoder", () => {
  it("scales and offsets the chosen value", () => {
    const input = decoderInput(logits([1, 0.25]), {
      taskType: "regression",
      params: { index: 1, scale: 100, offset: -5 },
    });
    expect(regressionDecoder.decode(input)).toEqual({ type: "regression", result: 20 });
    expect(() => regressionDecoder.decode({ ...input, params: { index: 7 } })).toThrow(/has 2 values, no index 7/);
  });
});
