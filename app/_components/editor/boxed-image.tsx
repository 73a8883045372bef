"use client";

import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { placeCaptions } from "./caption-placement";
import { boxesOf, type DrawnBox } from "./test-outcomes";

const COLOURS = ["#f97316", "#0ea5e9", "#a855f7", "#22c55e"];
/** Captions keep this size on screen whatever the photo's size. */
const CAPTION_FONT_PX = 11;
const CAPTION_HEIGHT = 16;
const CAPTION_PADDING = 8;
const CAPTION_MAX_WIDTH = 150;

/** The text's width in the caption font, measured by the browser (a guess where there is no canvas). */
function textWidth(text: string, font: string): number {
  const context = typeof document === "undefined" ? null : document.createElement("canvas").getContext("2d");
  if (context === null) return text.length * CAPTION_FONT_PX * 0.6;
  context.font = font;
  return context.measureText(text).width;
}

/**
 * The test image fitted to the panel's width, with the objects' boxes over it and a caption per box at a
 * fixed screen size, placed so that no caption covers another. Hovering a box shows its whole caption;
 * clicking it asks for what ran on that object.
 */
export function BoxedImage({
  image,
  record,
  onPickBox,
}: {
  image: string;
  record: Record<string, unknown> | undefined;
  onPickBox?: ((box: DrawnBox) => void) | undefined;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState<{ width: number; height: number; fontFamily: string } | undefined>();
  const [natural, setNatural] = useState<{ width: number; height: number } | undefined>();
  const [hovered, setHovered] = useState<number | undefined>();
  useLayoutEffect(() => {
    const element = frame.current;
    if (element === null) return;
    const measure = () =>
      setShown({
        width: element.clientWidth,
        height: element.clientHeight,
        fontFamily: getComputedStyle(element).fontFamily,
      });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // The engine's size of the image is what the boxes are in; the decoded file's is the same photo.
  const width = typeof record?._width === "number" ? record._width : natural?.width;
  const height = typeof record?._height === "number" ? record._height : natural?.height;
  const boxes = useMemo(() => (record ? boxesOf(record) : []), [record]);
  const scale = shown !== undefined && width !== undefined && width > 0 ? shown.width / width : undefined;
  const captions = useMemo(() => {
    if (scale === undefined || shown === undefined) return [];
    const font = `500 ${CAPTION_FONT_PX}px ${shown.fontFamily || "sans-serif"}`;
    const full = boxes.map((b) => Math.ceil(textWidth(b.caption, font)) + CAPTION_PADDING);
    const screenBox = (b: DrawnBox) => b.box.map((v) => v * scale) as [number, number, number, number];
    // Outer objects first, so theirs get the best spots; nested ones fit around them.
    const order = boxes.map((_, i) => i).sort((a, b) => (boxes[a]?.depth ?? 0) - (boxes[b]?.depth ?? 0));
    const placed = placeCaptions(
      order.map((i) => ({
        box: screenBox(boxes[i] as DrawnBox),
        width: Math.min(full[i] ?? 0, CAPTION_MAX_WIDTH),
        height: CAPTION_HEIGHT,
      })),
      shown,
    );
    const byBox = new Array<(typeof placed)[number] & { full: number }>(boxes.length);
    order.forEach((boxIndex, i) => {
      const spot = placed[i];
      if (spot) byBox[boxIndex] = { ...spot, full: full[boxIndex] ?? 0 };
    });
    return byBox;
  }, [boxes, scale, shown]);

  const pick = (b: DrawnBox) => onPickBox?.(b);
  return (
    <div ref={frame} className="relative w-full overflow-hidden" onMouseLeave={() => setHovered(undefined)}>
      <img
        src={image}
        alt="Test image"
        className="block h-auto w-full rounded"
        onLoad={(e) => setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
      />
      {width !== undefined && height !== undefined && boxes.length > 0 && (
        <svg
          viewBox={`0 0 ${width} ${height}`}
          preserveAspectRatio="none"
          className="absolute inset-0 h-full w-full"
          aria-label="Detected objects"
          role="img"
        >
          {boxes.map((b, i) => (
            <rect
              key={i}
              data-box={b.caption}
              x={b.box[0]}
              y={b.box[1]}
              width={b.box[2] - b.box[0]}
              height={b.box[3] - b.box[1]}
              fill={hovered === i ? "rgb(255 255 255 / 0.15)" : "transparent"}
              stroke={COLOURS[b.depth % COLOURS.length]}
              strokeWidth={hovered === i ? 3 : 2}
              strokeDasharray={b.depth > 0 ? "6 3" : undefined}
              vectorEffect="non-scaling-stroke"
              pointerEvents="all"
              className="cursor-pointer"
              onMouseEnter={() => setHovered(i)}
              onClick={() => pick(b)}
            >
              <title>{b.caption}</title>
            </rect>
          ))}
        </svg>
      )}
      {captions.map((spot, i) => {
        const b = boxes[i];
        if (spot === undefined || b === undefined) return null;
        const isHovered = hovered === i;
        if (!spot.visible && !isHovered) return null;
        // A hovered caption shows whole, wrapped to the image's width and kept inside it.
        const wide = isHovered ? Math.min(spot.full, shown?.width ?? spot.full) : spot.width;
        const left = Math.max(0, Math.min(spot.x, (shown?.width ?? wide) - wide));
        return (
          <button
            type="button"
            key={i}
            data-caption={b.caption}
            title={b.caption}
            onMouseEnter={() => setHovered(i)}
            onClick={() => pick(b)}
            className={`absolute rounded-sm px-1 text-left font-medium leading-4 text-white shadow-sm ${isHovered ? "z-10 whitespace-normal wrap-anywhere" : "truncate"}`}
            style={{
              left,
              top: spot.y,
              width: wide,
              minHeight: spot.height,
              fontSize: CAPTION_FONT_PX,
              background: COLOURS[b.depth % COLOURS.length],
            }}
          >
            {b.caption}
          </button>
        );
      })}
    </div>
  );
}
