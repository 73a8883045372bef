/** The annotator's keyboard: one table for the key handler and the legend on screen. */
import type { AnnotatorAction } from "./annotator-state";
import type { AnnotatorTaskType } from "./types";

export interface KeyEventLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface Shortcut {
  keys: string;
  text: string;
  /** The task types it works in; all when absent. */
  only?: readonly AnnotatorTaskType[];
  /** Changes the annotation (so a read-only annotator leaves it out of the legend). */
  edits?: boolean;
}

const LABEL_TEXT: Record<AnnotatorTaskType, string> = {
  categorization: "Set the label",
  tagging: "Add or remove the tag",
  detection: "Label of the selected box (or of the next one)",
  regression: "",
};

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: "1–9, 0", text: "", only: ["categorization", "tagging", "detection"], edits: true },
  { keys: "N", text: "Negative (none of the tags)", only: ["tagging"], edits: true },
  { keys: "V, 0–9", text: "Type the value (Enter saves and goes on)", only: ["regression"], edits: true },
  { keys: "B", text: "New box: drag it (or drag on empty ground)", only: ["detection"], edits: true },
  { keys: "R", text: "Repeat the previous image's annotation", edits: true },
  { keys: "Tab / ⇧Tab", text: "Select the next / previous box", only: ["detection"] },
  { keys: "Delete", text: "Remove the selected box", only: ["detection"], edits: true },
  {
    keys: "Delete",
    text: "Clear the annotation",
    only: ["categorization", "tagging", "regression"],
    edits: true,
  },
  { keys: "Esc", text: "Stop drawing / deselect", only: ["detection"] },
  { keys: "← / →", text: "Previous / next image" },
  { keys: "Enter", text: "Confirm and go to the next image", edits: true },
  { keys: "A / X", text: "Accept / reject the model's proposal", edits: true },
  { keys: "Ctrl Z", text: "Undo", edits: true },
  { keys: "Ctrl ⇧Z / Ctrl Y", text: "Redo", edits: true },
  { keys: "+ / − / F", text: "Zoom in / out / fit (or the wheel)" },
  { keys: "Space+drag", text: "Pan (or the middle button)" },
];

/** The legend's lines for one task type. */
export function shortcutsFor(taskType: AnnotatorTaskType, readOnly: boolean): { keys: string; text: string }[] {
  return SHORTCUTS.filter((s) => (s.only === undefined || s.only.includes(taskType)) && !(readOnly && s.edits)).map(
    (s) => ({ keys: s.keys, text: s.text === "" ? LABEL_TEXT[taskType] : s.text }),
  );
}

/** The element a key event went to, as far as deciding whose key it is. */
export interface KeyTarget {
  tagName?: string;
  isContentEditable?: boolean;
  getAttribute?(name: string): string | null;
}

/**
 * Whether the key belongs to the focused element rather than to the annotator: everything typed into a
 * form control, and Enter or Space on a focused button or link (which they press).
 */
export function keyBelongsToTarget(key: string, target: KeyTarget | null): boolean {
  if (target === null || typeof target.tagName !== "string") return false;
  if (target.isContentEditable === true || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return true;
  const pressable = ["BUTTON", "A", "SUMMARY"].includes(target.tagName) || target.getAttribute?.("role") === "button";
  return pressable && (key === "Enter" || key === " ");
}

/** The number key's slot (1–9, 0), from the key or, with Shift held on some layouts, from the code. */
function digitOf(event: KeyEventLike): number | undefined {
  if (/^[0-9]$/.test(event.key)) return Number(event.key);
  const code = /^(?:Digit|Numpad)([0-9])$/.exec(event.code ?? "");
  return code ? Number(code[1]) : undefined;
}

/**
 * What a key press means to the annotator, or undefined (the browser keeps it). Nothing fires while the
 * person types in a field; Ctrl and Cmd are the same.
 */
export function keyAction(
  event: KeyEventLike,
  taskType: AnnotatorTaskType,
  typing: boolean,
): AnnotatorAction | undefined {
  if (typing || event.altKey) return undefined;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (event.ctrlKey || event.metaKey) {
    if (key === "z") return { type: event.shiftKey ? "redo" : "undo" };
    if (key === "y") return { type: "redo" };
    return undefined;
  }
  const digit = event.shiftKey ? undefined : digitOf(event);
  if (digit !== undefined) {
    return taskType === "regression" ? { type: "focusValue", text: String(digit) } : { type: "labelKey", slot: digit };
  }
  switch (key) {
    case "ArrowRight":
      return { type: "navigate", delta: 1 };
    case "ArrowLeft":
      return { type: "navigate", delta: -1 };
    case "Enter":
      return { type: "confirmAndNext" };
    case "Delete":
    case "Backspace":
      return { type: "deleteSelected" };
    case "Escape":
      return { type: "escape" };
    case "Tab":
      return taskType === "detection" ? { type: "cycleSelection", direction: event.shiftKey ? -1 : 1 } : undefined;
    case " ":
      return { type: "space", down: true };
    case "+":
    case "=":
      return { type: "zoomIn" };
    case "-":
    case "_":
      return { type: "zoomOut" };
    case "f":
      return { type: "fit" };
    case "r":
      return { type: "repeatPrevious" };
    case "a":
      return { type: "acceptProposal" };
    case "x":
      return { type: "rejectProposal" };
    case "b":
      return taskType === "detection" ? { type: "armDraw" } : undefined;
    case "n":
      return taskType === "tagging" ? { type: "toggleNegative" } : undefined;
    case "v":
      return taskType === "regression" ? { type: "focusValue" } : undefined;
    default:
      return undefined;
  }
}
