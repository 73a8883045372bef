"use client";

import Link from "next/link";
import { Button } from "../ui/button";

export interface EditorHeaderProps {
  workspaceId: string;
  /** The flow's name (empty while it loads). */
  name: string;
  /** Where the draft stands against the version it started from. */
  versionStatus: string;
  baseVersion: number | undefined;
  latestVersion: number | undefined;
  deployedVersion: number | undefined;
  /** What autosave is doing, or why the draft cannot be edited. */
  draftStatus: string;
  readOnly: boolean;
  canEdit: boolean;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onAutoLayout: () => void;
  onOpen: (dialog: "help" | "deploy" | "save") => void;
}

/** The line at the top of the editor: back to flows, the flow's name and versions, and its commands. */
export function EditorHeader(props: EditorHeaderProps) {
  const { latestVersion, baseVersion, deployedVersion, readOnly } = props;
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 border-b px-3">
      <Link href={`/w/${props.workspaceId}/flows`} className="text-sm text-muted-foreground hover:text-foreground">
        ← Flows
      </Link>
      <h1 className="truncate text-sm font-semibold">{props.name}</h1>
      <span className="text-xs text-muted-foreground" data-base-version>
        {props.versionStatus}
        {latestVersion !== undefined && latestVersion !== baseVersion ? ` · latest v${latestVersion}` : ""}
        {deployedVersion !== undefined ? ` · v${deployedVersion} deployed` : ""}
      </span>
      <span className="text-xs text-muted-foreground" role="status" data-draft-status>
        · {props.draftStatus}
      </span>
      <div className="ml-auto flex items-center gap-1.5">
        <Button
          size="sm"
          variant="ghost"
          disabled={readOnly || !props.canUndo}
          onClick={props.onUndo}
          title="Undo (Ctrl Z)"
        >
          Undo
        </Button>
        <Button
          size="sm"
          variant="ghost"
          disabled={readOnly || !props.canRedo}
          onClick={props.onRedo}
          title="Redo (Ctrl Shift Z)"
        >
          Redo
        </Button>
        <Button size="sm" variant="ghost" disabled={readOnly} onClick={props.onAutoLayout} title="Arrange (Shift L)">
          Auto-layout
        </Button>
        <Button size="sm" variant="ghost" onClick={() => props.onOpen("help")} title="Keyboard shortcuts (?)">
          Shortcuts
        </Button>
        <Button size="sm" variant="outline" disabled={!props.canEdit} onClick={() => props.onOpen("deploy")}>
          Deploy
        </Button>
        <Button size="sm" disabled={readOnly} onClick={() => props.onOpen("save")}>
          Save version
        </Button>
      </div>
    </header>
  );
}

/** The header's draft status: read-only for viewers, else what autosave is doing. */
export function draftStatusText(
  canEdit: boolean,
  autosave: { error: string | undefined; pending: boolean; savedAt: Date | undefined },
): string {
  if (!canEdit) return "Read-only: viewers cannot edit";
  if (autosave.error) return `Draft not saved: ${autosave.error}`;
  if (autosave.pending) return "Saving draft…";
  if (autosave.savedAt) return "Draft saved";
  return "Draft up to date";
}
