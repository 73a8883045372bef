import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A plugin package on disk, as an author's folder would be: `package.json` naming `./index.mjs` and the
 * engine range, and the entry's source. Returns the folder (for `VIZFLOW_PLUGINS`).
 */
export function writePluginFolder(root: string, folder: string, engine: string, entry: string): string {
  const dir = path.join(root, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: folder, version: "1.0.0", type: "module", vizflow: { plugin: "./index.mjs", engine } }),
  );
  writeFileSync(path.join(dir, "index.mjs"), entry);
  return dir;
}
