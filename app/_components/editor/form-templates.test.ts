import { describe, expect, it } from "vitest";
import { itemNoun, titleFromName } from "./form-templates";

describe("array titles and button labels", () => {
  it("names an array's entries after its items' title, else 'item'", () => {
    expect(itemNoun({ type: "array", items: { type: "object", title: "Test" } })).toBe("test");
    expect(itemNoun({ type: "array", items: { type: "string" } })).toBe("item");
    expect(itemNoun({ type: "array", items: [{ type: "string", title: "First" }] })).toBe("item");
  });

  it("titles an array without a title after its field name", () => {
    expect(titleFromName("maxObjects")).toBe("Max objects");
    expect(titleFromName("extra_labels")).toBe("Extra labels");
    expect(titleFromName("")).toBe("");
  });
});
