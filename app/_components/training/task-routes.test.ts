import { describe, expect, it } from "vitest";
import { annotateHref, exportHref, MAX_LINKED_IMAGES, reviewHref, tabOfParams, taskHref } from "./task-routes";
import { filterOfParams, filterParams } from "./training-format";

describe("task page addresses", () => {
  it("reads the tab from ?tab=, models unless it says data", () => {
    expect(tabOfParams(new URLSearchParams("tab=data"))).toBe("data");
    expect(tabOfParams(new URLSearchParams("tab=models"))).toBe("models");
    expect(tabOfParams(new URLSearchParams("tab=nonsense"))).toBe("models");
    expect(tabOfParams(new URLSearchParams(""))).toBe("models");
  });

  it("links the data tab with its filter", () => {
    expect(taskHref("w1", "t1")).toBe("/w/w1/tasks/t1");
    expect(taskHref("w1", "t1", "data", { label: "red cat", status: "labelled" })).toBe(
      "/w/w1/tasks/t1?tab=data&label=red+cat&status=labelled",
    );
  });

  it("links the annotator to chosen images, the member's queue or a filter, with pre-annotation", () => {
    expect(annotateHref("w1", "t1", { items: ["i1", "i2"] })).toBe("/w/w1/tasks/t1/annotate?items=i1,i2");
    expect(annotateHref("w1", "t1", { items: ["i1"] }, { preannotate: true })).toBe(
      "/w/w1/tasks/t1/annotate?items=i1&preannotate=1",
    );
    expect(annotateHref("w1", "t1", { queue: "mine" })).toBe("/w/w1/tasks/t1/annotate?queue=mine");
    expect(annotateHref("w1", "t1", { filter: { label: "dog", proposed: true } })).toBe(
      "/w/w1/tasks/t1/annotate?label=dog&proposed=true",
    );
    expect(annotateHref("w1", "t1", { filter: {} })).toBe("/w/w1/tasks/t1/annotate");
    expect(reviewHref("w1", "t1")).toBe("/w/w1/tasks/t1/review");
  });

  it("refuses an annotate link with no image or too many to fit an address", () => {
    expect(() => annotateHref("w1", "t1", { items: [] })).toThrow("at least one image");
    const many = Array.from({ length: MAX_LINKED_IMAGES + 1 }, (_, i) => `i${i}`);
    expect(() => annotateHref("w1", "t1", { items: many })).toThrow(`at most ${MAX_LINKED_IMAGES} images`);
  });

  it("escapes the export layout", () => {
    expect(exportHref("w1", "t1", "voc")).toBe("/api/workspaces/w1/tasks/t1/training-images/export?format=voc");
  });
});

describe("grid filter in the URL", () => {
  it("round-trips every filter through search parameters", () => {
    const filter = { label: "t-shirt", status: "verified" as const, proposed: false, search: "IMG_1, 2%" };
    expect(filterOfParams(filterParams(filter))).toEqual(filter);
    expect(filterOfParams(new URLSearchParams(filterParams(filter).toString()))).toEqual(filter);
  });

  it("leaves out empty filters and ignores values it does not know", () => {
    expect(filterParams({ search: "" }).toString()).toBe("");
    expect(filterOfParams(new URLSearchParams("status=done&proposed=maybe&label=&tab=data"))).toEqual({});
  });
});
