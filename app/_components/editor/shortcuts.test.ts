import { describe, expect, it } from "vitest";
import { editorShortcut, shortcutOf } from "./shortcuts";

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("shortcutOf", () => {
  it("maps Ctrl and Cmd alike", () => {
    expect(shortcutOf(key("z", { ctrlKey: true }))).toBe("undo");
    expect(shortcutOf(key("Z", { metaKey: true, shiftKey: true }))).toBe("redo");
    expect(shortcutOf(key("y", { ctrlKey: true }))).toBe("redo");
  });

  it("tells plain keys from modified ones", () => {
    expect(shortcutOf(key("Delete"))).toBe("delete");
    expect(shortcutOf(key("L", { shiftKey: true }))).toBe("layout");
    expect(shortcutOf(key("l"))).toBeUndefined();
    expect(shortcutOf(key("?", { shiftKey: true }))).toBe("help");
    expect(shortcutOf(key("c", { altKey: true, ctrlKey: true }))).toBeUndefined();
  });
});

describe("editorShortcut", () => {
  it("keeps undo and redo the editor's while the focus is in a text box (never the browser's own undo)", () => {
    expect(editorShortcut(key("z", { ctrlKey: true }), true)).toBe("undo");
    expect(editorShortcut(key("z", { metaKey: true }), true)).toBe("undo");
    expect(editorShortcut(key("Z", { ctrlKey: true, shiftKey: true }), true)).toBe("redo");
    expect(editorShortcut(key("Z", { metaKey: true, shiftKey: true }), true)).toBe("redo");
    expect(editorShortcut(key("y", { ctrlKey: true }), true)).toBe("redo");
  });

  it("leaves every other key to the text box being typed into", () => {
    for (const k of [key("c", { ctrlKey: true }), key("v", { metaKey: true }), key("a", { ctrlKey: true })])
      expect(editorShortcut(k, true)).toBeUndefined();
    expect(editorShortcut(key("Backspace"), true)).toBeUndefined();
    expect(editorShortcut(key("f"), true)).toBeUndefined();
    expect(editorShortcut(key("Backspace"), false)).toBe("delete");
    expect(editorShortcut(key("c", { ctrlKey: true }), false)).toBe("copy");
  });
});
