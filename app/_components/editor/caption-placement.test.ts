import { describe, expect, it } from "vitest";
import { overlaps, placeCaptions, type CaptionRequest } from "./caption-placement";

const area = { width: 360, height: 240 };
const caption = (box: [number, number, number, number], width = 80): CaptionRequest => ({ box, width, height: 16 });

function expectNoOverlap(placed: ReturnType<typeof placeCaptions>) {
  const shown = placed.filter((p) => p.visible);
  for (const [i, a] of shown.entries())
    for (const b of shown.slice(i + 1))
      expect(overlaps(a, b), `${JSON.stringify(a)} over ${JSON.stringify(b)}`).toBe(false);
  for (const p of shown) {
    expect(p.x).toBeGreaterThanOrEqual(0);
    expect(p.y).toBeGreaterThanOrEqual(0);
    expect(p.x + p.width).toBeLessThanOrEqual(area.width);
    expect(p.y + p.height).toBeLessThanOrEqual(area.height);
  }
}

describe("placeCaptions", () => {
  it("puts a lone caption just above its box's top-left corner", () => {
    expect(placeCaptions([caption([100, 50, 200, 150])], area)).toEqual([
      { x: 100, y: 34, width: 80, height: 16, visible: true },
    ]);
  });

  it("keeps a caption of a box at the image's edge inside the image", () => {
    const [placed] = placeCaptions([caption([320, 0, 360, 40])], area);
    expect(placed).toMatchObject({ x: 280, y: 0, visible: true });
  });

  it("moves a caption that would cover another: boxes with the same top-left corner", () => {
    const requests = [caption([50, 60, 150, 200]), caption([50, 60, 140, 190]), caption([52, 62, 120, 160])];
    const placed = placeCaptions(requests, area);
    expect(placed.every((p) => p.visible)).toBe(true);
    expectNoOverlap(placed);
    // The first keeps its best spot (above), the second goes inside its box, the third below its box.
    expect(placed.map((p) => p.y)).toEqual([44, 60, 160]);
  });

  it("never lets two shown captions overlap in a crowded street scene", () => {
    // Twenty overlapping boxes in a row, like cars and people on a street, plus nested ones.
    const requests = Array.from({ length: 20 }, (_, i) =>
      caption([(i * 17) % 300, 80 + (i % 3) * 6, ((i * 17) % 300) + 40, 150 + (i % 4) * 10], 60 + (i % 5) * 12),
    );
    const placed = placeCaptions(requests, area);
    expectNoOverlap(placed);
    expect(placed.filter((p) => p.visible).length).toBeGreaterThanOrEqual(15);
  });

  it("hides a caption only when the image has no free room left", () => {
    const full = Array.from({ length: 20 }, () => caption([0, 0, 360, 240], 360));
    const placed = placeCaptions(full, area);
    expect(placed.filter((p) => p.visible)).toHaveLength(15);
    expectNoOverlap(placed);
  });
});
