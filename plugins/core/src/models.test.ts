import {
  ActionRegistry,
  checkAgainstSchema,
  fieldPathsUpstream,
  type ActionDefinition,
  type FlowGraph,
  type JsonSchema,
  type TaskPrediction,
} from "@vizflow/sdk";
import { describe, expect, it } from "vitest";

import { detection } from "./detection.js";
import corePlugin from "./index.js";
import { input } from "./input.js";
import { recognition } from "./recognition.js";
import { categorization, fakeContext, recordScope, tagging } from "./test-context.js";

function writesOf<C extends Record<string, unknown>>(action: ActionDefinition<C>, config: C): JsonSchema {
  return typeof action.writes === "function" ? action.writes(config) : action.writes;
}

describe("input", () => {
  it("has one next handle, writes nothing and takes no settings", async () => {
    expect(input.handles).toEqual([{ id: "next", label: "Next" }]);
    expect(await input.run(fakeContext(), recordScope(), {})).toEqual({});
    expect(checkAgainstSchema(input.config, {})).toEqual([]);
    expect(checkAgainstSchema(input.config, { extra: 1 })).not.toEqual([]);
    expect(checkAgainstSchema(writesOf(input, {}), { anything: 1 })).not.toEqual([]);
  });
});

describe("recognition", () => {
  const predictions: Record<string, TaskPrediction> = {
    animal: categorization("cat", { cat: 0.7, dog: 0.3 }),
    tags: tagging({ red: 0.9, blue: 0.2, green: 0.55 }),
    age: { type: "regression", result: 31.5 },
    boxes: { type: "detection", result: [] },
  };
  const ctx = fakeContext({ predictions });

  it("writes best_label and labels of a categorization task under its output field", async () => {
    const config = { task: "animal", output: "animal" };
    const output = await recognition.run(ctx, recordScope(), config);
    expect(output.write).toEqual({
      animal: {
        best_label: { name: "cat", prob: 0.7 },
        labels: [
          { name: "cat", prob: 0.7 },
          { name: "dog", prob: 0.3 },
        ],
      },
    });
    expect(checkAgainstSchema(writesOf(recognition, config), output.write)).toEqual([]);
  });

  it("writes the tagging labels at or over the threshold (0.5 by default), most probable first", async () => {
    const byDefault = await recognition.run(ctx, recordScope(), { task: "tags", output: "colours" });
    expect(byDefault.write).toEqual({
      colours: {
        labels: [
          { name: "red", prob: 0.9 },
          { name: "green", prob: 0.55 },
        ],
      },
    });
    const strict = await recognition.run(ctx, recordScope(), { task: "tags", output: "colours", threshold: 0.6 });
    expect(strict.write).toEqual({ colours: { labels: [{ name: "red", prob: 0.9 }] } });
    expect(checkAgainstSchema(writesOf(recognition, { task: "tags", output: "colours" }), strict.write)).toEqual([]);
  });

  it("writes the number of a regression task", async () => {
    const output = await recognition.run(ctx, recordScope(), { task: "age", output: "age" });
    expect(output.write).toEqual({ age: 31.5 });
    expect(checkAgainstSchema(writesOf(recognition, { task: "age", output: "age" }), output.write)).toEqual([]);
  });

  it("declares a writes schema that rejects other shapes and offers best_label.name as a field path", () => {
    const writes = writesOf(recognition, { task: "animal", output: "animal" });
    expect(checkAgainstSchema(writes, { animal: "cat" })).not.toEqual([]);
    expect(checkAgainstSchema(writes, { animal: { best_label: { name: "cat", prob: 1 } } })).not.toEqual([]);
    expect(checkAgainstSchema(writes, { animal: { labels: [], extra: 1 } })).not.toEqual([]);
    const flow: FlowGraph = {
      schema: 1,
      nodes: [
        { id: "in", action: "core/input@1", config: {}, position: { x: 0, y: 0 } },
        {
          id: "rec",
          action: "core/recognition@1",
          config: { task: "animal", output: "animal" },
          position: { x: 0, y: 1 },
        },
        {
          id: "cond",
          action: "core/condition@1",
          config: { conditions: [{ field: "animal", op: "exists" }] },
          position: { x: 0, y: 2 },
        },
      ],
      edges: [
        { id: "e1", source: "in", sourceHandle: "next", target: "rec" },
        { id: "e2", source: "rec", sourceHandle: "next", target: "cond" },
      ],
    };
    const paths = fieldPathsUpstream(flow, new ActionRegistry([corePlugin]), "cond").map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(["animal", "animal.best_label.name", "animal.best_label.prob", "animal.labels"]),
    );
  });

  it("refuses a detection task with a message naming the task", async () => {
    await expect(recognition.run(ctx, recordScope(), { task: "boxes", output: "x" })).rejects.toThrow(
      /task boxes is a detection task/,
    );
  });

  it("requires an output field name that is not one the engine owns", () => {
    expect(checkAgainstSchema(recognition.config, { task: "t", output: "category" })).toEqual([]);
    expect(checkAgainstSchema(recognition.config, { task: "t" })).not.toEqual([]);
    expect(checkAgainstSchema(recognition.config, { task: "t", output: "_objects" })).not.toEqual([]);
    expect(checkAgainstSchema(recognition.config, { task: "t", output: "has space" })).not.toEqual([]);
    expect(checkAgainstSchema(recognition.config, { task: "t", output: "x", threshold: 2 })).not.toEqual([]);
  });

  it("refers to its task, limited to the recognition task types, and costs one credit", () => {
    expect(recognition.references?.({ task: "t1", output: "x" })).toEqual([
      { kind: "task", id: "t1", path: "/task", types: ["categorization", "tagging", "regression"] },
    ]);
    expect(recognition.credits).toBe(1);
  });
});

describe("detection", () => {
  const objects = [{ name: "dog", prob: 0.9, bound_box: [1, 2, 30, 40] as [number, number, number, number] }];
  const ctx = fakeContext({
    predictions: { dogs: { type: "detection", result: objects }, cat: categorization("a", { a: 1 }) },
  });

  it("writes the detected objects into _objects", async () => {
    const output = await detection.run(ctx, recordScope(), { task: "dogs" });
    expect(output.write).toEqual({ _objects: objects });
    expect(checkAgainstSchema(writesOf(detection, { task: "dogs" }), output.write)).toEqual([]);
  });

  it("refuses a task that is not a detection task", async () => {
    await expect(detection.run(ctx, recordScope(), { task: "cat" })).rejects.toThrow(/categorization task/);
  });

  describe("its cap (Maximum objects)", () => {
    /** A crowd of `n` faces, probabilities falling, as a decoder returns them (most probable first). */
    const crowd = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: "face",
        prob: 0.99 - i * 0.001,
        bound_box: [i, 0, i + 1, 1] as [number, number, number, number],
      }));

    it("keeps 300 by default and says nothing when nothing was cut", async () => {
      expect(detection.config).toMatchObject({ properties: { maxObjects: { default: 300 } } });
      const faces = crowd(300);
      const output = await detection.run(
        fakeContext({ predictions: { faces: { type: "detection", result: faces } } }),
        recordScope(),
        { task: "faces" },
      );
      expect(output.write).toEqual({ _objects: faces });
    });

    it("keeps the most probable ones and writes how many it left out, with those the model's cap cut", async () => {
      const faces = crowd(12).reverse();
      const ctx = fakeContext({ predictions: { faces: { type: "detection", result: faces, dropped: 7 } } });
      const output = await detection.run(ctx, recordScope(), { task: "faces", maxObjects: 5 });
      expect((output.write?._objects as { prob: number }[]).map((o) => o.prob)).toEqual(crowd(5).map((o) => o.prob));
      expect(output.write?._objects_dropped).toBe(7 + 7);
      expect(checkAgainstSchema(writesOf(detection, { task: "faces" }), output.write)).toEqual([]);
      // Only the model version's cut: the node keeps everything it got.
      const modelOnly = await detection.run(ctx, recordScope(), { task: "faces" });
      expect(modelOnly.write).toEqual({ _objects: faces, _objects_dropped: 7 });
    });

    it("shows the cap and its default in the form, and refuses 0 or more than 10,000", () => {
      const maxObjects = (detection.config as { properties: Record<string, { description?: string }> }).properties
        .maxObjects;
      expect(maxObjects?.description).toMatch(/default 300.*_objects_dropped/);
      expect(checkAgainstSchema(detection.config, { task: "t", maxObjects: 0 })).not.toEqual([]);
      expect(checkAgainstSchema(detection.config, { task: "t", maxObjects: 10_001 })).not.toEqual([]);
      expect(checkAgainstSchema(detection.config, { task: "t", maxObjects: 10_000 })).toEqual([]);
    });
  });

  it("refers to a detection task and its writes schema rejects objects without a box", () => {
    expect(detection.references?.({ task: "dogs" })).toEqual([
      { kind: "task", id: "dogs", path: "/task", types: ["detection"] },
    ]);
    const bad = { _objects: [{ name: "dog", prob: 0.9 }] };
    expect(checkAgainstSchema(writesOf(detection, { task: "dogs" }), bad)).not.toEqual([]);
  });
});
