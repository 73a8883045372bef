"use client";

import { useEffect, useState } from "react";
import { Button } from "../ui/button";
import type { VersionView } from "./use-version-view";

/** A message under the header: what just happened, or what went wrong. */
export interface Notice {
  text: string;
  tone: "info" | "error";
}

/** The notice shown, which goes away on its own (errors stay a little longer so they can be read). */
export function useNotice(initial: Notice | undefined) {
  const [notice, setNotice] = useState<Notice | undefined>(initial);
  useEffect(() => {
    if (notice === undefined) return;
    const timer = setTimeout(() => setNotice(undefined), notice.tone === "error" ? 8000 : 5000);
    return () => clearTimeout(timer);
  }, [notice]);
  return [notice, setNotice] as const;
}

export function NoticeBar({ notice, onDismiss }: { notice: Notice | undefined; onDismiss: () => void }) {
  if (!notice) return null;
  return (
    <div
      role={notice.tone === "error" ? "alert" : "status"}
      className={`flex items-center gap-2 border-b px-3 py-1.5 text-sm ${notice.tone === "error" ? "bg-destructive/10 text-destructive" : "bg-emerald-50 text-emerald-900"}`}
      data-notice
    >
      {notice.text}
      <button type="button" className="ml-auto text-xs underline" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** Says which saved version (or comparison) the canvas shows instead of the draft. */
export function ViewingBar({
  view,
  canRestore,
  restoring,
  onBack,
  onRestore,
}: {
  view: VersionView;
  canRestore: boolean;
  restoring: boolean;
  onBack: () => void;
  onRestore: (version: number) => void;
}) {
  if (view.kind === "draft") return null;
  return (
    <div className="flex items-center gap-3 border-b bg-amber-50 px-3 py-1.5 text-sm" role="status" data-viewing>
      {view.kind === "version"
        ? `Viewing version ${view.version} (read-only).`
        : `Comparing version ${view.before} → ${view.after}: green added, red removed, amber changed.`}
      <Button size="sm" variant="outline" onClick={onBack}>
        Back to the draft
      </Button>
      {view.kind === "version" && canRestore && (
        <Button size="sm" variant="outline" pending={restoring} onClick={() => onRestore(view.version)}>
          Restore as new version
        </Button>
      )}
    </div>
  );
}
