import { describe, expect, it } from "vitest";

import { closestNames, editDistance } from "./closest.js";

describe("editDistance", () => {
  it("counts inserted, deleted and changed characters, ignoring case", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("Tabby", "tabby")).toBe(0);
    expect(editDistance("retreiver", "retriever")).toBe(2);
  });
});

describe("closestNames", () => {
  it("puts names that contain the text first, then the nearest by edit distance, ties in order", () => {
    const names = ["tabby", "tiger cat", "golden retriever", "Labrador retriever", "tiger"];
    expect(closestNames("retriever", names, 3)).toEqual(["golden retriever", "Labrador retriever", "tiger"]);
    expect(closestNames("tigre", names, 2)).toEqual(["tiger", "tabby"]);
  });

  it("returns at most the number asked for, and nothing for no names", () => {
    expect(closestNames("x", ["a", "b", "c"], 2)).toHaveLength(2);
    expect(closestNames("x", [])).toEqual([]);
  });

  it("stays fast on 10,000 long labels (told apart by their first 64 characters)", () => {
    const labels = Array.from({ length: 10_000 }, (_, i) => `label ${i} ${"and more words ".repeat(13)}`);
    const started = performance.now();
    expect(closestNames("label 4242 and mroe", labels, 1)).toEqual([labels[4242]]);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
