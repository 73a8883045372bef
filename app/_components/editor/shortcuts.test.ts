import { describe, expect, it } from "vitest";
import { shortcutOf } from "./shortcuts";

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
