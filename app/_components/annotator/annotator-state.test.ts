import { describe, expect, it } from "vitest";
import {
  annotationOf,
  initialState,
  isProposed,
  keyLabels,
  step,
  type AnnotatorAction,
  type AnnotatorEffect,
  type AnnotatorState,
  type StepContext,
} from "./annotator-state";
import type { AnnotatorImage, AnnotatorTaskType, TrainingAnnotation } from "./types";

const LABELS = ["cat", "dog", "bird"];
// A 1000×500 image on a 532×282 stage fits at scale 0.5 with 16 px margins: stage = image / 2 + (16, 16).
const STAGE = { width: 532, height: 282 };

function img(
  id: string,
  annotation: TrainingAnnotation | null = null,
  extra: Partial<AnnotatorImage> = {},
): AnnotatorImage {
  return { id, fileName: `${id}.jpg`, url: `/${id}.jpg`, width: 1000, height: 500, annotation, ...extra };
}

/** A little driver: applies actions like the component does, following navigate effects. */
class Driver {
  state: AnnotatorState = initialState();
  effects: AnnotatorEffect[] = [];
  constructor(
    public images: AnnotatorImage[],
    public taskType: AnnotatorTaskType = "detection",
    public index = 0,
    public readOnly = false,
    public labels: string[] = LABELS,
  ) {
    this.do({ type: "stageResized", size: STAGE });
  }
  get ctx(): StepContext {
    return {
      taskType: this.taskType,
      labels: this.labels,
      images: this.images,
      index: this.index,
      readOnly: this.readOnly,
    };
  }
  do(...actions: AnnotatorAction[]): AnnotatorEffect[] {
    const out: AnnotatorEffect[] = [];
    for (const action of actions) {
      const { state, effects } = step(this.state, action, this.ctx);
      this.state = state;
      out.push(...effects);
      for (const e of effects) if (e.type === "navigate") this.index = e.index;
    }
    this.effects.push(...out);
    return out;
  }
  /** A drag with the primary button from one image point to another (converted to stage points). */
  drag(
    from: [number, number],
    to: [number, number],
    target: Extract<AnnotatorAction, { type: "pointerDown" }>["target"] = { kind: "empty" },
    button: "primary" | "middle" = "primary",
  ) {
    const stage = ([x, y]: [number, number]) => ({ x: x / 2 + 16, y: y / 2 + 16 });
    return this.do(
      { type: "pointerDown", at: stage(from), target, button },
      { type: "pointerMove", at: stage([(from[0] + to[0]) / 2, (from[1] + to[1]) / 2]) },
      { type: "pointerMove", at: stage(to) },
      { type: "pointerUp" },
    );
  }
  annotation(i = this.index) {
    return annotationOf(this.state, this.images[i] as AnnotatorImage);
  }
  /** The props catching up with the reported edits, as a parent that saves them would do. */
  echo() {
    this.images = this.images.map((image) => ({ ...image, annotation: annotationOf(this.state, image) }));
    this.do({ type: "sync" });
  }
}

const boxes = (...list: [string, number, number, number, number][]): TrainingAnnotation => ({
  kind: "boxes",
  boxes: list.map(([label, x0, y0, x1, y1]) => ({ label, box: [x0, y0, x1, y1] })),
});

describe("categorization and tagging", () => {
  it("a number key sets the category, once per change", () => {
    const d = new Driver([img("a")], "categorization");
    expect(d.do({ type: "labelKey", slot: 2 })).toEqual([
      { type: "change", imageId: "a", annotation: { kind: "category", label: "dog" } },
    ]);
    expect(d.do({ type: "labelKey", slot: 2 })).toEqual([]);
    expect(d.do({ type: "labelKey", slot: 7 })).toEqual([]);
    expect(d.annotation()).toEqual({ kind: "category", label: "dog" });
  });

  it("number keys toggle tags; Negative means none of them", () => {
    const d = new Driver([img("a")], "tagging");
    d.do({ type: "labelKey", slot: 1 }, { type: "labelKey", slot: 3 });
    expect(d.annotation()).toEqual({ kind: "tags", tags: ["cat", "bird"] });
    d.do({ type: "labelKey", slot: 1 });
    expect(d.annotation()).toEqual({ kind: "tags", tags: ["bird"] });
    d.do({ type: "toggleNegative" });
    expect(d.annotation()).toEqual({ kind: "tags", tags: ["Negative"] });
    d.do({ type: "labelKey", slot: 2 });
    expect(d.annotation()).toEqual({ kind: "tags", tags: ["dog"] });
  });

  it("a task's own Negative label gets the N key, not a number", () => {
    expect(keyLabels("tagging", ["Negative", "cat", "dog"])).toEqual(["cat", "dog"]);
    expect(keyLabels("categorization", ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"])).toHaveLength(10);
  });

  it("Delete clears a category", () => {
    const d = new Driver([img("a", { kind: "category", label: "cat" })], "categorization");
    expect(d.do({ type: "deleteSelected" })).toEqual([{ type: "change", imageId: "a", annotation: null }]);
  });

  it("regression: a digit asks for the value field, the value is set and cleared", () => {
    const d = new Driver([img("a")], "regression");
    expect(d.do({ type: "focusValue", text: "4" })).toEqual([{ type: "focusValue", text: "4" }]);
    d.do({ type: "setValue", value: 4.5 });
    expect(d.annotation()).toEqual({ kind: "value", value: 4.5 });
    d.do({ type: "setValue", value: null });
    expect(d.annotation()).toBeNull();
  });
});

describe("boxes", () => {
  it("B then a drag draws a box in image pixels with the picked label, selected", () => {
    const d = new Driver([img("a")]);
    d.do({ type: "labelKey", slot: 2 }, { type: "armDraw" });
    expect(d.state.armed).toBe(true);
    const effects = d.drag([100, 50], [300, 250]);
    expect(effects).toEqual([{ type: "change", imageId: "a", annotation: boxes(["dog", 100, 50, 300, 250]) }]);
    expect(d.state.selected).toBe(0);
    expect(d.state.armed).toBe(false);
  });

  it("a drag on empty ground draws too; the label of the next box is the last one picked", () => {
    const d = new Driver([img("a")]);
    d.drag([10, 10], [60, 60]);
    d.do({ type: "labelKey", slot: 3 });
    d.do({ type: "escape" });
    d.drag([500, 100], [400, 20]);
    expect(d.annotation()).toEqual(boxes(["bird", 10, 10, 60, 60], ["bird", 400, 20, 500, 100]));
  });

  it("a drawn box stops at the image's edges", () => {
    const d = new Driver([img("a")]);
    d.drag([900, 400], [1400, 900]);
    expect(d.annotation()).toEqual(boxes(["cat", 900, 400, 1000, 500]));
  });

  it("a click (a drag of a few pixels) draws nothing and clears the selection", () => {
    const d = new Driver([img("a", boxes(["cat", 0, 0, 100, 100]))]);
    d.do({ type: "select", index: 0 });
    expect(d.drag([500, 300], [504, 302])).toEqual([]);
    expect(d.state.selected).toBeNull();
  });

  it("with a box selected a number key relabels it", () => {
    const d = new Driver([img("a", boxes(["cat", 0, 0, 100, 100], ["cat", 200, 0, 300, 100]))]);
    d.do({ type: "select", index: 1 }, { type: "labelKey", slot: 3 });
    expect(d.annotation()).toEqual(boxes(["cat", 0, 0, 100, 100], ["bird", 200, 0, 300, 100]));
  });

  it("dragging a box moves it, reported once when let go, kept inside the image", () => {
    const d = new Driver([img("a", boxes(["cat", 100, 100, 200, 200], ["dog", 0, 0, 50, 50]))]);
    const first = d.do(
      { type: "pointerDown", at: { x: 100 / 2 + 16, y: 100 }, target: { kind: "box", index: 0 }, button: "primary" },
      { type: "pointerMove", at: { x: 200, y: 120 } },
    );
    expect(first).toEqual([]);
    expect(d.state.drag?.kind).toBe("move");
    expect(d.state.selected).toBe(0);
    d.drag([150, 150], [1150, 350], { kind: "box", index: 0 });
    expect(d.annotation()).toEqual(boxes(["cat", 900, 300, 1000, 400], ["dog", 0, 0, 50, 50]));
    expect(d.effects.filter((e) => e.type === "change")).toHaveLength(1);
  });

  it("dragging a grip resizes the box", () => {
    const d = new Driver([img("a", boxes(["cat", 100, 100, 200, 200]))]);
    d.drag([200, 200], [260, 230], { kind: "handle", index: 0, handle: "se" });
    expect(d.annotation()).toEqual(boxes(["cat", 100, 100, 260, 230]));
    d.drag([100, 150], [140, 10], { kind: "handle", index: 0, handle: "w" });
    expect(d.annotation()).toEqual(boxes(["cat", 140, 100, 260, 230]));
  });

  it("B arms drawing even over an existing box", () => {
    const d = new Driver([img("a", boxes(["cat", 0, 0, 500, 500]))]);
    d.do({ type: "armDraw" });
    d.drag([100, 100], [200, 200], { kind: "box", index: 0 });
    expect(d.annotation()).toEqual(boxes(["cat", 0, 0, 500, 500], ["cat", 100, 100, 200, 200]));
  });

  it("Esc during a drag puts the box back without an edit", () => {
    const d = new Driver([img("a", boxes(["cat", 100, 100, 200, 200]))]);
    const effects = d.do(
      { type: "pointerDown", at: { x: 91, y: 91 }, target: { kind: "box", index: 0 }, button: "primary" },
      { type: "pointerMove", at: { x: 300, y: 200 } },
      { type: "escape" },
      { type: "pointerUp" },
    );
    expect(effects).toEqual([]);
    expect(d.annotation()).toEqual(boxes(["cat", 100, 100, 200, 200]));
  });

  it("Delete removes the selected box and selects its neighbour; Tab cycles both ways", () => {
    const d = new Driver([img("a", boxes(["cat", 0, 0, 10, 10], ["dog", 20, 0, 30, 10], ["bird", 40, 0, 50, 10]))]);
    d.do({ type: "cycleSelection", direction: 1 });
    expect(d.state.selected).toBe(0);
    d.do({ type: "cycleSelection", direction: -1 });
    expect(d.state.selected).toBe(2);
    d.do({ type: "cycleSelection", direction: 1 }, { type: "cycleSelection", direction: 1 });
    expect(d.state.selected).toBe(1);
    d.do({ type: "deleteSelected" });
    expect(d.annotation()).toEqual(boxes(["cat", 0, 0, 10, 10], ["bird", 40, 0, 50, 10]));
    expect(d.state.selected).toBe(1);
    d.do({ type: "deleteSelected" }, { type: "deleteSelected" });
    expect(d.annotation()).toEqual(boxes());
    expect(d.state.selected).toBeNull();
    expect(d.do({ type: "deleteSelected" })).toEqual([]);
  });
});

describe("undo, redo and repeat", () => {
  it("undo and redo step through one image's edits, each reported", () => {
    const d = new Driver([img("a")]);
    d.drag([0, 0], [100, 100]);
    d.drag([200, 0], [300, 100]);
    expect(d.do({ type: "undo" })).toEqual([
      { type: "change", imageId: "a", annotation: boxes(["cat", 0, 0, 100, 100]) },
    ]);
    d.do({ type: "undo" });
    expect(d.annotation()).toBeNull();
    expect(d.do({ type: "undo" })).toEqual([]);
    d.do({ type: "redo" }, { type: "redo" });
    expect(d.annotation()).toEqual(boxes(["cat", 0, 0, 100, 100], ["cat", 200, 0, 300, 100]));
    expect(d.do({ type: "redo" })).toEqual([]);
  });

  it("a new edit after an undo drops the redo steps", () => {
    const d = new Driver([img("a")], "categorization");
    d.do({ type: "labelKey", slot: 1 }, { type: "labelKey", slot: 2 }, { type: "undo" }, { type: "labelKey", slot: 3 });
    expect(d.do({ type: "redo" })).toEqual([]);
    expect(d.annotation()).toEqual({ kind: "category", label: "bird" });
  });

  it("each image has its own history", () => {
    const d = new Driver([img("a"), img("b")], "categorization");
    d.do({ type: "labelKey", slot: 1 }, { type: "navigate", delta: 1 }, { type: "labelKey", slot: 2 });
    expect(d.index).toBe(1);
    d.do({ type: "undo" }, { type: "undo" });
    expect(d.annotation(1)).toBeNull();
    expect(d.annotation(0)).toEqual({ kind: "category", label: "cat" });
    d.do({ type: "navigate", delta: -1 }, { type: "undo" });
    expect(d.annotation(0)).toBeNull();
  });

  it("R adds the previous image's boxes, cut to this image, never twice", () => {
    const small = img("b", null, { width: 400, height: 300 });
    const d = new Driver(
      [img("a", boxes(["cat", 10, 10, 100, 100], ["dog", 300, 200, 600, 400], ["bird", 700, 0, 800, 50])), small],
      "detection",
      1,
    );
    d.do({ type: "repeatPrevious" });
    expect(d.annotation()).toEqual(boxes(["cat", 10, 10, 100, 100], ["dog", 300, 200, 400, 300]));
    expect(d.do({ type: "repeatPrevious" })).toEqual([]);
    d.do({ type: "undo" });
    expect(d.annotation()).toBeNull();
  });

  it("R repeats the previous image's edited boxes, not the props' older ones", () => {
    const d = new Driver([img("a"), img("b", boxes(["dog", 0, 0, 5, 5]))]);
    d.drag([0, 0], [100, 100]);
    d.do({ type: "navigate", delta: 1 }, { type: "repeatPrevious" });
    expect(d.annotation()).toEqual(boxes(["dog", 0, 0, 5, 5], ["cat", 0, 0, 100, 100]));
  });

  it("R copies a category or tags; on the first image it does nothing", () => {
    const d = new Driver([img("a", { kind: "tags", tags: ["dog"] }), img("b")], "tagging");
    expect(d.do({ type: "repeatPrevious" })).toEqual([]);
    d.do({ type: "navigate", delta: 1 }, { type: "repeatPrevious" });
    expect(d.annotation()).toEqual({ kind: "tags", tags: ["dog"] });
  });
});

describe("props and proposals", () => {
  it("a late echo of an earlier edit does not undo a newer one; a change from elsewhere replaces it", () => {
    const d = new Driver([img("a")], "categorization");
    d.do({ type: "labelKey", slot: 1 });
    const afterFirst = d.images.map((i) => ({
      ...i,
      annotation: { kind: "category" as const, label: "cat" },
    }));
    d.do({ type: "labelKey", slot: 2 });
    d.images = afterFirst;
    d.do({ type: "sync" });
    expect(d.annotation()).toEqual({ kind: "category", label: "dog" });
    d.echo();
    expect(d.annotation()).toEqual({ kind: "category", label: "dog" });
    d.images = [img("a", { kind: "category", label: "bird" })];
    d.do({ type: "sync" });
    expect(d.annotation()).toEqual({ kind: "category", label: "bird" });
    expect(d.do({ type: "undo" })).toEqual([]);
  });

  it("a proposal stays marked until accepted; A reports the acceptance", () => {
    const d = new Driver([img("a", boxes(["cat", 0, 0, 50, 50]), { proposed: true })]);
    expect(isProposed(d.state, d.images[0]!)).toBe(true);
    expect(d.do({ type: "acceptProposal" })).toEqual([
      { type: "accept", imageId: "a", annotation: boxes(["cat", 0, 0, 50, 50]) },
    ]);
    expect(isProposed(d.state, d.images[0]!)).toBe(false);
    expect(d.do({ type: "acceptProposal" })).toEqual([]);
  });

  it("editing a proposal settles it; rejecting clears it", () => {
    const edited = new Driver([img("a", boxes(["cat", 0, 0, 50, 50]), { proposed: true })]);
    edited.do({ type: "select", index: 0 }, { type: "labelKey", slot: 2 });
    expect(isProposed(edited.state, edited.images[0]!)).toBe(false);
    const rejected = new Driver([img("a", boxes(["cat", 0, 0, 50, 50]), { proposed: true })]);
    expect(rejected.do({ type: "rejectProposal" })).toEqual([{ type: "reject", imageId: "a" }]);
    expect(rejected.annotation()).toBeNull();
    expect(isProposed(rejected.state, rejected.images[0]!)).toBe(false);
  });

  it("Enter accepts a proposal, confirms and moves on; at the last image it stays", () => {
    const d = new Driver(
      [img("a", { kind: "category", label: "cat" }, { proposed: true }), img("b")],
      "categorization",
    );
    expect(d.do({ type: "confirmAndNext" })).toEqual([
      { type: "accept", imageId: "a", annotation: { kind: "category", label: "cat" } },
      { type: "confirm", imageId: "a" },
      { type: "navigate", index: 1 },
    ]);
    expect(d.do({ type: "confirmAndNext" })).toEqual([{ type: "confirm", imageId: "b" }]);
    expect(d.do({ type: "navigate", delta: 1 })).toEqual([]);
  });

  it("read-only: keys and drags change nothing, but moving, selecting and panning work", () => {
    const d = new Driver([img("a", boxes(["cat", 0, 0, 50, 50]), { proposed: true }), img("b")], "detection", 0, true);
    const none = d.do(
      { type: "labelKey", slot: 1 },
      { type: "armDraw" },
      { type: "deleteSelected" },
      { type: "repeatPrevious" },
      { type: "acceptProposal" },
      { type: "rejectProposal" },
      { type: "undo" },
    );
    expect(none).toEqual([]);
    d.drag([10, 10], [200, 200], { kind: "box", index: 0 });
    expect(d.annotation()).toEqual(boxes(["cat", 0, 0, 50, 50]));
    expect(d.state.selected).toBe(0);
    expect(d.state.view).toEqual({ scale: 0.5, x: 16 + 95, y: 16 + 95 });
    expect(d.do({ type: "confirmAndNext" })).toEqual([{ type: "navigate", index: 1 }]);
  });
});

describe("view", () => {
  it("fits on the stage, zooms by keys around the centre, fits again with F", () => {
    const d = new Driver([img("a")]);
    expect(d.state.view).toEqual({ scale: 0.5, x: 16, y: 16 });
    d.do({ type: "zoomIn" });
    expect(d.state.view?.scale).toBeCloseTo(0.625);
    d.do({ type: "zoomOut" }, { type: "zoomOut" });
    expect(d.state.view?.scale).toBeCloseTo(0.4);
    d.do({ type: "fit" });
    expect(d.state.view).toEqual({ scale: 0.5, x: 16, y: 16 });
  });

  it("Space + drag and the middle button pan instead of drawing", () => {
    const d = new Driver([img("a")]);
    d.do({ type: "space", down: true });
    expect(d.drag([0, 0], [100, 40])).toEqual([]);
    expect(d.state.view).toEqual({ scale: 0.5, x: 66, y: 36 });
    d.do({ type: "space", down: false });
    expect(d.drag([0, 0], [-100, 0], { kind: "empty" }, "middle")).toEqual([]);
    expect(d.state.view).toEqual({ scale: 0.5, x: 16, y: 36 });
    expect(d.annotation()).toBeNull();
  });

  it("boxes are drawn in image pixels whatever the zoom", () => {
    const d = new Driver([img("a")]);
    d.do({ type: "zoom", factor: 4, at: { x: 16, y: 16 } });
    expect(d.state.view).toEqual({ scale: 2, x: 16, y: 16 });
    d.do(
      { type: "pointerDown", at: { x: 36, y: 36 }, target: { kind: "empty" }, button: "primary" },
      { type: "pointerMove", at: { x: 116, y: 76 } },
      { type: "pointerUp" },
    );
    expect(d.annotation()).toEqual(boxes(["cat", 10, 10, 50, 30]));
  });

  it("another image starts fitted, with nothing selected", () => {
    const d = new Driver([img("a", boxes(["cat", 0, 0, 5, 5])), img("b", null, { width: 250, height: 125 })]);
    d.do({ type: "select", index: 0 }, { type: "zoomIn" }, { type: "navigate", delta: 1 }, { type: "sync" });
    expect(d.state.selected).toBeNull();
    expect(d.state.view).toEqual({ scale: 2, x: 16, y: 16 });
  });
});
