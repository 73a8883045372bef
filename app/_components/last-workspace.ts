const KEY = "vizflow.lastWorkspace";

/** Remembers the workspace last opened in this browser so `/` returns there instead of to the first one. */
export function rememberWorkspace(workspaceId: string): void {
  try {
    window.localStorage.setItem(KEY, workspaceId);
  } catch {
    // Storage can be disabled (private mode, policy); the app then opens the first workspace, which is fine.
  }
}

export function lastWorkspace(): string | undefined {
  try {
    return window.localStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
