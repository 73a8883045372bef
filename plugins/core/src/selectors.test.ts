import { checkAgainstSchema, type BoundingBox, type DetectedObject, type JsonSchema } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";

import { branchLabels, branchSelector } from "./branch-selector.js";
import { objectSelector, padBox } from "./object-selector.js";
import { categorization, fakeContext, recordScope, tagging } from "./test-context.js";

const exclusive = (config: Parameters<typeof branchSelector.run>[2]): boolean =>
  typeof branchSelector.exclusiveHandles === "function"
    ? branchSelector.exclusiveHandles(config)
    : (branchSelector.exclusiveHandles ?? false);

describe("branch selector", () => {
  const ctx = fakeContext({
    predictions: {
      animal: categorization("cat", { cat: 0.6, dog: 0.3, bird: 0.1 }),
      colour: tagging({ red: 0.9, blue: 0.7, green: 0.2 }),
    },
  });

  it("has one handle per branch label plus else", () => {
    const handles =
      typeof branchSelector.handles === "function"
        ? branchSelector.handles({ task: "animal", branches: ["cat", "dog"] })
        : [];
    expect(handles.map((h) => h.id)).toEqual(["branch:cat", "branch:dog", "else"]);
  });

  it("draws handles only for real labels, once each, even from a config that failed validation", () => {
    const handles = (branches: unknown[]) =>
      typeof branchSelector.handles === "function"
        ? branchSelector.handles({ task: "animal", branches: branches as string[] }).map((h) => h.id)
        : [];
    expect(handles([null])).toEqual(["else"]);
    expect(handles(["cat", null, "", "cat", "dog"])).toEqual(["branch:cat", "branch:dog", "else"]);
    expect(branchLabels({ branches: undefined as unknown as string[] })).toEqual([]);
    expect(branchSelector.references?.({ task: "t", branches: [null, "a"] as unknown as string[] })[0]).toMatchObject({
      labels: [{ name: "a", path: "/branches/1" }],
    });
  });

  it("takes the branch of the best label of a categorization", async () => {
    const output = await branchSelector.run(ctx, recordScope(), { task: "animal", branches: ["cat", "dog"] });
    expect(output).toEqual({ take: ["branch:cat"] });
  });

  it("takes else when the best label has no branch or is below the threshold", async () => {
    expect(await branchSelector.run(ctx, recordScope(), { task: "animal", branches: ["dog", "bird"] })).toEqual({
      take: ["else"],
    });
    expect(await branchSelector.run(ctx, recordScope(), { task: "animal", branches: ["cat"], threshold: 0.8 })).toEqual(
      { take: ["else"] },
    );
  });

  it("takes only the most probable tagging branch unless several are allowed", async () => {
    const single = { task: "colour", branches: ["blue", "red", "green"] };
    expect(await branchSelector.run(ctx, recordScope(), single)).toEqual({ take: ["branch:red"] });
    expect(exclusive(single)).toBe(true);
    const multiple = { ...single, multiple: true };
    expect(await branchSelector.run(ctx, recordScope(), multiple)).toEqual({ take: ["branch:red", "branch:blue"] });
    expect(exclusive(multiple)).toBe(false);
    expect(await branchSelector.run(ctx, recordScope(), { ...multiple, threshold: 0.95 })).toEqual({ take: ["else"] });
  });

  it("writes the prediction when given an output field", async () => {
    const output = await branchSelector.run(ctx, recordScope(), {
      task: "colour",
      branches: ["red"],
      output: "colour",
    });
    expect(output.write).toEqual({
      colour: {
        labels: [
          { name: "red", prob: 0.9 },
          { name: "blue", prob: 0.7 },
        ],
      },
    });
    const writes =
      typeof branchSelector.writes === "function"
        ? branchSelector.writes({ task: "colour", branches: ["red"], output: "colour" })
        : {};
    expect(checkAgainstSchema(writes, output.write)).toEqual([]);
  });

  it("refers to its task with the branch labels, tagging only when taking several", () => {
    expect(branchSelector.references?.({ task: "t", branches: ["a", "b"] })).toEqual([
      {
        kind: "task",
        id: "t",
        path: "/task",
        types: ["categorization", "tagging"],
        labels: [
          { name: "a", path: "/branches/0" },
          { name: "b", path: "/branches/1" },
        ],
      },
    ]);
    expect(branchSelector.references?.({ task: "t", branches: ["a"], multiple: true })[0]).toMatchObject({
      types: ["tagging"],
    });
  });

  it("needs at least one branch, each once", () => {
    expect(checkAgainstSchema(branchSelector.config, { task: "t", branches: [] })).not.toEqual([]);
    expect(checkAgainstSchema(branchSelector.config, { task: "t", branches: ["a", "a"] })).not.toEqual([]);
    expect(checkAgainstSchema(branchSelector.config, { task: "t", branches: ["a"] })).toEqual([]);
  });
});

describe("object selector", () => {
  const box = (b: number[]): BoundingBox => b as BoundingBox;
  const found: DetectedObject[] = [
    { name: "dog", prob: 0.5, bound_box: box([10, 10, 20, 20]) },
    { name: "cat", prob: 0.9, bound_box: box([0, 0, 50, 50]) },
    { name: "dog", prob: 0.8, bound_box: box([60, 60, 100, 100]) },
    { name: "dog", prob: 0.2, bound_box: box([30, 30, 40, 40]) },
  ];
  const ctx = fakeContext({ predictions: { pets: { type: "detection", result: found } } });

  it("keeps objects by label and minimum probability, most probable first, at most maxObjects", async () => {
    const output = await objectSelector.run(ctx, recordScope(), {
      task: "pets",
      labels: ["dog"],
      minProb: 0.3,
      maxObjects: 5,
    });
    expect(output.objects?.map((o) => o.prob)).toEqual([0.8, 0.5]);
    const capped = await objectSelector.run(ctx, recordScope(), { task: "pets", maxObjects: 2 });
    expect(capped.objects?.map((o) => [o.name, o.prob])).toEqual([
      ["cat", 0.9],
      ["dog", 0.8],
    ]);
  });

  it("writes the kept objects into _objects and fans out to those same objects", async () => {
    const output = await objectSelector.run(ctx, recordScope(), { task: "pets", labels: ["cat"] });
    expect(output.write).toEqual({ _objects: [found[1]] });
    expect((output.write?._objects as unknown[])[0]).toBe(output.objects?.[0]);
    expect(objectSelector.handles).toEqual([{ id: "objects", label: "Each object", fanOut: "objects" }]);
  });

  it("writes how many objects passed its filters but not its cap, with those the model's cap cut", async () => {
    const capped = await objectSelector.run(ctx, recordScope(), { task: "pets", labels: ["dog"], maxObjects: 1 });
    // Three dogs pass (no minimum probability): one kept, two dropped. The cat was filtered, not dropped.
    expect(capped.write).toEqual({ _objects: [found[2]], _objects_dropped: 2 });
    const all = await objectSelector.run(ctx, recordScope(), { task: "pets" });
    expect(all.write).toEqual({ _objects: [found[1], found[2], found[0], found[3]] });
    const modelCut = fakeContext({ predictions: { pets: { type: "detection", result: found, dropped: 3 } } });
    const both = await objectSelector.run(modelCut, recordScope(), { task: "pets", maxObjects: 2 });
    expect(both.write?._objects_dropped).toBe(2 + 3);
    expect(checkAgainstSchema(objectSelector.writes as JsonSchema, both.write)).toEqual([]);
  });

  it("explains its defaults (10 objects, minimum probability 0) in its form", () => {
    const properties = (
      objectSelector.config as { properties: Record<string, { default?: unknown; description?: string }> }
    ).properties;
    expect(properties.maxObjects).toMatchObject({ default: 10, description: expect.stringMatching(/default 10/) });
    expect(properties.maxObjects?.description).toMatch(/credits/);
    expect(properties.minProb).toMatchObject({ default: 0, description: expect.stringMatching(/default, 0/) });
  });

  it("pads boxes by a fraction of their size, clamped to the scope", async () => {
    expect(padBox([10, 10, 20, 30], 0.5, [0, 0, 100, 100])).toEqual([5, 0, 25, 40]);
    const crop = fakeContext({ box: [5, 5, 55, 55], predictions: { pets: { type: "detection", result: found } } });
    const output = await objectSelector.run(crop, recordScope(), { task: "pets", labels: ["cat"], padding: 0.1 });
    expect(output.objects?.[0]?.bound_box).toEqual([5, 5, 55, 55]);
    expect(found[1]?.bound_box).toEqual([0, 0, 50, 50]);
  });

  it("bounds its fan-out by maxObjects (10 by default) and refers to a detection task with its labels", () => {
    expect(objectSelector.maxObjects?.({ task: "pets" })).toBe(10);
    expect(objectSelector.maxObjects?.({ task: "pets", maxObjects: 3 })).toBe(3);
    expect(objectSelector.references?.({ task: "pets", labels: ["dog"] })).toEqual([
      { kind: "task", id: "pets", path: "/task", types: ["detection"], labels: [{ name: "dog", path: "/labels/0" }] },
    ]);
    expect(checkAgainstSchema(objectSelector.config, { task: "pets", maxObjects: 0 })).not.toEqual([]);
    expect(checkAgainstSchema(objectSelector.config, { task: "pets", padding: 2 })).not.toEqual([]);
  });

  it("refuses a task that is not a detection task", async () => {
    const wrong = fakeContext({ predictions: { pets: categorization("a", { a: 1 }) } });
    await expect(objectSelector.run(wrong, recordScope(), { task: "pets" })).rejects.toThrow(/needs a detection task/);
  });
});
