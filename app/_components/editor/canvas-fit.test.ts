import type { Rect, Viewport } from "@xyflow/react";
import { describe, expect, it } from "vitest";
import { fitClearOfPanels, panelRects } from "./canvas-fit";

const onScreen = (r: Rect, v: Viewport): Rect => ({
  x: r.x * v.zoom + v.x,
  y: r.y * v.zoom + v.y,
  width: r.width * v.zoom,
  height: r.height * v.zoom,
});
const intersects = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Rect, b: Rect) =>
  a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

// The canvas between the palette and the side panel at 1280x800 and at 1920x1080.
const CANVASES = [
  { width: 680, height: 740 },
  { width: 1320, height: 1020 },
];
const FLOWS: Record<string, Rect> = {
  "a tall flow": { x: -200, y: 0, width: 600, height: 1400 },
  "a wide flow": { x: -900, y: 0, width: 2400, height: 500 },
  "a square flow": { x: 0, y: 0, width: 900, height: 900 },
  "one node": { x: 0, y: 0, width: 220, height: 60 },
};

describe("fitClearOfPanels", () => {
  for (const size of CANVASES)
    for (const [name, bounds] of Object.entries(FLOWS))
      it(`shows ${name} whole on a ${size.width}x${size.height} canvas, clear of the minimap and the zoom buttons`, () => {
        const view = fitClearOfPanels(bounds, size, { min: 0.1, max: 1 });
        const nodes = onScreen(bounds, view);
        const { minimap, controls } = panelRects(size);
        expect(inside(nodes, { x: 0, y: 0, ...size })).toBe(true);
        expect(intersects(nodes, minimap)).toBe(false);
        expect(intersects(nodes, controls)).toBe(false);
      });

  it("keeps a tall flow at the canvas's full height, beside the minimap rather than above it", () => {
    const size = CANVASES[0]!;
    const view = fitClearOfPanels(FLOWS["a tall flow"]!, size, { min: 0.1, max: 1 });
    expect(FLOWS["a tall flow"]!.height * view.zoom).toBeCloseTo(size.height - 48, 0);
  });

  it("never zooms past the maximum", () => {
    expect(fitClearOfPanels(FLOWS["one node"]!, CANVASES[1]!, { min: 0.1, max: 1 }).zoom).toBe(1);
  });

  it("leaves the view alone on a canvas not yet measured", () => {
    expect(fitClearOfPanels(FLOWS["a tall flow"]!, { width: 0, height: 0 }, { min: 0.1, max: 1 })).toEqual({
      x: 0,
      y: 0,
      zoom: 1,
    });
  });
});
