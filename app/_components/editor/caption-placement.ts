/**
 * Where the captions of drawn object boxes go, in screen pixels: each next to its box, none over another.
 * A greedy label placement: each caption takes the first free spot among a few around its box (above
 * it, inside its top, below it, inside its bottom), then the nearest free row further down or up; a
 * caption with no free spot anywhere is left hidden (it still shows on hover).
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CaptionRequest {
  /** The object's box on screen: [x1, y1, x2, y2]. */
  box: readonly [number, number, number, number];
  /** The caption's size on screen, already cut to its largest width. */
  width: number;
  height: number;
}

export interface PlacedCaption extends Rect {
  /** False when no spot was free: the caption is drawn only while its box is hovered. */
  visible: boolean;
}

/** True when two rectangles share more than an edge. */
export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Places every caption inside `area` (the drawn image) so that no two visible captions overlap.
 * Captions are placed in the order given; put the ones that matter most first.
 */
export function placeCaptions(
  requests: readonly CaptionRequest[],
  area: { width: number; height: number },
): PlacedCaption[] {
  const placed: Rect[] = [];
  return requests.map((request) => {
    const width = Math.min(request.width, area.width);
    const height = Math.min(request.height, area.height);
    const [x1, y1, x2, y2] = request.box;
    const fit = (x: number, y: number): Rect => ({
      x: clamp(x, 0, area.width - width),
      y: clamp(y, 0, area.height - height),
      width,
      height,
    });
    const free = (rect: Rect) => placed.every((other) => !overlaps(rect, other));
    const preferred = [fit(x1, y1 - height), fit(x1, y1), fit(x1, y2), fit(x1, y2 - height), fit(x2 - width, y1)];
    let spot = preferred.find(free);
    // Then the nearest row, below the box's top first, a pixel at a time: slow only for hundreds of boxes.
    for (let step = 1; spot === undefined && step <= area.height; step++) {
      const down = fit(x1, y1 + step);
      const up = fit(x1, y1 - height - step);
      if (down.y === y1 + step && free(down)) spot = down;
      else if (up.y === y1 - height - step && free(up)) spot = up;
    }
    if (spot === undefined) return { ...fit(x1, y1 - height), visible: false };
    placed.push(spot);
    return { ...spot, visible: true };
  });
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, Math.max(low, high)));
}
