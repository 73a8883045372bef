import { describe, expect, it } from "vitest";
import {
  boxInside,
  clampBox,
  drawnBox,
  fitView,
  handlePoint,
  MAX_SCALE,
  movedBox,
  resizedBox,
  roundBox,
  toImage,
  zoomedView,
} from "./box-geometry";

const image = { width: 200, height: 100 };

describe("box geometry (image pixels)", () => {
  it("orders a box's corners and cuts it to the image", () => {
    expect(clampBox([150, 80, -20, 120], image)).toEqual([0, 80, 150, 100]);
  });

  it("draws a box from any corner to any other, inside the image", () => {
    expect(drawnBox({ x: 50, y: 40 }, { x: 10, y: 10 }, image)).toEqual([10, 10, 50, 40]);
    expect(drawnBox({ x: 190, y: 90 }, { x: 400, y: -30 }, image)).toEqual([190, 0, 200, 90]);
  });

  it("moves a box by the drag and stops it at the image's edges keeping its size", () => {
    expect(movedBox([10, 10, 50, 30], 20, 5, image)).toEqual([30, 15, 70, 35]);
    expect(movedBox([10, 10, 50, 30], 500, -500, image)).toEqual([160, 0, 200, 20]);
    expect(movedBox([10, 10, 50, 30], -500, 500, image)).toEqual([0, 80, 40, 100]);
  });

  it("resizes from a corner, from an edge, and only the held edges move", () => {
    expect(resizedBox([10, 10, 50, 30], "se", 10, 20, image)).toEqual([10, 10, 60, 50]);
    expect(resizedBox([10, 10, 50, 30], "nw", -5, -5, image)).toEqual([5, 5, 50, 30]);
    expect(resizedBox([10, 10, 50, 30], "e", 10, 99, image)).toEqual([10, 10, 60, 30]);
    expect(resizedBox([10, 10, 50, 30], "n", 99, -4, image)).toEqual([10, 6, 50, 30]);
  });

  it("turns a box over when an edge is dragged past the opposite one", () => {
    expect(resizedBox([10, 10, 50, 30], "e", -60, 0, image)).toEqual([0, 10, 10, 30]);
    expect(resizedBox([10, 10, 50, 30], "s", 0, -30, image)).toEqual([10, 0, 50, 10]);
  });

  it("keeps a resized box inside the image and at least the minimum size", () => {
    expect(resizedBox([10, 10, 50, 30], "se", 900, 900, image)).toEqual([10, 10, 200, 100]);
    expect(resizedBox([10, 10, 50, 30], "e", -40, 0, image, 1)).toEqual([10, 10, 11, 30]);
    expect(resizedBox([10, 10, 50, 30], "w", 40, 0, image, 1)).toEqual([49, 10, 50, 30]);
    expect(resizedBox([0, 10, 50, 30], "e", -50, 0, image, 2)).toEqual([0, 10, 2, 30]);
  });

  it("puts the grips on the corners and edge midpoints", () => {
    expect(handlePoint([10, 20, 50, 60], "nw")).toEqual({ x: 10, y: 20 });
    expect(handlePoint([10, 20, 50, 60], "e")).toEqual({ x: 50, y: 40 });
    expect(handlePoint([10, 20, 50, 60], "s")).toEqual({ x: 30, y: 60 });
  });

  it("rounds to a tenth of a pixel", () => {
    expect(roundBox([1.04, 2.06, 3.15, 9.99])).toEqual([1, 2.1, 3.2, 10]);
  });

  it("cuts a repeated box to a smaller image and drops one left outside", () => {
    expect(boxInside([150, 50, 300, 150], image)).toEqual([150, 50, 200, 100]);
    expect(boxInside([250, 10, 300, 20], image)).toBeUndefined();
  });
});

describe("view", () => {
  it("fits a large image in the stage, centred", () => {
    const view = fitView({ width: 4000, height: 2000 }, { width: 1032, height: 800 }, 16);
    expect(view.scale).toBeCloseTo(0.25);
    expect(view.x).toBeCloseTo(16);
    expect(view.y).toBeCloseTo((800 - 500) / 2);
  });

  it("zooms around the pointer: the image point under it stays there", () => {
    const view = { scale: 0.5, x: 10, y: 20 };
    const at = { x: 300, y: 200 };
    const before = toImage(view, at);
    const zoomed = zoomedView(view, 3, at);
    expect(zoomed.scale).toBeCloseTo(1.5);
    const after = toImage(zoomed, at);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it("does not zoom past the limit", () => {
    expect(zoomedView({ scale: 20, x: 0, y: 0 }, 10, { x: 0, y: 0 }).scale).toBe(MAX_SCALE);
  });

  it("maps stage points to image points", () => {
    expect(toImage({ scale: 2, x: 100, y: 50 }, { x: 300, y: 250 })).toEqual({ x: 100, y: 100 });
  });
});
