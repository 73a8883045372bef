import { readdirSync, statSync, type Stats } from "node:fs";
import path from "node:path";

/** What `next build` reads: a change to any of these makes the last build stale. */
const SOURCE_ROOTS = ["app", "sdk/src", "db/src", "flow-engine/src", "plugins"];
const SOURCE_FILES = [
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "tsconfig.base.json",
  "package.json",
  "pnpm-lock.yaml",
];
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".next", ".data", ".artifacts", "dist"]);

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function newestIn(directory: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) newest = Math.max(newest, newestIn(full));
    } else if (entry.isFile()) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

/** The latest modification time among the app's sources, in ms since the epoch. */
export function newestSourceTime(root: string): number {
  let newest = 0;
  for (const dir of SOURCE_ROOTS) newest = Math.max(newest, newestIn(path.join(root, dir)));
  for (const file of SOURCE_FILES) newest = Math.max(newest, statOrUndefined(path.join(root, file))?.mtimeMs ?? 0);
  return newest;
}

/** Why a build is needed, or undefined when `.next/BUILD_ID` is newer than every source. */
export function buildNeeded(root: string): string | undefined {
  const buildId = statOrUndefined(path.join(root, ".next", "BUILD_ID"));
  if (buildId === undefined) return "no production build yet";
  if (newestSourceTime(root) > buildId.mtimeMs) return "sources changed since the last build";
  return undefined;
}
