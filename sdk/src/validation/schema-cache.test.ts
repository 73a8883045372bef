import { describe, expect, it } from "vitest";

import { checkAgainstSchema, compileSchema } from "./schema-cache.js";

describe("checkAgainstSchema", () => {
  it("folds the branches of an anyOf into one violation", () => {
    const schema = { type: "object", properties: { version: { anyOf: [{ type: "integer" }, { const: "deployed" }] } } };
    expect(checkAgainstSchema(schema, { version: "latest" }, "the config")).toEqual([
      { path: "/version", message: '"version" must be integer, or must be "deployed"' },
    ]);
  });

  it("reports what then/else require, without ajv's `if` summary", () => {
    const schema = {
      type: "object",
      if: { properties: { op: { const: "exists" } } },
      then: { not: { required: ["value"] } },
      else: { required: ["value"] },
    };
    expect(checkAgainstSchema(schema, { op: ">" }, "the config")).toEqual([
      { path: "/value", message: '"value" is required' },
    ]);
  });

  it("names the root value and escapes pointer segments", () => {
    expect(checkAgainstSchema({ type: "object" }, 3, "the config")).toEqual([
      { path: "", message: "the config must be object" },
    ]);
    expect(checkAgainstSchema({ required: ["a/b"] }, {}, "x")).toEqual([
      { path: "/a~1b", message: '"a/b" is required' },
    ]);
  });

  it("reports a schema that does not compile instead of throwing from the cache", () => {
    expect(compileSchema({ type: "no-such-type" })).toEqual({ ok: false, error: expect.stringMatching(/type/) });
    expect(() => checkAgainstSchema({ type: "no-such-type" }, 1)).toThrow(/invalid JSON Schema/);
  });
});
