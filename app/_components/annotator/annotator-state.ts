/**
 * Everything the annotator does, as a pure step function: `step(state, action, context)` gives the next
 * state and the effects the component carries out (report an edit, move to another image, focus the value
 * field). Geometry is in image pixels; the component only turns pointer and key events into actions.
 */
import {
  boxHeight,
  boxInside,
  boxWidth,
  clampPoint,
  drawnBox,
  fitView,
  movedBox,
  resizedBox,
  roundBox,
  toImage,
  zoomedView,
  type Handle,
  type Point,
  type Size,
  type StagePoint,
  type View,
} from "./box-geometry";
import { editedDoc, sameBox, syncedDoc, travelledDoc, type ImageDoc } from "./image-doc";
import type { AnnotatorImage, AnnotatorTaskType, Box, LabelledBox, TrainingAnnotation } from "./types";

export { HISTORY_LIMIT, sameAnnotation, type ImageDoc } from "./image-doc";

/** A drag shorter than this many screen pixels is a click, not a new box. */
export const MIN_DRAWN_PX = 4;
export const NEGATIVE = "Negative";
const ZOOM_STEP = 1.25;

type Annotation = TrainingAnnotation | null;

export type Drag =
  | { kind: "move"; index: number; origin: Point; original: Box; current: Box }
  | { kind: "resize"; index: number; handle: Handle; origin: Point; original: Box; current: Box }
  | { kind: "draw"; origin: Point; current: Box }
  | { kind: "pan"; origin: StagePoint; view: View };

export interface AnnotatorState {
  docs: Record<string, ImageDoc>;
  /** The image the selection, drag and view belong to. */
  imageId: string | undefined;
  selected: number | null;
  /** The label the next drawn box gets (the last one picked). */
  nextLabel: string | null;
  /** B was pressed: the next drag draws a box even where it starts on one. */
  armed: boolean;
  spaceHeld: boolean;
  drag: Drag | null;
  stage: Size | null;
  view: View | null;
  /** The view is the fitted one (so a resized stage fits again). */
  fitted: boolean;
}

export interface StepContext {
  taskType: AnnotatorTaskType;
  labels: readonly string[];
  images: readonly AnnotatorImage[];
  index: number;
  readOnly: boolean;
}

/** What the pointer went down on. */
export type PointerTarget =
  { kind: "box"; index: number } | { kind: "handle"; index: number; handle: Handle } | { kind: "empty" };

export type AnnotatorAction =
  | { type: "sync" }
  | { type: "stageResized"; size: Size }
  | { type: "pickLabel"; label: string }
  | { type: "labelKey"; slot: number }
  | { type: "toggleNegative" }
  | { type: "setValue"; value: number | null }
  | { type: "focusValue"; text?: string }
  | { type: "armDraw" }
  | { type: "pointerDown"; at: StagePoint; target: PointerTarget; button: "primary" | "middle" }
  | { type: "pointerMove"; at: StagePoint }
  | { type: "pointerUp" }
  | { type: "escape" }
  | { type: "deleteSelected" }
  | { type: "select"; index: number | null }
  | { type: "cycleSelection"; direction: 1 | -1 }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "repeatPrevious" }
  | { type: "zoom"; factor: number; at?: StagePoint }
  | { type: "zoomIn" }
  | { type: "zoomOut" }
  | { type: "fit" }
  | { type: "space"; down: boolean }
  | { type: "navigate"; delta: 1 | -1 }
  | { type: "confirmAndNext" }
  | { type: "acceptProposal" }
  | { type: "rejectProposal" };

export type AnnotatorEffect =
  | { type: "change"; imageId: string; annotation: Annotation }
  | { type: "navigate"; index: number }
  | { type: "confirm"; imageId: string }
  | { type: "accept"; imageId: string; annotation: Annotation }
  | { type: "reject"; imageId: string }
  | { type: "focusValue"; text?: string };

export interface StepResult {
  state: AnnotatorState;
  effects: AnnotatorEffect[];
}

export function initialState(): AnnotatorState {
  return {
    docs: {},
    imageId: undefined,
    selected: null,
    nextLabel: null,
    armed: false,
    spaceHeld: false,
    drag: null,
    stage: null,
    view: null,
    fitted: true,
  };
}

/** The working copy of an image's annotation (props until this annotator edited it). */
export function annotationOf(state: AnnotatorState, image: AnnotatorImage): Annotation {
  const doc = state.docs[image.id];
  return doc === undefined ? image.annotation : doc.annotation;
}

/** Whether the image still shows a model's proposal no one has settled. */
export function isProposed(state: AnnotatorState, image: AnnotatorImage): boolean {
  return (
    image.proposed === true && state.docs[image.id]?.proposalSettled !== true && annotationOf(state, image) !== null
  );
}

/** The boxes of an image's working copy ([] for any other kind). */
export function boxesOf(annotation: Annotation): LabelledBox[] {
  return annotation?.kind === "boxes" ? annotation.boxes : [];
}

/** Which label a number key stands for: 1–9 are the first nine, 0 the tenth. Tagging keeps N for `Negative`. */
export function keyLabels(taskType: AnnotatorTaskType, labels: readonly string[]): string[] {
  return (taskType === "tagging" ? labels.filter((l) => l !== NEGATIVE) : [...labels]).slice(0, 10);
}

/** The label under number key `slot` (1–9, 0 for the tenth), if there is one. */
export function labelForSlot(taskType: AnnotatorTaskType, labels: readonly string[], slot: number): string | undefined {
  return keyLabels(taskType, labels)[slot === 0 ? 9 : slot - 1];
}

/** The images' annotations as received; keeps this annotator's edits where props have not caught up yet. */
function synced(state: AnnotatorState, images: readonly AnnotatorImage[]): AnnotatorState {
  let docs = state.docs;
  for (const image of images) {
    const doc = docs[image.id];
    const next = syncedDoc(doc, image);
    if (next !== doc) docs = { ...docs, [image.id]: next };
  }
  return docs === state.docs ? state : { ...state, docs };
}

/** The state for the context's current image: selection, drag and view start over on another image. */
function focused(state: AnnotatorState, ctx: StepContext): AnnotatorState {
  const image = ctx.images[ctx.index];
  let next = synced(state, ctx.images);
  if (image === undefined) return next;
  if (next.imageId !== image.id) {
    next = {
      ...next,
      imageId: image.id,
      selected: null,
      armed: false,
      drag: null,
      view: next.stage === null ? null : fitView(image, next.stage),
      fitted: true,
    };
  }
  const count = boxesOf(annotationOf(next, image)).length;
  if (next.selected !== null && next.selected >= count) next = { ...next, selected: count > 0 ? count - 1 : null };
  return next;
}

/** One step of the annotator. Pure: the same state, action and context always give the same result. */
export function step(previous: AnnotatorState, action: AnnotatorAction, ctx: StepContext): StepResult {
  const state = focused(previous, ctx);
  const image = ctx.images[ctx.index];
  const done = (s: AnnotatorState, effects: AnnotatorEffect[] = []): StepResult => ({ state: s, effects });
  if (image === undefined) return done(state);
  const annotation = annotationOf(state, image);
  const editable = !ctx.readOnly;
  const detection = ctx.taskType === "detection";

  switch (action.type) {
    case "sync":
      return done(state);
    case "stageResized": {
      const fit = state.fitted || state.view === null;
      return done({ ...state, stage: action.size, view: fit ? fitView(image, action.size) : state.view, fitted: fit });
    }
    case "fit":
      return done(state.stage === null ? state : { ...state, view: fitView(image, state.stage), fitted: true });
    case "zoom":
    case "zoomIn":
    case "zoomOut": {
      if (state.view === null || state.stage === null) return done(state);
      const factor = action.type === "zoom" ? action.factor : action.type === "zoomIn" ? ZOOM_STEP : 1 / ZOOM_STEP;
      const at =
        action.type === "zoom" && action.at ? action.at : { x: state.stage.width / 2, y: state.stage.height / 2 };
      return done({ ...state, view: zoomedView(state.view, factor, at), fitted: false });
    }
    case "space":
      return done({ ...state, spaceHeld: action.down });
    case "navigate": {
      const index = ctx.index + action.delta;
      return done(state, index >= 0 && index < ctx.images.length ? [{ type: "navigate", index }] : []);
    }
    case "confirmAndNext": {
      const effects: AnnotatorEffect[] = [];
      if (editable) {
        if (isProposed(state, image)) effects.push({ type: "accept", imageId: image.id, annotation });
        effects.push({ type: "confirm", imageId: image.id });
      }
      if (ctx.index + 1 < ctx.images.length) effects.push({ type: "navigate", index: ctx.index + 1 });
      return done(editable ? settled(state, image.id) : state, effects);
    }
    case "acceptProposal":
      if (!editable || !isProposed(state, image)) return done(state);
      return done(settled(state, image.id), [{ type: "accept", imageId: image.id, annotation }]);
    case "rejectProposal": {
      if (!editable || !isProposed(state, image)) return done(state);
      // One report, the rejection: the owner of the data clears the annotation with it.
      const cleared = edit(state, image.id, null);
      return done({ ...cleared.state, selected: null }, [{ type: "reject", imageId: image.id }]);
    }
    case "undo":
    case "redo": {
      if (!editable) return done(state);
      return travel(state, image.id, action.type === "undo" ? -1 : 1);
    }
    case "focusValue":
      return done(state, editable && ctx.taskType === "regression" ? [{ type: "focusValue", text: action.text }] : []);
    case "escape":
      if (state.drag !== null) return done({ ...state, drag: null });
      return done({ ...state, armed: false, selected: null });
    case "select":
      return done({ ...state, selected: action.index });
    case "cycleSelection": {
      const count = boxesOf(annotation).length;
      if (count === 0) return done({ ...state, selected: null });
      const from = state.selected ?? (action.direction === 1 ? -1 : count);
      return done({ ...state, selected: (from + action.direction + count) % count });
    }
    default:
      break;
  }
  if (!editable) return pointerOnly(state, action, image);

  switch (action.type) {
    case "labelKey": {
      const label = labelForSlot(ctx.taskType, ctx.labels, action.slot);
      return label === undefined ? done(state) : step(state, { type: "pickLabel", label }, ctx);
    }
    case "pickLabel":
      return pickLabel(state, ctx, image, annotation, action.label);
    case "toggleNegative": {
      if (ctx.taskType !== "tagging") return done(state);
      const tags = annotation?.kind === "tags" ? annotation.tags : [];
      return edit(state, image.id, { kind: "tags", tags: tags.includes(NEGATIVE) ? [] : [NEGATIVE] });
    }
    case "setValue":
      if (ctx.taskType !== "regression") return done(state);
      return edit(state, image.id, action.value === null ? null : { kind: "value", value: action.value });
    case "armDraw":
      return done(detection ? { ...state, armed: true, selected: null } : state);
    case "deleteSelected": {
      if (!detection) return edit(state, image.id, null);
      const boxes = boxesOf(annotation);
      if (state.selected === null || state.selected >= boxes.length) return done(state);
      const at = state.selected;
      const result = edit(state, image.id, { kind: "boxes", boxes: boxes.filter((_, i) => i !== at) });
      const left = boxes.length - 1;
      return done({ ...result.state, selected: left === 0 ? null : Math.min(at, left - 1) }, result.effects);
    }
    case "repeatPrevious":
      return repeatPrevious(state, ctx, image, annotation);
    case "pointerDown":
      return pointerDown(state, ctx, image, annotation, action);
    case "pointerMove":
      return done(dragged(state, image, action.at));
    case "pointerUp":
      return pointerUp(state, ctx, image, annotation);
    default:
      return done(state);
  }
}

/** Looking is allowed without the right to change: panning, and clicking a box to see it. */
function pointerOnly(state: AnnotatorState, action: AnnotatorAction, image: AnnotatorImage): StepResult {
  if (action.type === "pointerDown") {
    if (state.view === null) return { state, effects: [] };
    const selected = action.target.kind === "empty" ? null : action.target.index;
    return { state: { ...state, selected, drag: { kind: "pan", origin: action.at, view: state.view } }, effects: [] };
  }
  if (action.type === "pointerMove") return { state: dragged(state, image, action.at), effects: [] };
  if (action.type === "pointerUp") return { state: { ...state, drag: null }, effects: [] };
  return { state, effects: [] };
}

function settled(state: AnnotatorState, imageId: string): AnnotatorState {
  const doc = state.docs[imageId];
  return doc === undefined || doc.proposalSettled
    ? state
    : { ...state, docs: { ...state.docs, [imageId]: { ...doc, proposalSettled: true } } };
}

/** Replaces the image's working annotation, as one undoable step, and reports it. */
function edit(state: AnnotatorState, imageId: string, annotation: Annotation): StepResult {
  const doc = state.docs[imageId];
  const next = doc === undefined ? undefined : editedDoc(doc, annotation);
  if (next === undefined) return { state, effects: [] };
  return {
    state: { ...state, docs: { ...state.docs, [imageId]: next } },
    effects: [{ type: "change", imageId, annotation }],
  };
}

function travel(state: AnnotatorState, imageId: string, direction: -1 | 1): StepResult {
  const doc = state.docs[imageId];
  const next = doc === undefined ? undefined : travelledDoc(doc, direction);
  if (next === undefined) return { state, effects: [] };
  const count = boxesOf(next.annotation).length;
  const selected = state.selected !== null && state.selected < count ? state.selected : null;
  return {
    state: { ...state, selected, drag: null, docs: { ...state.docs, [imageId]: next } },
    effects: [{ type: "change", imageId, annotation: next.annotation }],
  };
}

function pickLabel(
  state: AnnotatorState,
  ctx: StepContext,
  image: AnnotatorImage,
  annotation: Annotation,
  label: string,
): StepResult {
  switch (ctx.taskType) {
    case "categorization":
      return edit(state, image.id, { kind: "category", label });
    case "tagging": {
      const tags = annotation?.kind === "tags" ? annotation.tags.filter((t) => t !== NEGATIVE) : [];
      const next = tags.includes(label) ? tags.filter((t) => t !== label) : [...tags, label];
      return edit(state, image.id, { kind: "tags", tags: next });
    }
    case "detection": {
      const remembered = { ...state, nextLabel: label };
      const boxes = boxesOf(annotation);
      const at = state.selected;
      if (at === null || at >= boxes.length) return { state: remembered, effects: [] };
      return edit(remembered, image.id, {
        kind: "boxes",
        boxes: boxes.map((b, i) => (i === at ? { ...b, label } : b)),
      });
    }
    case "regression":
      return { state, effects: [] };
  }
}

/**
 * The previous image's annotation on this one. Boxes are added to the ones already here (those already
 * present are not doubled) and cut to this image's size; other kinds replace this image's annotation.
 */
function repeatPrevious(
  state: AnnotatorState,
  ctx: StepContext,
  image: AnnotatorImage,
  annotation: Annotation,
): StepResult {
  const previous = ctx.images[ctx.index - 1];
  if (previous === undefined) return { state, effects: [] };
  const theirs = annotationOf(state, previous);
  if (theirs === null) return { state, effects: [] };
  if (theirs.kind !== "boxes") return edit(state, image.id, theirs);
  const ours = boxesOf(annotation);
  const added: LabelledBox[] = [];
  for (const b of theirs.boxes) {
    const box = boxInside(b.box, image);
    if (box === undefined) continue;
    const copy = { label: b.label, box };
    if (!ours.some((o) => sameBox(o, copy))) added.push(copy);
  }
  if (added.length === 0 && annotation !== null) return { state, effects: [] };
  return edit(state, image.id, { kind: "boxes", boxes: [...ours, ...added] });
}

function pointerDown(
  state: AnnotatorState,
  ctx: StepContext,
  image: AnnotatorImage,
  annotation: Annotation,
  action: Extract<AnnotatorAction, { type: "pointerDown" }>,
): StepResult {
  const { view } = state;
  if (view === null) return { state, effects: [] };
  const pan = action.button === "middle" || state.spaceHeld || ctx.taskType !== "detection";
  if (pan) return { state: { ...state, drag: { kind: "pan", origin: action.at, view } }, effects: [] };
  const point = toImage(view, action.at);
  const boxes = boxesOf(annotation);
  const target = action.target;
  if (state.armed || target.kind === "empty") {
    const origin = clampPoint(point, image);
    return {
      state: { ...state, drag: { kind: "draw", origin, current: drawnBox(origin, origin, image) } },
      effects: [],
    };
  }
  const box = boxes[target.index]?.box;
  if (box === undefined) return { state, effects: [] };
  const drag: Drag =
    target.kind === "handle"
      ? { kind: "resize", index: target.index, handle: target.handle, origin: point, original: box, current: box }
      : { kind: "move", index: target.index, origin: point, original: box, current: box };
  return { state: { ...state, selected: target.index, drag }, effects: [] };
}

function dragged(state: AnnotatorState, image: AnnotatorImage, at: StagePoint): AnnotatorState {
  const { drag, view } = state;
  if (drag === null || view === null) return state;
  if (drag.kind === "pan") {
    return {
      ...state,
      view: { ...drag.view, x: drag.view.x + at.x - drag.origin.x, y: drag.view.y + at.y - drag.origin.y },
      fitted: false,
    };
  }
  const point = toImage(view, at);
  const dx = point.x - drag.origin.x;
  const dy = point.y - drag.origin.y;
  const current =
    drag.kind === "draw"
      ? drawnBox(drag.origin, point, image)
      : drag.kind === "move"
        ? movedBox(drag.original, dx, dy, image)
        : resizedBox(drag.original, drag.handle, dx, dy, image, 1);
  return { ...state, drag: { ...drag, current } };
}

function pointerUp(state: AnnotatorState, ctx: StepContext, image: AnnotatorImage, annotation: Annotation): StepResult {
  const { drag, view } = state;
  if (drag === null) return { state, effects: [] };
  const idle = { ...state, drag: null };
  if (drag.kind === "pan") return { state: idle, effects: [] };
  const boxes = boxesOf(annotation);
  if (drag.kind === "draw") {
    const min = MIN_DRAWN_PX / (view?.scale ?? 1);
    if (boxWidth(drag.current) < min || boxHeight(drag.current) < min) {
      // A click: on empty ground it clears the selection; an armed B waits for a real drag.
      return { state: { ...idle, selected: null }, effects: [] };
    }
    const label = state.nextLabel ?? ctx.labels[0] ?? "object";
    const result = edit(idle, image.id, { kind: "boxes", boxes: [...boxes, { label, box: roundBox(drag.current) }] });
    return { state: { ...result.state, armed: false, selected: boxes.length }, effects: result.effects };
  }
  const current = roundBox(drag.current);
  const old = boxes[drag.index];
  if (old === undefined || current.every((v, i) => v === old.box[i])) return { state: idle, effects: [] };
  return edit(idle, image.id, {
    kind: "boxes",
    boxes: boxes.map((b, i) => (i === drag.index ? { ...b, box: current } : b)),
  });
}
