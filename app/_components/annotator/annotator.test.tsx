import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Annotator } from "./annotator";
import type { AnnotatorImage, AnnotatorProps } from "./types";

const image = (extra: Partial<AnnotatorImage> = {}): AnnotatorImage => ({
  id: "a",
  fileName: "a.jpg",
  url: "/a.jpg",
  width: 640,
  height: 480,
  annotation: null,
  ...extra,
});

function render(props: Partial<AnnotatorProps>): string {
  return renderToString(
    <Annotator
      taskType="detection"
      labels={["raccoon", "person"]}
      images={[image()]}
      index={0}
      onIndexChange={() => undefined}
      onChange={() => undefined}
      {...props}
    />,
  );
}

// The server renders client components too (Next.js): the annotator must render there without a window.
describe("Annotator (server render)", () => {
  it("shows the labels with their keys, the position and the shortcuts", () => {
    const html = render({});
    expect(html).toContain('data-label-button="raccoon"');
    expect(html).toMatch(/person<\/span><kbd[^>]*>2<\/kbd>/);
    expect(html).toContain("1<!-- --> / <!-- -->1");
    expect(html).toContain("New box: drag it");
    expect(html).toContain("Not annotated yet.");
  });

  it("marks a proposal with Accept and Reject, but not for a read-only viewer", () => {
    const proposal = image({ proposed: true, annotation: { kind: "category", label: "raccoon" } });
    const html = render({ taskType: "categorization", images: [proposal] });
    expect(html).toContain("Proposed by a model");
    expect(html).toContain("Accept (A)");
    const readOnly = render({ taskType: "categorization", images: [proposal], readOnly: true });
    expect(readOnly).toContain("Proposed by a model");
    expect(readOnly).not.toContain("Accept (A)");
    expect(readOnly).not.toContain("Repeat the previous");
  });

  it("shows the value field for regression and a Negative button for tagging", () => {
    expect(render({ taskType: "regression", labels: [] })).toContain("data-value-input");
    expect(render({ taskType: "tagging" })).toContain('data-label-button="Negative"');
  });

  it("says so when there are no images", () => {
    expect(render({ images: [] })).toContain("No images to annotate.");
  });
});
