/**
 * How the browser splits what a person picked into upload requests: small enough that thousands of
 * images go up one batch at a time (the tab never holds them all, a refusal costs one batch), while
 * keeping together what the server must see together.
 */

/** A file to upload, with the path it goes up as (`cat/1.jpg`, `annotations/raccoon-1.xml`). */
export interface PickedFile<F = File> {
  readonly file: F;
  readonly path: string;
  readonly size: number;
}

export interface ImportBatch<F = File> {
  readonly files: PickedFile<F>[];
  readonly bytes: number;
  /** What the batch holds, for its progress line and its refusals (`photos.zip`, `files 1–200`). */
  readonly name: string;
}

export const BATCH_FILES = 200;
export const BATCH_BYTES = 32_000_000;

const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".avif"];
const LAYOUT_EXTENSIONS = [".xml", ".txt", ".json", ".csv", ".names", ".yaml", ".yml"];

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function stemOf(path: string): string {
  const name = baseName(path).toLowerCase();
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? name : name.slice(0, dot);
}

/** Whether the import takes the file at all (images, zips and layout files); others are left out. */
export function isImportable(path: string): boolean {
  const ext = extensionOf(path);
  return ext === ".zip" || IMAGE_EXTENSIONS.includes(ext) || LAYOUT_EXTENSIONS.includes(ext);
}

/** A YOLO class list: every batch of YOLO labels needs it. */
function isClassFile(path: string): boolean {
  const ext = extensionOf(path);
  return baseName(path).toLowerCase() === "classes.txt" || ext === ".names" || ext === ".yaml" || ext === ".yml";
}

/**
 * The batches for `files`, in order. Each zip is a batch of its own (the server reads it whole). A CSV,
 * JSON or COCO list names images anywhere in the upload, so with one of those every other file goes in a
 * single batch. Otherwise images travel with their VOC .xml or YOLO .txt of the same name, YOLO class
 * lists go with every batch, and batches hold at most `maxFiles` files and about `maxBytes` bytes.
 */
export function planImportBatches<F>(
  files: readonly PickedFile<F>[],
  maxFiles = BATCH_FILES,
  maxBytes = BATCH_BYTES,
): ImportBatch<F>[] {
  const batches: ImportBatch<F>[] = [];
  const rest: PickedFile<F>[] = [];
  for (const f of files) {
    if (extensionOf(f.path) === ".zip") batches.push({ files: [f], bytes: f.size, name: baseName(f.path) });
    else if (isImportable(f.path)) rest.push(f);
  }
  if (rest.length === 0) return batches;
  const bytesOf = (list: readonly PickedFile<F>[]) => list.reduce((sum, f) => sum + f.size, 0);
  if (rest.some((f) => [".json", ".csv"].includes(extensionOf(f.path)))) {
    batches.push({ files: rest, bytes: bytesOf(rest), name: `${rest.length} files with their list` });
    return batches;
  }
  const classFiles = rest.filter((f) => isClassFile(f.path));
  const groups = new Map<string, PickedFile<F>[]>();
  for (const f of rest) {
    if (isClassFile(f.path)) continue;
    const key = stemOf(f.path);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  let current: PickedFile<F>[] = [];
  let first = 1;
  let counted = 0;
  const flush = () => {
    if (current.length === 0) return;
    const count = current.length;
    const name = `files ${first}–${first + count - 1}`;
    batches.push({ files: [...classFiles, ...current], bytes: bytesOf(classFiles) + bytesOf(current), name });
    first += count;
    current = [];
    counted = 0;
  };
  for (const group of groups.values()) {
    const size = bytesOf(group);
    if (current.length > 0 && (current.length + group.length > maxFiles || counted + size > maxBytes)) flush();
    current.push(...group);
    counted += size;
  }
  flush();
  return batches;
}
