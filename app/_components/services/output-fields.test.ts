import { describe, expect, it } from "vitest";
import { outputFields } from "./output-fields";

describe("outputFields", () => {
  it("flattens nested objects and arrays of objects into paths with types", () => {
    const schema = {
      type: "object",
      properties: {
        colors: {
          type: "object",
          properties: {
            colors: {
              type: "array",
              items: { type: "object", properties: { hex: { type: "string" }, share: { type: "number" } } },
            },
            background: { anyOf: [{ type: "null" }, { type: "object" }] },
          },
        },
        count: { type: "integer", description: "How many." },
        mime: { const: "image/png" },
        tags: { type: "array", items: { type: "string" } },
      },
    };
    expect(outputFields(schema)).toEqual([
      { path: "colors", type: "object" },
      { path: "colors.colors", type: "object[]" },
      { path: "colors.colors[].hex", type: "string" },
      { path: "colors.colors[].share", type: "number" },
      { path: "colors.background", type: "null | object" },
      { path: "count", type: "integer", description: "How many." },
      { path: "mime", type: '"image/png"' },
      { path: "tags", type: "string[]" },
    ]);
  });

  it("returns nothing for a schema without properties", () => {
    expect(outputFields({ type: "object" })).toEqual([]);
    expect(outputFields(undefined)).toEqual([]);
  });
});
