import { describe, expect, it } from "vitest";

import type { JsonSchema, UiHints } from "../action.js";
import { describeFieldErrors, singular, withArticle } from "./field-messages.js";
import { compileSchema } from "./schema-cache.js";

// Shaped like the core actions' schemas (the SDK does not import plugins).
const output: JsonSchema = {
  type: "string",
  title: "Output field",
  pattern: "^[A-Za-z_][A-Za-z0-9_]{0,63}$",
  errorMessage: "Use letters, digits and _, starting with a letter or _.",
  not: { enum: ["_id", "_objects"] },
};
const recognition: JsonSchema = {
  type: "object",
  required: ["task", "output"],
  additionalProperties: false,
  properties: {
    task: { type: "string", minLength: 1, title: "Task" },
    output,
    threshold: { type: "number", minimum: 0, maximum: 1, title: "Tagging threshold" },
  },
};
const recognitionUi: UiHints = { task: { "ui:widget": "task" } };
const branchSelector: JsonSchema = {
  type: "object",
  required: ["task", "branches"],
  properties: {
    task: { type: "string", minLength: 1, title: "Task" },
    branches: {
      type: "array",
      title: "Branches",
      items: { type: "string", minLength: 1 },
      minItems: 1,
      uniqueItems: true,
    },
    maxObjects: { type: "integer", minimum: 1, title: "Maximum objects" },
  },
};
const branchUi: UiHints = { task: { "ui:widget": "task" }, branches: { "ui:widget": "task-labels" } };
const condition: JsonSchema = {
  type: "object",
  required: ["conditions"],
  properties: {
    conditions: {
      type: "array",
      title: "Tests",
      minItems: 1,
      items: {
        type: "object",
        required: ["field", "op"],
        properties: {
          field: { type: "string", title: "Field" },
          op: { enum: ["==", "exists", ">"], title: "Operator" },
          value: { title: "Value" },
        },
        allOf: [
          {
            if: { properties: { op: { const: "exists" } } },
            then: { not: { required: ["value"] } },
            else: { required: ["value"] },
          },
        ],
      },
    },
    combine: { enum: ["all", "any"], title: "Combine" },
    version: { title: "Version", oneOf: [{ type: "integer", minimum: 1 }, { const: "deployed" }] },
  },
};
const conditionUi: UiHints = { conditions: { items: { field: { "ui:widget": "field-path" } } } };

function messages(schema: JsonSchema, ui: UiHints, config: unknown): [string, string][] {
  const compiled = compileSchema(schema);
  if (!compiled.ok) throw new Error(compiled.error);
  if (compiled.validate(config)) return [];
  return describeFieldErrors(compiled.validate.errors ?? [], schema, ui, config).map((v) => [v.path, v.message]);
}

describe("describeFieldErrors: what to do, under the field", () => {
  it("asks to choose a picked field and to name an output field", () => {
    expect(messages(recognition, recognitionUi, {})).toEqual([
      ["/task", "Choose a task."],
      ["/output", "Name the output field."],
    ]);
    expect(messages(recognition, recognitionUi, { task: "", output: "kind" })).toEqual([["/task", "Choose a task."]]);
    expect(messages(recognition, recognitionUi, { task: "t", output: "" })).toEqual([
      ["/output", "Name the output field."],
    ]);
  });

  it("gives a number's bounds, the plugin's own sentence for a pattern, and refuses a reserved name by value", () => {
    expect(messages(recognition, recognitionUi, { task: "t", output: "9 lives", threshold: 3 })).toEqual([
      ["/output", "Use letters, digits and _, starting with a letter or _."],
      ["/threshold", "Use a number from 0 to 1."],
    ]);
    expect(messages(recognition, recognitionUi, { task: "t", output: "_objects" })).toEqual([
      ["/output", "Use letters, digits and _, starting with a letter or _."],
    ]);
    expect(messages(recognition, recognitionUi, { task: "t", output: "x", colour: "red" })).toEqual([
      ["/colour", 'Remove the setting "colour": there is no such setting here.'],
    ]);
  });

  it("names an array's items in the singular: an empty branch is chosen, a repeated one removed", () => {
    expect(messages(branchSelector, branchUi, { task: "t", branches: [null] })).toEqual([
      ["/branches/0", "Choose a branch."],
    ]);
    expect(messages(branchSelector, branchUi, { task: "t", branches: [] })).toEqual([["/branches", "Add a branch."]]);
    expect(messages(branchSelector, branchUi, { task: "t", branches: ["a", "a"], maxObjects: 0 })).toEqual([
      ["/branches/1", "Remove the repeated branch."],
      ["/maxObjects", "Use a whole number of at least 1."],
    ]);
  });

  it("finds fields inside array items and conditional rules, and folds oneOf into one sentence", () => {
    expect(messages(condition, conditionUi, { conditions: [{ op: "==" }] })).toEqual([
      ["/conditions/0/value", "Enter a value."],
      ["/conditions/0/field", "Choose a field."],
    ]);
    expect(
      messages(condition, conditionUi, { conditions: [{ field: "a", op: "~", value: 1 }], combine: "both" }),
    ).toEqual([
      ["/conditions/0/op", 'Choose one of "==", "exists", ">".'],
      ["/combine", 'Choose one of "all", "any".'],
    ]);
    expect(messages(condition, conditionUi, { conditions: [], version: "latest" })).toEqual([
      ["/conditions", "Add a test."],
      ["/version", "Choose a version."],
    ]);
  });
});

describe("words", () => {
  it("makes array titles singular and picks the article", () => {
    expect(["branches", "labels", "tests", "boxes", "categories", "class"].map(singular)).toEqual([
      "branch",
      "label",
      "test",
      "box",
      "category",
      "class",
    ]);
    expect(withArticle("output field")).toBe("an output field");
    expect(withArticle("task")).toBe("a task");
  });
});
