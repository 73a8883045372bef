import { describe, expect, it } from "vitest";
import { filterLabels, moveActive, toggleLabel } from "./label-filter";

const imagenet = Array.from({ length: 1000 }, (_, i) => `label ${i}`).concat(["golden retriever", "Retriever mix"]);

describe("label picker filtering", () => {
  it("lists labels starting with what was typed before labels containing it, ignoring case and spaces", () => {
    const labels = ["golden retriever", "Labrador retriever", "retriever mix", "tabby cat"];
    expect(filterLabels(labels, "  RETR ", 10)).toEqual({
      shown: ["retriever mix", "golden retriever", "Labrador retriever"],
      total: 3,
    });
    expect(filterLabels(labels, "dog", 10)).toEqual({ shown: [], total: 0 });
  });

  it("shows at most `limit` of many matches and counts them all", () => {
    const matches = filterLabels(imagenet, "label 1", 50);
    expect(matches.shown).toHaveLength(50);
    expect(matches.shown[0]).toBe("label 1");
    expect(matches.total).toBe(111);
    expect(filterLabels(imagenet, "", 20)).toEqual({ shown: imagenet.slice(0, 20), total: 1002 });
  });

  it("filters 1,000 labels quickly enough to run on every keystroke", () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `n${i} some synset name ${i}`);
    const started = performance.now();
    for (let i = 0; i < 20; i++) filterLabels(big, `name ${i}`, 50);
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });

  it("toggles a label and moves the active option around the list", () => {
    expect(toggleLabel(["cat"], "dog")).toEqual(["cat", "dog"]);
    expect(toggleLabel(["cat", "dog"], "cat")).toEqual(["dog"]);
    expect(moveActive(-1, 3, 1)).toBe(0);
    expect(moveActive(-1, 3, -1)).toBe(2);
    expect(moveActive(2, 3, 1)).toBe(0);
    expect(moveActive(0, 3, -1)).toBe(2);
    expect(moveActive(0, 0, 1)).toBe(-1);
  });
});
