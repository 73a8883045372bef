import { describe, expect, it } from "vitest";
import { annotateHref, annotatorImage, inRequestedOrder, sourceOfParams, sourceTitle } from "./annotate-source";

const params = (query: string) => new URLSearchParams(query);

describe("annotate source", () => {
  it("reads chosen items in their order, without repeats or blanks", () => {
    expect(sourceOfParams(params("items=b,a,,b"))).toEqual({ kind: "items", imageIds: ["b", "a"] });
  });

  it("reads my queue, and items win over the queue", () => {
    expect(sourceOfParams(params("queue=mine"))).toEqual({ kind: "queue" });
    expect(sourceOfParams(params("queue=mine&items=x")).kind).toBe("items");
  });

  it("reads the grid's filter, and no parameters as all images", () => {
    expect(sourceOfParams(params("label=cat&status=unlabelled&proposed=true&search=img"))).toEqual({
      kind: "filter",
      filter: { label: "cat", status: "unlabelled", proposed: true, search: "img" },
    });
    expect(sourceOfParams(params("status=bogus"))).toEqual({ kind: "filter", filter: {} });
    expect(sourceTitle(sourceOfParams(params("")))).toBe("All images");
  });

  it("writes links the page reads back as the same source", () => {
    for (const query of ["items=a,b", "queue=mine", "label=cat&status=verified", ""]) {
      const source = sourceOfParams(params(query));
      const href = annotateHref("w1", "t1", source);
      expect(href.startsWith("/w/w1/tasks/t1/annotate")).toBe(true);
      expect(sourceOfParams(new URL(href, "http://x").searchParams)).toEqual(source);
    }
  });

  it("names what the page works through", () => {
    expect(sourceTitle({ kind: "queue" })).toBe("My queue");
    expect(sourceTitle({ kind: "items", imageIds: ["a"] })).toBe("1 chosen image");
    expect(sourceTitle({ kind: "filter", filter: { status: "unlabelled", label: "cat" } })).toBe(
      "Unlabelled images with “cat”",
    );
  });

  it("keeps the requested order and leaves out ids the server no longer has", () => {
    const items = [{ imageId: "a" }, { imageId: "c" }];
    expect(inRequestedOrder(items, ["c", "b", "a"]).map((i) => i.imageId)).toEqual(["c", "a"]);
  });

  it("shows a waiting edit instead of the server's proposal", () => {
    const item = {
      imageId: "a",
      fileName: "a.jpg",
      imageUrl: "/signed",
      width: 10,
      height: 20,
      annotation: { kind: "category", label: "dog" },
      proposed: true,
      status: "unlabelled" as const,
      confirmedBy: [],
    };
    expect(annotatorImage(item)).toMatchObject({ annotation: { label: "dog" }, proposed: true, url: "/signed" });
    expect(annotatorImage(item, { annotation: { kind: "category", label: "cat" } })).toMatchObject({
      annotation: { label: "cat" },
      proposed: false,
    });
  });
});
