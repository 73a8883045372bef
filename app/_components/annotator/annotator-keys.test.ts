import { describe, expect, it } from "vitest";
import { keyAction, keyBelongsToTarget, shortcutsFor, type KeyEventLike } from "./annotator-keys";

const press = (key: string, extra: Partial<KeyEventLike> = {}): KeyEventLike => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...extra,
});

describe("annotator keys", () => {
  it("number keys pick label slots, 0 the tenth", () => {
    expect(keyAction(press("1"), "categorization", false)).toEqual({ type: "labelKey", slot: 1 });
    expect(keyAction(press("0"), "detection", false)).toEqual({ type: "labelKey", slot: 0 });
    expect(keyAction(press("9"), "tagging", false)).toEqual({ type: "labelKey", slot: 9 });
  });

  it("a number key in regression starts typing the value", () => {
    expect(keyAction(press("4"), "regression", false)).toEqual({ type: "focusValue", text: "4" });
    expect(keyAction(press("v"), "regression", false)).toEqual({ type: "focusValue" });
  });

  it("nothing fires while typing in a field", () => {
    for (const key of ["1", "b", "Enter", "Delete", "ArrowRight", "r", " "]) {
      expect(keyAction(press(key), "detection", true)).toBeUndefined();
    }
    expect(keyAction(press("z", { ctrlKey: true }), "detection", true)).toBeUndefined();
  });

  it("undo and redo with Ctrl or Cmd", () => {
    expect(keyAction(press("z", { ctrlKey: true }), "detection", false)).toEqual({ type: "undo" });
    expect(keyAction(press("z", { metaKey: true }), "detection", false)).toEqual({ type: "undo" });
    expect(keyAction(press("Z", { ctrlKey: true, shiftKey: true }), "detection", false)).toEqual({ type: "redo" });
    expect(keyAction(press("y", { ctrlKey: true }), "detection", false)).toEqual({ type: "redo" });
  });

  it("leaves the browser's own Ctrl shortcuts and Alt combinations alone", () => {
    expect(keyAction(press("1", { ctrlKey: true }), "categorization", false)).toBeUndefined();
    expect(keyAction(press("r", { ctrlKey: true }), "detection", false)).toBeUndefined();
    expect(keyAction(press("ArrowLeft", { altKey: true }), "detection", false)).toBeUndefined();
  });

  it("B draws only in detection, N is Negative only in tagging, Tab cycles boxes only in detection", () => {
    expect(keyAction(press("b"), "detection", false)).toEqual({ type: "armDraw" });
    expect(keyAction(press("B"), "detection", false)).toEqual({ type: "armDraw" });
    expect(keyAction(press("b"), "categorization", false)).toBeUndefined();
    expect(keyAction(press("n"), "tagging", false)).toEqual({ type: "toggleNegative" });
    expect(keyAction(press("n"), "detection", false)).toBeUndefined();
    expect(keyAction(press("Tab"), "detection", false)).toEqual({ type: "cycleSelection", direction: 1 });
    expect(keyAction(press("Tab", { shiftKey: true }), "detection", false)).toEqual({
      type: "cycleSelection",
      direction: -1,
    });
    expect(keyAction(press("Tab"), "tagging", false)).toBeUndefined();
  });

  it("moves, confirms, deletes, repeats, accepts, rejects, zooms and pans", () => {
    const t = "detection" as const;
    expect(keyAction(press("ArrowRight"), t, false)).toEqual({ type: "navigate", delta: 1 });
    expect(keyAction(press("ArrowLeft"), t, false)).toEqual({ type: "navigate", delta: -1 });
    expect(keyAction(press("Enter"), t, false)).toEqual({ type: "confirmAndNext" });
    expect(keyAction(press("Delete"), t, false)).toEqual({ type: "deleteSelected" });
    expect(keyAction(press("Backspace"), t, false)).toEqual({ type: "deleteSelected" });
    expect(keyAction(press("r"), t, false)).toEqual({ type: "repeatPrevious" });
    expect(keyAction(press("a"), t, false)).toEqual({ type: "acceptProposal" });
    expect(keyAction(press("x"), t, false)).toEqual({ type: "rejectProposal" });
    expect(keyAction(press("+"), t, false)).toEqual({ type: "zoomIn" });
    expect(keyAction(press("="), t, false)).toEqual({ type: "zoomIn" });
    expect(keyAction(press("-"), t, false)).toEqual({ type: "zoomOut" });
    expect(keyAction(press("f"), t, false)).toEqual({ type: "fit" });
    expect(keyAction(press(" "), t, false)).toEqual({ type: "space", down: true });
    expect(keyAction(press("Escape"), t, false)).toEqual({ type: "escape" });
  });

  it("Shift with a digit is not a label key (Shift+1 is '!' on most layouts)", () => {
    expect(keyAction(press("!", { shiftKey: true, code: "Digit1" }), "categorization", false)).toBeUndefined();
  });

  it("a numpad digit picks a label like the top row", () => {
    expect(keyAction(press("3", { code: "Numpad3" }), "categorization", false)).toEqual({ type: "labelKey", slot: 3 });
  });

  it("the legend lists each task type's keys, and no editing keys when read-only", () => {
    const detection = shortcutsFor("detection", false).map((s) => s.keys);
    expect(detection).toEqual(expect.arrayContaining(["1–9, 0", "B", "R", "Tab / ⇧Tab", "Delete", "Enter"]));
    expect(detection).not.toContain("N");
    expect(shortcutsFor("tagging", false).map((s) => s.keys)).toContain("N");
    const readOnly = shortcutsFor("detection", true).map((s) => s.keys);
    expect(readOnly).not.toContain("B");
    expect(readOnly).toContain("← / →");
    expect(shortcutsFor("detection", false).find((s) => s.keys === "1–9, 0")?.text).toMatch(/selected box/);
  });

  it("keys typed into a field are the field's; Enter and Space on a focused button press it", () => {
    const input = { tagName: "INPUT", isContentEditable: false };
    const button = { tagName: "BUTTON", isContentEditable: false, getAttribute: () => null };
    const roleButton = {
      tagName: "DIV",
      isContentEditable: false,
      getAttribute: (n: string) => (n === "role" ? "button" : null),
    };
    const body = { tagName: "BODY", isContentEditable: false, getAttribute: () => null };
    expect(keyBelongsToTarget("r", input)).toBe(true);
    expect(keyBelongsToTarget("Enter", { tagName: "DIV", isContentEditable: true })).toBe(true);
    expect(keyBelongsToTarget("Enter", button)).toBe(true);
    expect(keyBelongsToTarget(" ", roleButton)).toBe(true);
    expect(keyBelongsToTarget("1", button)).toBe(false);
    expect(keyBelongsToTarget("Enter", body)).toBe(false);
    expect(keyBelongsToTarget("Enter", null)).toBe(false);
  });
});
