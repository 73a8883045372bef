import { describe, expect, it } from "vitest";
import type { DecoderDefinition } from "../action.js";
import type { DetectedObject } from "../records.js";
import { InvalidPredictionError } from "../prediction-checks.js";
import { DecoderContractError, runDecoder } from "./run-decoder.js";

// Rows of [xmin, ymin, xmax, ymax, score, class]; keeps rows at or over `threshold`.
const rowBoxes: DecoderDefinition = {
  id: "row-boxes",
  title: "Row boxes",
  params: {
    type: "object",
    properties: { threshold: { type: "number", minimum: 0, maximum: 1 } },
    required: ["threshold"],
    additionalProperties: false,
  },
  taskTypes: ["detection"],
  decode: ({ outputs, params, labels, transform }) => {
    const rows = outputs.rows;
    if (!rows) throw new Error("no rows output");
    const data = Array.from(rows.data as Float32Array);
    const result: DetectedObject[] = [];
    for (let i = 0; i < data.length; i += 6) {
      const [x0, y0, x1, y1, score, label] = data.slice(i, i + 6) as [number, number, number, number, number, number];
      if (score < (params.threshold as number)) continue;
      result.push({ name: labels[label] ?? String(label), prob: score, bound_box: transform([x0, y0, x1, y1]) });
    }
    return { type: "detection", result };
  },
};

const rows = (...values: number[]) => ({ rows: { dims: [values.length / 6, 6], data: Float32Array.from(values) } });

describe("runDecoder", () => {
  it("decodes outputs with the params, labels and transform given", () => {
    const prediction = runDecoder(rowBoxes, {
      outputs: rows(1, 2, 3, 4, 0.75, 1, 0, 0, 1, 1, 0.25, 0),
      params: { threshold: 0.5 },
      labels: ["cat", "dog"],
      transform: ([a, b, c, d]) => [a * 2, b * 2, c * 2, d * 2],
    });
    expect(prediction).toEqual({
      type: "detection",
      result: [{ name: "dog", prob: 0.75, bound_box: [2, 4, 6, 8] }],
    });
  });

  it("refuses params the decoder's schema refuses, naming them", () => {
    expect(() => runDecoder(rowBoxes, { outputs: rows(), params: { threshold: 2 } })).toThrow(DecoderContractError);
    expect(() => runDecoder(rowBoxes, { outputs: rows(), params: { threshold: 2 } })).toThrow(
      /decoder "row-boxes": params "threshold" must be <= 1/,
    );
    expect(() => runDecoder(rowBoxes, { outputs: rows() })).toThrow(/threshold/);
  });

  it("refuses a task type the decoder does not decode", () => {
    expect(() => runDecoder(rowBoxes, { outputs: rows(), params: { threshold: 0 }, taskType: "tagging" })).toThrow(
      /decodes detection results, not tagging/,
    );
  });

  it("applies the engine's output checks: an inverted box and a prob over 1 are invalid_prediction", () => {
    const run = () => runDecoder(rowBoxes, { outputs: rows(5, 0, 1, 1, 1.5, 0), params: { threshold: 0 } });
    expect(run).toThrow(InvalidPredictionError);
    try {
      run();
    } catch (error) {
      expect((error as InvalidPredictionError).code).toBe("invalid_prediction");
      expect((error as Error).message).toMatch(/^decoder "row-boxes" returned an invalid prediction: /);
      expect((error as Error).message).toMatch(/result\[0\]\.prob is 1\.5; a probability must be within 0\.\.1/);
      expect((error as Error).message).toMatch(/result\[0\]\.bound_box is \[5, 0, 1, 1\], which is inverted/);
    }
  });

  it("lets the decoder's own error through, as a plugin author wants to see it", () => {
    expect(() => runDecoder(rowBoxes, { outputs: {}, params: { threshold: 0 } })).toThrow("no rows output");
  });
});
