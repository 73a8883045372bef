"use client";

import { memo, useEffect, useLayoutEffect, useRef, type PointerEvent as ReactPointerEvent } from "react";
import { flushSync } from "react-dom";
import { HANDLES, handleCursor, handlePoint, type Handle, type StagePoint, type View } from "./box-geometry";
import type { AnnotatorAction, AnnotatorState, PointerTarget } from "./annotator-state";
import type { AnnotatorImage, Box, LabelledBox } from "./types";

/** Label colours, by the label's place in the task's list. */
export const LABEL_COLOURS = [
  "#f97316",
  "#0ea5e9",
  "#a855f7",
  "#22c55e",
  "#ef4444",
  "#eab308",
  "#ec4899",
  "#14b8a6",
  "#6366f1",
  "#84cc16",
];
const LABEL_FONT_PX = 12;
const HANDLE_PX = 9;

export function labelColour(labels: readonly string[], label: string): string {
  const at = labels.indexOf(label);
  return LABEL_COLOURS[(at < 0 ? labels.length : at) % LABEL_COLOURS.length] as string;
}

interface StageProps {
  image: AnnotatorImage;
  labels: readonly string[];
  boxes: readonly LabelledBox[];
  proposed: boolean;
  detection: boolean;
  readOnly: boolean;
  state: AnnotatorState;
  dispatch: (action: AnnotatorAction) => void;
  height: string;
}

/** Which part of the drawing the pointer went down on, from the data attributes of the SVG. */
function targetOf(element: EventTarget | null): PointerTarget {
  if (!(element instanceof Element)) return { kind: "empty" };
  const handle = element.closest("[data-handle]");
  if (handle !== null) {
    return {
      kind: "handle",
      index: Number(handle.getAttribute("data-index")),
      handle: handle.getAttribute("data-handle") as Handle,
    };
  }
  const box = element.closest("[data-box-index]");
  return box === null ? { kind: "empty" } : { kind: "box", index: Number(box.getAttribute("data-box-index")) };
}

/**
 * The image with its boxes, zoomed and panned. Boxes are memoised SVG shapes in image pixels inside an
 * SVG sized to the view, so a drag re-renders only the dragged box and a zoom re-renders none; pointer
 * moves are coalesced to one step per animation frame.
 */
export function AnnotatorStage({
  image,
  labels,
  boxes,
  proposed,
  detection,
  readOnly,
  state,
  dispatch,
  height,
}: StageProps) {
  const stage = useRef<HTMLDivElement>(null);
  const pending = useRef<{ at: StagePoint; frame: number } | null>(null);
  const dragging = state.drag !== null;

  useLayoutEffect(() => {
    const element = stage.current;
    if (element === null) return;
    const measure = () =>
      dispatch({ type: "stageResized", size: { width: element.clientWidth, height: element.clientHeight } });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [dispatch]);

  // A wheel zooms the image, not the page: React's wheel listener is passive, so this one is added by hand.
  useEffect(() => {
    const element = stage.current;
    if (element === null) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      dispatch({
        type: "zoom",
        factor: Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015)),
        at: { x: event.clientX - rect.left, y: event.clientY - rect.top },
      });
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [dispatch]);

  useEffect(() => () => cancelAnimationFrame(pending.current?.frame ?? 0), []);

  const pointOf = (event: ReactPointerEvent): StagePoint => {
    const rect = (stage.current as HTMLDivElement).getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const flush = () => {
    const move = pending.current;
    if (move === null) return;
    cancelAnimationFrame(move.frame);
    pending.current = null;
    dispatch({ type: "pointerMove", at: move.at });
  };
  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 && event.button !== 1) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    dispatch({
      type: "pointerDown",
      at: pointOf(event),
      target: targetOf(event.target),
      button: event.button === 1 ? "middle" : "primary",
    });
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (!dragging) return;
    const at = pointOf(event);
    if (pending.current !== null) pending.current.at = at;
    else
      pending.current = {
        at,
        frame: requestAnimationFrame(() => {
          const move = pending.current;
          pending.current = null;
          // Rendered now, inside this frame: a move is otherwise scheduled as a later task and shows a frame late.
          if (move !== null) flushSync(() => dispatch({ type: "pointerMove", at: move.at }));
        }),
      };
  };
  const onPointerUp = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (!dragging) return;
    pending.current = pending.current ?? { at: pointOf(event), frame: 0 };
    flush();
    dispatch({ type: "pointerUp" });
  };

  const view = state.view;
  const drag = state.drag;
  const cursor =
    drag?.kind === "pan"
      ? "grabbing"
      : state.spaceHeld || !detection || readOnly
        ? "grab"
        : drag?.kind === "move"
          ? "move"
          : "crosshair";
  const selected = state.selected !== null ? boxes[state.selected] : undefined;
  const liveSelected =
    selected && (drag?.kind === "move" || drag?.kind === "resize") && drag.index === state.selected
      ? drag.current
      : selected?.box;

  return (
    <div
      ref={stage}
      data-annotator-stage
      className="relative w-full touch-none select-none overflow-hidden rounded-md border bg-neutral-900"
      style={{ height, cursor }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        pending.current = null;
        dispatch({ type: "escape" });
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {view !== null && (
        <>
          <img
            src={image.url}
            alt={image.fileName}
            draggable={false}
            className="pointer-events-none absolute left-0 top-0 max-w-none"
            style={placed(view, image)}
          />
          <svg
            viewBox={`0 0 ${image.width} ${image.height}`}
            preserveAspectRatio="none"
            className="absolute left-0 top-0 overflow-visible"
            style={placed(view, image)}
            aria-label="Boxes"
            role="img"
          >
            <BoxLayer
              boxes={boxes}
              labels={labels}
              proposed={proposed}
              fontSize={LABEL_FONT_PX / view.scale}
              drag={drag}
              selected={state.selected}
            />
            {drag?.kind === "draw" && (
              <rect
                data-drawing
                x={drag.current[0]}
                y={drag.current[1]}
                width={drag.current[2] - drag.current[0]}
                height={drag.current[3] - drag.current[1]}
                fill="rgb(255 255 255 / 0.12)"
                stroke={labelColour(labels, state.nextLabel ?? labels[0] ?? "")}
                strokeWidth={2}
                strokeDasharray="4 3"
                vectorEffect="non-scaling-stroke"
              />
            )}
            {liveSelected !== undefined && state.selected !== null && !readOnly && detection && (
              <Grips box={liveSelected} index={state.selected} scale={view.scale} />
            )}
          </svg>
        </>
      )}
      {state.armed && (
        <div className="pointer-events-none absolute left-2 top-2 rounded bg-black/70 px-2 py-1 text-xs text-white">
          Drag to draw a box ({state.nextLabel ?? labels[0] ?? "object"}) · Esc stops
        </div>
      )}
    </div>
  );
}

function placed(view: View, image: AnnotatorImage) {
  return { left: view.x, top: view.y, width: image.width * view.scale, height: image.height * view.scale };
}

/** All boxes; the one being dragged shows its live shape, the others keep their props and do not re-render. */
const BoxLayer = memo(function BoxLayer({
  boxes,
  labels,
  proposed,
  fontSize,
  drag,
  selected,
}: {
  boxes: readonly LabelledBox[];
  labels: readonly string[];
  proposed: boolean;
  fontSize: number;
  drag: AnnotatorState["drag"];
  selected: number | null;
}) {
  const live = drag?.kind === "move" || drag?.kind === "resize" ? drag : null;
  return (
    <g style={{ fontSize, strokeWidth: 3 / (LABEL_FONT_PX / fontSize) }}>
      {boxes.map((b, i) => (
        <BoxShape
          key={i}
          index={i}
          label={b.label}
          box={live?.index === i ? live.current : b.box}
          colour={labelColour(labels, b.label)}
          selected={selected === i}
          proposed={proposed}
        />
      ))}
    </g>
  );
});

const BoxShape = memo(function BoxShape({
  index,
  label,
  box,
  colour,
  selected,
  proposed,
}: {
  index: number;
  label: string;
  box: Box;
  colour: string;
  selected: boolean;
  proposed: boolean;
}) {
  const [x0, y0, x1, y1] = box;
  return (
    <g data-box-index={index} data-label={label} data-selected={selected || undefined} style={{ cursor: "move" }}>
      <rect
        x={x0}
        y={y0}
        width={x1 - x0}
        height={y1 - y0}
        fill={selected ? "rgb(255 255 255 / 0.18)" : "rgb(255 255 255 / 0.001)"}
        stroke={colour}
        strokeWidth={selected ? 3 : 2}
        strokeDasharray={proposed ? "6 4" : undefined}
        vectorEffect="non-scaling-stroke"
        pointerEvents="all"
      />
      <text
        x={x0}
        y={y0}
        dx="0.3em"
        dy="1.1em"
        fill="white"
        stroke={colour}
        paintOrder="stroke"
        strokeLinejoin="round"
        fontWeight={600}
        pointerEvents="none"
      >
        {proposed ? `${label}?` : label}
      </text>
    </g>
  );
});

/** The selected box's corner and edge grips, a fixed size on screen. */
function Grips({ box, index, scale }: { box: Box; index: number; scale: number }) {
  const size = HANDLE_PX / scale;
  return (
    <g>
      {HANDLES.map((handle) => {
        const p = handlePoint(box, handle);
        return (
          <rect
            key={handle}
            data-handle={handle}
            data-index={index}
            x={p.x - size / 2}
            y={p.y - size / 2}
            width={size}
            height={size}
            fill="white"
            stroke="#111827"
            strokeWidth={1}
            vectorEffect="non-scaling-stroke"
            style={{ cursor: handleCursor(handle) }}
          />
        );
      })}
    </g>
  );
}
