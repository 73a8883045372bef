/** The editor's keyboard shortcuts: one table for the key handler and the help overlay. */
export type ShortcutAction =
  | "undo"
  | "redo"
  | "copy"
  | "paste"
  | "duplicate"
  | "delete"
  | "selectAll"
  | "layout"
  | "fit"
  | "save"
  | "help"
  | "deselect";

export const SHORTCUTS: readonly { keys: string; action: ShortcutAction; text: string }[] = [
  { keys: "Ctrl Z", action: "undo", text: "Undo" },
  { keys: "Ctrl Shift Z / Ctrl Y", action: "redo", text: "Redo" },
  { keys: "Ctrl C", action: "copy", text: "Copy the selected nodes" },
  { keys: "Ctrl V", action: "paste", text: "Paste" },
  { keys: "Ctrl D", action: "duplicate", text: "Duplicate the selected nodes" },
  { keys: "Delete / Backspace", action: "delete", text: "Delete the selection" },
  { keys: "Ctrl A", action: "selectAll", text: "Select every node" },
  { keys: "Shift L", action: "layout", text: "Arrange the flow automatically" },
  { keys: "F", action: "fit", text: "Fit the flow in view" },
  { keys: "Ctrl S", action: "save", text: "Save a version" },
  { keys: "?", action: "help", text: "Show these shortcuts" },
  { keys: "Esc", action: "deselect", text: "Clear the selection" },
];

/** Which shortcut a key event means, or undefined. Ctrl and Cmd are the same. */
export function shortcutOf(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): ShortcutAction | undefined {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (event.altKey) return undefined;
  if (mod) {
    if (key === "z") return event.shiftKey ? "redo" : "undo";
    if (key === "y") return "redo";
    if (key === "c") return "copy";
    if (key === "v") return "paste";
    if (key === "d") return "duplicate";
    if (key === "a") return "selectAll";
    if (key === "s") return "save";
    return undefined;
  }
  if (key === "delete" || key === "backspace") return "delete";
  if (key === "l" && event.shiftKey) return "layout";
  if (key === "f" && !event.shiftKey) return "fit";
  if (event.key === "?") return "help";
  if (key === "escape") return "deselect";
  return undefined;
}

/** Keys typed into a form control belong to the control, not to the canvas. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Shortcuts that act even while the focus is in a text box: undo and redo always mean the editor's
 * (every edit in the side form is an editor step), never the browser's own undo, which would silently
 * put old text back into whichever box it last touched (the palette search).
 */
export function worksWhileTyping(action: ShortcutAction): boolean {
  return action === "undo" || action === "redo";
}

/** What a key event means to the editor, given whether the focus is in a text box (see `isTyping`). */
export function editorShortcut(event: Parameters<typeof shortcutOf>[0], typing: boolean): ShortcutAction | undefined {
  const action = shortcutOf(event);
  return action !== undefined && typing && !worksWhileTyping(action) ? undefined : action;
}
