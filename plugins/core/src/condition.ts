import { defineAction } from "@vizflow/sdk";

import { evaluateTest, TEST_OPERATORS, type FieldTest } from "./field-test.js";
import { writesNothing } from "./schemas.js";

export type ConditionConfig = {
  conditions: FieldTest[];
  /** `all`: every test must pass; `any`: one is enough. */
  combine?: "all" | "any";
};

const FIELD_PATH = "^[A-Za-z_][A-Za-z0-9_]*(\\.([A-Za-z_][A-Za-z0-9_]*|[0-9]+))*$";

/** What `==`, `!=` and `contains` compare with, and what `in` / `not_in` list: text, a number, or true / false. */
const SCALAR_TYPES = ["string", "number", "boolean"];

const NUMERIC_OPERATORS = [">", ">=", "<", "<="];
const LIST_OPERATORS = ["in", "not_in"];
const SCALAR_OPERATORS = ["==", "!=", "contains"];

/** The value's schema per operator; `exists` / `not_exists` take none (the form then draws no value field). */
const fieldTestSchema = {
  type: "object",
  title: "Test",
  required: ["field", "op"],
  additionalProperties: false,
  properties: {
    field: { type: "string", title: "Field", pattern: FIELD_PATH },
    op: { enum: [...TEST_OPERATORS], title: "Operator", default: "==" },
    value: {},
  },
  allOf: [
    {
      if: { properties: { op: { enum: ["exists", "not_exists"] } } },
      // Not an empty schema: the form draws the value's field, which drops a value left from another operator.
      then: { not: { required: ["value"] }, properties: { value: { $comment: "no value for exists / not_exists" } } },
      else: { required: ["value"] },
    },
    {
      if: { properties: { op: { enum: LIST_OPERATORS } }, required: ["op"] },
      then: {
        properties: {
          value: { title: "Values", type: "array", items: { type: SCALAR_TYPES }, minItems: 1, uniqueItems: true },
        },
      },
    },
    {
      if: { properties: { op: { enum: NUMERIC_OPERATORS } }, required: ["op"] },
      then: { properties: { value: { title: "Value", type: "number" } } },
    },
    {
      if: { properties: { op: { enum: SCALAR_OPERATORS } }, required: ["op"] },
      then: { properties: { value: { title: "Value", type: SCALAR_TYPES } } },
    },
  ],
};

/** Tests fields already written in the scope and continues on `true` or `false`. */
export const condition = defineAction<ConditionConfig>({
  id: "condition",
  version: 1,
  title: "Condition",
  description:
    "Tests fields written earlier in the scope (e.g. a label or a probability) and continues on true or false.",
  category: "Flow control",
  icon: "git-branch",
  config: {
    type: "object",
    required: ["conditions"],
    additionalProperties: false,
    properties: {
      conditions: { type: "array", title: "Tests", items: fieldTestSchema, minItems: 1 },
      combine: { enum: ["all", "any"], title: "Combine", default: "all" },
    },
  },
  ui: {
    conditions: {
      items: {
        field: { "ui:widget": "field-path" },
        value: { "ui:field": "test-value", "ui:options": { label: false } },
      },
    },
    combine: { "ui:widget": "radio" },
  },
  handles: [
    { id: "true", label: "True" },
    { id: "false", label: "False" },
  ],
  exclusiveHandles: true,
  writes: writesNothing,
  credits: 0,
  run(_ctx, scope, config) {
    const results = config.conditions.map((test) => evaluateTest(scope.fields, test));
    const passed = config.combine === "any" ? results.some(Boolean) : results.every(Boolean);
    return Promise.resolve({ take: [passed ? "true" : "false"] });
  },
});
