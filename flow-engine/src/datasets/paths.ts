/** Paths inside an upload: which entries are images or manifests, and which image a manifest means. */

const IMAGE = /\.(jpe?g|png|webp|gif|avif|tiff?|bmp)$/i;
const MANIFEST = /\.(csv|json)$/i;
const DATASET_MANIFEST = /\.(csv|json|xml|txt|ya?ml|names)$/i;

/** Paths of macOS metadata and hidden files that zips carry along; never images or manifests. */
export function isIgnoredPath(path: string): boolean {
  return path.split("/").some((part) => part.startsWith(".") || part === "__MACOSX") || path.endsWith("/");
}

export function isImagePath(path: string): boolean {
  return IMAGE.test(path) && !isIgnoredPath(path);
}

/** A test-set manifest is a small text file that describes the set (read into memory, unlike images). */
export function isManifestPath(path: string): boolean {
  return MANIFEST.test(path) && !isIgnoredPath(path);
}

/** A training-set manifest: CSV/JSON lists, COCO JSON, VOC XML, YOLO txt, classes.txt, data.yaml, obj.names. */
export function isDatasetManifestPath(path: string): boolean {
  return DATASET_MANIFEST.test(path) && !isIgnoredPath(path);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The folder part with its trailing slash ("" at the top). */
export function dirName(path: string): string {
  return path.slice(0, path.lastIndexOf("/") + 1);
}

/** The base name without its extension. */
export function stemOf(path: string): string {
  const base = baseName(path);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

export function extensionOf(path: string): string {
  const base = baseName(path);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/** `a/./b\\c.jpg` → `a/b/c.jpg`: how Windows tools and hand-written lists spell a path. */
function normalise(name: string): string {
  return name
    .trim()
    .replace(/\\/g, "/")
    .split("/")
    .filter((part) => part !== "" && part !== ".")
    .join("/");
}

export type Resolved = { readonly path: string } | { readonly problem: string };

/**
 * Which uploaded image a manifest's file name means: the same path, the path relative to the manifest's
 * folder, or the one image with that base name (or path ending). Several matches or none are problems.
 */
export function imageResolver(paths: readonly string[]): (name: string, manifestPath?: string) => Resolved {
  const full = new Set(paths);
  const byBase = new Map<string, string[]>();
  for (const p of paths) {
    const base = baseName(p);
    byBase.set(base, [...(byBase.get(base) ?? []), p]);
  }
  return (name, manifestPath = "") => {
    const wanted = normalise(name);
    if (wanted === "") return { problem: "the file name is empty" };
    if (full.has(wanted)) return { path: wanted };
    const relative = normalise(`${dirName(manifestPath)}${wanted}`);
    if (full.has(relative)) return { path: relative };
    const same = byBase.get(baseName(wanted)) ?? [];
    const ending = same.length > 1 ? same.filter((p) => p.endsWith(`/${wanted}`)) : same;
    if (ending.length === 1) return { path: ending[0] as string };
    if (same.length === 0) return { problem: `"${name}" is not an image in the upload` };
    const shown = same.slice(0, 3).join(", ");
    return {
      problem: `"${name}" could be any of ${same.length} images (${shown}${same.length > 3 ? ", …" : ""}); give its folder too`,
    };
  };
}

/**
 * File names made unique within one folder, case-insensitively and by stem (so that `a.jpg` and `a.png`
 * get different `.xml`/`.txt` companions): `a.jpg`, `a (2).jpg`, `a (2).png`.
 */
export function uniqueFileNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((raw) => {
    const name = baseName(normalise(raw)) || "image";
    const ext = extensionOf(name) === "" ? "" : name.slice(name.lastIndexOf("."));
    const stem = ext === "" ? name : name.slice(0, -ext.length);
    let candidate = stem;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})`;
    taken.add(candidate.toLowerCase());
    return `${candidate}${ext}`;
  });
}
