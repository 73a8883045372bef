"use client";

import { useEffect, useRef } from "react";
import { editorShortcut, isTyping } from "./shortcuts";
import type { EditCommands } from "./use-edit-commands";

/** What the editor's keyboard shortcuts do; read afresh on each key press. */
export interface ShortcutHandlers {
  commands: EditCommands;
  undo: () => void;
  redo: () => void;
  openDialog: (dialog: "save" | "help") => void;
}

/**
 * The editor's keyboard shortcuts (see `SHORTCUTS`), on the whole window while no dialog is open.
 * In read-only mode only those that do not edit work.
 */
export function useEditorShortcuts(readOnly: boolean, handlers: ShortcutHandlers) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (document.querySelector("dialog[open]")) return;
      const action = editorShortcut(event, isTyping(event.target));
      if (action === undefined) return;
      const editing = !readOnly;
      const { commands: h, undo, redo, openDialog } = latest.current;
      event.preventDefault();
      if (action === "undo" && editing) undo();
      else if (action === "redo" && editing) redo();
      else if (action === "copy") h.copy();
      else if (action === "paste" && editing) h.paste();
      else if (action === "duplicate" && editing) h.duplicate();
      else if (action === "delete" && editing) h.deleteSelection();
      else if (action === "selectAll") h.selectAll();
      else if (action === "layout" && editing) h.autoLayout();
      else if (action === "fit") h.fitView();
      else if (action === "save" && editing) openDialog("save");
      else if (action === "help") openDialog("help");
      else if (action === "deselect") h.deselect();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [readOnly]);
}
