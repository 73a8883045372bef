import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LabelCounts } from "./label-counts";
import { TrainingGrid } from "./training-grid";
import type { TrainingCounts, TrainingItem } from "./training-types";

const item = (extra: Partial<TrainingItem>): TrainingItem => ({
  imageId: "i1",
  position: 1,
  fileName: "a.jpg",
  sha256: "00",
  size: 10,
  width: 640,
  height: 480,
  source: "upload",
  annotation: null,
  annotationSource: null,
  proposed: false,
  proposedByModelVersionId: null,
  annotatedBy: null,
  annotatedAt: null,
  confirmedBy: [],
  status: "unlabelled",
  addedAt: "1970-01-01T00:00:00.000Z",
  thumbnailUrl: "/thumb?signature=x",
  imageUrl: "/full?signature=x",
  ...extra,
});

describe("training grid tiles", () => {
  it("show each image's status and annotation, mark proposals and say which are chosen", () => {
    const html = renderToString(
      <TrainingGrid
        items={[
          item({
            imageId: "i1",
            fileName: "cat.jpg",
            annotation: { kind: "category", label: "cat" },
            status: "verified",
          }),
          item({
            imageId: "i2",
            fileName: "boxes.jpg",
            annotation: { kind: "boxes", boxes: [{ label: "dog", box: [1, 2, 30, 40] }] },
            annotationSource: "model",
            proposed: true,
          }),
        ]}
        selected={new Set(["i2"])}
        onClick={() => undefined}
      />,
    );
    expect(html).toContain('aria-label="cat.jpg: cat, Verified"');
    expect(html).toContain('aria-label="boxes.jpg: proposed 1 box, Unlabelled"');
    expect(html).toContain("Proposed");
    expect(html).toMatch(/aria-pressed="true"[^>]*data-image-id="i2"/);
    expect(html).toMatch(/aria-pressed="false"[^>]*data-image-id="i1"/);
    expect(html).toContain('<rect x="1" y="2" width="29" height="38"');
    expect(html).toContain('src="/thumb?signature=x"');
  });
});

describe("label counts", () => {
  it("show the count per label against the minimum, and the server's warnings", () => {
    const counts = {
      total: 7,
      byStatus: { unlabelled: 1, labelled: 6, verified: 0 },
      proposed: 0,
      annotated: 6,
      checksRequired: 1,
      perLabel: [
        { label: "hat", images: 5, boxes: 0, warning: null },
        {
          label: "skirt",
          images: 1,
          boxes: 0,
          warning: '"skirt" has 1 image; training needs at least 5 images per label (4 more).',
        },
      ],
      warnings: ['"skirt" has 1 image; training needs at least 5 images per label (4 more).'],
      minimum: 5,
    } satisfies TrainingCounts;
    const html = renderToString(
      <LabelCounts
        task={{ id: "t", type: "categorization", labels: ["hat", "skirt"] }}
        counts={counts}
        filter={{ label: "hat" }}
        onFilter={() => undefined}
      />,
    );
    expect(html).toContain("7 images · 1 unlabelled · 6 labelled · 0 verified");
    expect(html).toContain("training needs 5");
    expect(html).toContain("&quot;skirt&quot; has 1 image; training needs at least 5 images per label (4 more).");
    expect(html).toMatch(/data-count="1"[^>]*>1<!-- --> \/ 5/);
    expect(html).toMatch(/aria-pressed="true"[^>]*>.*hat/);
  });
});
