import corePlugin from "@vizflow/plugin-core";
import { retrieveSchema, type RJSFSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { ActionRegistry } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { convertScalar, fitValue, parseScalar, scalarTypeOf, valueKind } from "./test-value";

const condition = new ActionRegistry([corePlugin])
  .describe()
  .flatMap((p) => p.actions)
  .find((a) => a.ref === "core/condition@1");
const testSchema = (condition?.config.properties as { conditions: { items: RJSFSchema } }).conditions.items;

/** The value's schema as the form resolves it for a test with this operator. */
function valueSchemaFor(op: string): RJSFSchema {
  const resolved = retrieveSchema(validator, testSchema, testSchema, { field: "a", op });
  return (resolved.properties?.value ?? {}) as RJSFSchema;
}

describe("a Condition test's value in the form", () => {
  it("asks for text/number/true-false, a number, a list, or nothing, depending on the operator", () => {
    const kinds = Object.fromEntries(
      ["==", "!=", "contains", ">", ">=", "<", "<=", "in", "not_in", "exists", "not_exists"].map((op) => [
        op,
        valueKind(valueSchemaFor(op)),
      ]),
    );
    expect(kinds).toEqual({
      "==": "scalar",
      "!=": "scalar",
      contains: "scalar",
      ">": "number",
      ">=": "number",
      "<": "number",
      "<=": "number",
      in: "list",
      not_in: "list",
      exists: "none",
      not_exists: "none",
    });
    // Not empty, so that the field is drawn and drops a value another operator left.
    expect(Object.keys(valueSchemaFor("exists"))).not.toEqual([]);
  });

  it("enters a value as its own type, else as the type of the field it is compared with", () => {
    expect(scalarTypeOf(3, "string")).toBe("number");
    expect(scalarTypeOf(["cat"], "number")).toBe("string");
    expect(scalarTypeOf(undefined, "integer")).toBe("number");
    expect(scalarTypeOf(undefined, "boolean")).toBe("boolean");
    expect(scalarTypeOf(undefined, undefined)).toBe("string");
  });

  it("reads what was typed as the chosen type and converts between types", () => {
    expect(parseScalar("cat", "string")).toBe("cat");
    expect(parseScalar("", "string")).toBeUndefined();
    expect(parseScalar("0.5", "number")).toBe(0.5);
    expect(parseScalar("half", "number")).toBeUndefined();
    expect(parseScalar("false", "boolean")).toBe(false);
    expect(convertScalar("3", "number")).toBe(3);
    expect(convertScalar(3, "string")).toBe("3");
    expect(convertScalar({ a: 1 }, "string")).toBeUndefined();
  });

  it("carries the value over when the operator changes, and drops it for exists", () => {
    expect(fitValue("list", "cat")).toEqual(["cat"]);
    expect(fitValue("list", ["cat", "cat", null, "dog"])).toEqual(["cat", "dog"]);
    expect(fitValue("list", undefined)).toBeUndefined();
    expect(fitValue("scalar", ["cat", "dog"])).toBe("cat");
    expect(fitValue("scalar", { name: "cat" })).toBeUndefined();
    expect(fitValue("number", "0.8")).toBe(0.8);
    expect(fitValue("number", "cat")).toBeUndefined();
    expect(fitValue("none", "cat")).toBeUndefined();
  });
});
