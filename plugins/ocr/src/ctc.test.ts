import { describe, expect, it } from "vitest";

import { ctcDecode } from "./ctc.js";

/** Steps as [class, prob, spaceProb]; class 0 is the blank, the last class (3) the space. */
function probs(steps: [number, number, number][]): Float32Array {
  const out = new Float32Array(steps.length * 4);
  steps.forEach(([c, p, space], t) => {
    out[t * 4 + 3] = space;
    out[t * 4 + c] = p;
  });
  return out;
}

describe("ctcDecode", () => {
  const chars = ["a", "b", " "];

  it("collapses repeats, drops blanks and keeps a letter repeated across a blank", () => {
    const decoded = ctcDecode(
      probs([
        [1, 0.9, 0],
        [1, 0.8, 0],
        [0, 0.9, 0],
        [1, 0.7, 0],
        [2, 0.6, 0],
      ]),
      5,
      4,
      chars,
    );
    expect(decoded.text).toBe("aab");
    expect(decoded.prob).toBeCloseTo((0.9 + 0.7 + 0.6) / 3, 5);
  });

  it("puts a space where the gap between letters carries space evidence", () => {
    const gap = ctcDecode(
      probs([
        [1, 0.9, 0],
        [0, 0.7, 0.2],
        [2, 0.9, 0],
      ]),
      3,
      4,
      chars,
    );
    const noGap = ctcDecode(
      probs([
        [1, 0.9, 0],
        [0, 0.9, 0.001],
        [2, 0.9, 0],
      ]),
      3,
      4,
      chars,
    );
    expect([gap.text, noGap.text]).toEqual(["a b", "ab"]);
  });
});
