import { checkAgainstSchema, type ActionOutput } from "@vizflow/sdk";
import { describe, expect, it, vi } from "vitest";

import { condition } from "./condition.js";
import { evaluateTest, readPath } from "./field-test.js";
import { list } from "./list.js";
import { nestedFlow } from "./nested-flow.js";
import { service } from "./service.js";
import { fakeContext, recordScope } from "./test-context.js";

describe("service", () => {
  it("calls the configured service action with its config and passes on what it returns", async () => {
    const returned: ActionOutput = {
      write: { text: "hello" },
      objects: [{ name: "word", prob: 1, bound_box: [0, 0, 5, 5] }],
      credits: 3,
    };
    const callAction = vi.fn((_action: string, _config: Record<string, unknown>) => Promise.resolve(returned));
    const output = await service.run(fakeContext({ callAction }), recordScope(), {
      action: "ocr/read-text@1",
      config: { language: "en" },
    });
    expect(callAction).toHaveBeenCalledWith("ocr/read-text@1", { language: "en" });
    expect(output).toEqual(returned);
  });

  it("refers to the service with its config, for validation and credits", () => {
    expect(service.references?.({ action: "ocr/read-text@1", config: { a: 1 } })).toEqual([
      { kind: "service", action: "ocr/read-text@1", path: "/action", config: { a: 1 }, configPath: "/config" },
    ]);
    expect(checkAgainstSchema(service.config, { action: "not an action" })).not.toEqual([]);
  });
});

describe("list", () => {
  it("runs its children in sequence only in sequence mode", () => {
    const sequential = list.sequential as (c: { mode: "sequence" | "parallel" }) => boolean;
    expect(sequential({ mode: "sequence" })).toBe(true);
    expect(sequential({ mode: "parallel" })).toBe(false);
    expect(checkAgainstSchema(list.config, { mode: "random" })).not.toEqual([]);
  });
});

describe("nested flow", () => {
  const runFlow = vi.fn((_flow: string, _version: number | "deployed") =>
    Promise.resolve({ write: { colour: "red" }, credits: 2 }),
  );

  it("runs the flow and writes its fields into the scope, reporting the credits it cost", async () => {
    const output = await nestedFlow.run(fakeContext({ runFlow }), recordScope(), { flow: "f1", version: "deployed" });
    expect(runFlow).toHaveBeenCalledWith("f1", "deployed");
    expect(output).toEqual({ write: { colour: "red" }, credits: 2 });
  });

  it("writes the nested fields under its output field when it has one", async () => {
    const output = await nestedFlow.run(fakeContext({ runFlow }), recordScope(), {
      flow: "f1",
      version: 3,
      output: "inner",
    });
    expect(runFlow).toHaveBeenLastCalledWith("f1", 3);
    expect(output.write).toEqual({ inner: { colour: "red" } });
  });

  it("accepts a version number or deployed, and refers to the flow", () => {
    expect(checkAgainstSchema(nestedFlow.config, { flow: "f", version: 2 })).toEqual([]);
    expect(checkAgainstSchema(nestedFlow.config, { flow: "f", version: 0 })).not.toEqual([]);
    expect(checkAgainstSchema(nestedFlow.config, { flow: "f", version: "latest" })).not.toEqual([]);
    expect(nestedFlow.references?.({ flow: "f", version: 2 })).toEqual([
      { kind: "flow", id: "f", version: 2, path: "/flow" },
    ]);
  });
});

describe("condition", () => {
  const fields = {
    animal: { best_label: { name: "cat", prob: 0.8 }, labels: [{ name: "cat", prob: 0.8 }] },
    count: 3,
    caption: "a small cat",
    _objects: [{ name: "dog", prob: 0.4, bound_box: [0, 0, 1, 1] }],
  };
  const test = (field: string, op: Parameters<typeof evaluateTest>[1]["op"], value?: unknown): boolean =>
    evaluateTest(fields, { field, op, ...(value === undefined ? {} : { value }) });

  it("reads dotted paths, with numbers indexing lists", () => {
    expect(readPath(fields, "animal.best_label.name")).toBe("cat");
    expect(readPath(fields, "_objects.0.prob")).toBe(0.4);
    expect(readPath(fields, "animal.missing.name")).toBeUndefined();
    expect(readPath(fields, "_objects.first")).toBeUndefined();
  });

  it("evaluates every operator", () => {
    expect(test("animal.best_label.name", "==", "cat")).toBe(true);
    expect(test("animal.best_label.name", "!=", "cat")).toBe(false);
    expect(test("missing", "!=", "cat")).toBe(true);
    expect(test("count", ">", 2)).toBe(true);
    expect(test("count", ">", 3)).toBe(false);
    expect(test("count", ">=", 3)).toBe(true);
    expect(test("count", "<", 3)).toBe(false);
    expect(test("count", "<=", 3)).toBe(true);
    expect(test("caption", ">", 1)).toBe(false);
    expect(test("animal.best_label.name", "in", ["dog", "cat"])).toBe(true);
    expect(test("animal.best_label.name", "not_in", ["dog", "cat"])).toBe(false);
    expect(test("missing", "not_in", ["dog"])).toBe(true);
    expect(test("count", "exists")).toBe(true);
    expect(test("missing", "exists")).toBe(false);
    expect(test("missing", "not_exists")).toBe(true);
    expect(test("caption", "contains", "small")).toBe(true);
    expect(test("animal.labels", "contains", "cat")).toBe(true);
    expect(test("animal.labels", "contains", "dog")).toBe(false);
    expect(test("animal.best_label", "==", { name: "cat", prob: 0.8 })).toBe(true);
  });

  it("takes true or false combining its tests with all or any", async () => {
    const config = {
      conditions: [
        { field: "count", op: ">" as const, value: 5 },
        { field: "animal.best_label.name", op: "==" as const, value: "cat" },
      ],
    };
    const scope = recordScope(fields);
    expect(await condition.run(fakeContext(), scope, config)).toEqual({ take: ["false"] });
    expect(await condition.run(fakeContext(), scope, { ...config, combine: "any" })).toEqual({ take: ["true"] });
    expect(condition.exclusiveHandles).toBe(true);
    expect(condition.handles).toEqual([
      { id: "true", label: "True" },
      { id: "false", label: "False" },
    ]);
  });

  it("requires a value except for exists tests, a list for in, a number for comparisons", () => {
    const check = (c: unknown) => checkAgainstSchema(condition.config, { conditions: [c] });
    expect(check({ field: "a.b", op: "exists" })).toEqual([]);
    expect(check({ field: "a.b", op: "exists", value: 1 })).not.toEqual([]);
    expect(check({ field: "a", op: "==" })).not.toEqual([]);
    expect(check({ field: "a", op: "in", value: "x" })).not.toEqual([]);
    expect(check({ field: "a", op: "in", value: ["x"] })).toEqual([]);
    expect(check({ field: "a", op: ">=", value: "1" })).not.toEqual([]);
    expect(check({ field: "a b", op: "exists" })).not.toEqual([]);
    expect(check({ field: "a", op: "matches", value: "x" })).not.toEqual([]);
    expect(checkAgainstSchema(condition.config, { conditions: [] })).not.toEqual([]);
  });

  it("takes text, a number or true/false for ==, != and contains, and a non-empty list of them for in", () => {
    const check = (c: unknown) => checkAgainstSchema(condition.config, { conditions: [c] });
    for (const op of ["==", "!=", "contains"]) {
      for (const value of ["cat", 3, true]) expect(check({ field: "a", op, value })).toEqual([]);
      expect(check({ field: "a", op, value: { name: "cat" } })).not.toEqual([]);
      expect(check({ field: "a", op, value: null })).not.toEqual([]);
    }
    for (const op of ["in", "not_in"]) {
      expect(check({ field: "a", op, value: ["cat", 2, false] })).toEqual([]);
      expect(check({ field: "a", op, value: [] })).not.toEqual([]);
      expect(check({ field: "a", op, value: [null] })).not.toEqual([]);
      expect(check({ field: "a", op, value: ["cat", "cat"] })).not.toEqual([]);
    }
    expect(check({ field: "a", op: "<", value: 0.5 })).toEqual([]);
    expect(check({ field: "a", op: "not_exists", value: "x" })).not.toEqual([]);
  });
});
