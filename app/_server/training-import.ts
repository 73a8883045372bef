import {
  addTrainingItems,
  DataError,
  findTask,
  trainingBlobInUse,
  type Database,
  type StoredBlob,
  type TrainingImageSource,
} from "@vizflow/db";
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_PIXELS,
  formatDatasetProblem,
  ImageError,
  isDatasetManifestPath,
  isIgnoredPath,
  isImagePath,
  readDatasetLayout,
  checkImageHeader,
  type DatasetFormat,
  type DatasetProblem,
} from "@vizflow/flow-engine";
import { Unzip, UnzipInflate } from "fflate";
import type { ModelServices } from "./model-services";

// Import into a task's training set: zips (read as they arrive, never whole in memory) and single files
// (images, manifests), the same code path for the browser's upload and the token API. Every image is
// checked (a real image, under the byte and pixel limits) and stored by sha256 as it arrives; then the
// layout (folder per label, CSV/JSON lists, COCO, VOC, YOLO) gives each its annotation, and the items are
// added in one transaction. A refusal names each file and line or field, and changes nothing in the set:
// the blobs this import stored are deleted again unless something else already uses them.

/** An import refused with every problem found; nothing of it was kept. */
export class TrainingImportError extends DataError {
  constructor(readonly problems: readonly DatasetProblem[]) {
    super("BAD_REQUEST", problems.map(formatDatasetProblem).join("; "), "file");
  }
}

/** One uploaded file: a zip, an image or a manifest; `name` may carry folders (a dropped folder's paths). */
export interface ImportFile {
  readonly name: string;
  readonly data: AsyncIterable<Uint8Array>;
}

export interface TrainingImportResult {
  readonly format: DatasetFormat;
  /** Images new to the set. */
  readonly added: number;
  /** Images the set already had (same sha256), or that came twice: not stored again. */
  readonly duplicates: number;
  /** Images of the task's test sets left out (the two sets never share an image unless allowed). */
  readonly inTestSet: number;
  /** Added images per label (categories, tags, box labels; a box label counts its images). */
  readonly perLabel: Readonly<Record<string, number>>;
  /** Added images without an annotation. */
  readonly unlabelled: number;
  /** Labels the task gained from the data. */
  readonly newLabels: readonly string[];
  /** Files that are neither images nor layout files, skipped (e.g. README.md, LICENSE). */
  readonly ignored: readonly string[];
}

const MAX_MANIFEST_BYTES = 50_000_000;
/** Images being hashed and stored at once; the zip waits beyond this, so memory stays bounded. */
const IN_FLIGHT = 16;
const MAX_PROBLEMS = 100;

interface StoredImage {
  readonly path: string;
  readonly blob: StoredBlob;
  readonly width: number;
  readonly height: number;
}

export async function importTrainingFiles(
  database: Database,
  models: ModelServices,
  input: {
    readonly workspaceId: string;
    readonly taskId: string;
    readonly createdBy: string;
    readonly source: TrainingImageSource;
    readonly files: AsyncIterable<ImportFile> | Iterable<ImportFile>;
    readonly format?: DatasetFormat;
    readonly allowTestImages?: boolean;
  },
): Promise<TrainingImportResult> {
  const task = await findTask(database.db, input.workspaceId, input.taskId);
  if (!task) throw new DataError("NOT_FOUND", `Task ${input.taskId} does not exist in this workspace.`);

  const images: StoredImage[] = [];
  const order = new Map<string, number>();
  const manifests = new Map<string, string>();
  const problems: DatasetProblem[] = [];
  const ignored: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const all: Promise<void>[] = [];
  let total = 0;
  const limit = models.limits.testSetBytes;

  const problem = (file: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ file, message });
  };

  /** Takes one whole entry (bytes in memory: one image or manifest at a time, bounded). */
  const accept = (path: string, bytes: Uint8Array) => {
    if (isImagePath(path)) {
      order.set(path, order.size);
      const job = storeImage(models, path, bytes).then(
        (stored) => void images.push(stored),
        (error: unknown) => problem(path, (error as Error).message),
      );
      inFlight.add(job);
      all.push(job);
      void job.finally(() => inFlight.delete(job));
    } else if (isDatasetManifestPath(path)) {
      manifests.set(path, new TextDecoder().decode(bytes));
    } else if (!isIgnoredPath(path)) {
      ignored.push(path);
    }
  };
  const wanted = (path: string) => !isIgnoredPath(path) && (isImagePath(path) || isDatasetManifestPath(path));
  const entryLimit = (path: string) => (isImagePath(path) ? DEFAULT_MAX_BYTES : MAX_MANIFEST_BYTES);
  const tooLarge = (path: string) =>
    `the file is larger than the limit of ${entryLimit(path) / 1_000_000} MB${isImagePath(path) ? " for one image" : ""}`;

  const count = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > limit) {
      throw new DataError("BAD_REQUEST", `The file is larger than the limit of ${limit / 1_000_000} MB.`, "file");
    }
  };
  const drain = async () => {
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  };

  try {
    for await (const file of input.files) {
      const name = file.name.replace(/\\/g, "/").replace(/^\/+/, "");
      if (/\.zip$/i.test(name)) {
        await readZip(name, file.data, { accept, wanted, entryLimit, tooLarge, problem, count, drain, ignored });
        continue;
      }
      if (!wanted(name)) {
        for await (const chunk of file.data) count(chunk);
        if (!isIgnoredPath(name)) ignored.push(name);
        continue;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      let over = false;
      for await (const chunk of file.data) {
        count(chunk);
        size += chunk.length;
        if (size > entryLimit(name)) over = true;
        if (!over) chunks.push(chunk);
      }
      if (over) problem(name, tooLarge(name));
      else accept(name, Buffer.concat(chunks));
      await drain();
    }
    await Promise.all(all);
    if (problems.length > 0) {
      const rank = (file: string) => order.get(file) ?? Number.MAX_SAFE_INTEGER;
      throw new TrainingImportError([...problems].sort((a, b) => rank(a.file) - rank(b.file)));
    }
    if (images.length === 0) {
      throw new TrainingImportError([
        {
          file: "",
          message:
            ignored.length > 0
              ? `the upload holds no images (.jpg, .png, .webp, …), only ${ignored.slice(0, 3).join(", ")}${ignored.length > 3 ? " …" : ""}`
              : "the upload holds no images (.jpg, .png, .webp, …)",
        },
      ]);
    }
    images.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
    const layout = readDatasetLayout({
      taskType: task.type,
      labels: task.labels,
      images: images.map((i) => ({ path: i.path, width: i.width, height: i.height })),
      manifests,
      ...(input.format === undefined ? {} : { format: input.format }),
    });
    if (!layout.ok) throw new TrainingImportError(layout.problems);
    const byPath = new Map(images.map((i) => [i.path, i]));
    const result = await addTrainingItems(database.db, input.workspaceId, input.taskId, {
      createdBy: input.createdBy,
      source: input.source,
      newLabels: layout.newLabels,
      ...(input.allowTestImages ? { allowTestImages: true } : {}),
      images: layout.samples.map((s) => {
        const image = byPath.get(s.path) as StoredImage;
        return {
          sha256: image.blob.sha256,
          size: image.blob.size,
          width: image.width,
          height: image.height,
          fileName: s.path.slice(s.path.lastIndexOf("/") + 1),
          annotation: s.annotation,
        };
      }),
    });
    // The added images' blobs are in use: only the rest (duplicates, test-set images) need a look.
    const addedSha = new Set(result.added.map((a) => a.sha256));
    await deleteUnused(
      database,
      models,
      images.filter((i) => !addedSha.has(i.blob.sha256)),
    );
    const perLabel: Record<string, number> = {};
    let unlabelled = 0;
    for (const item of result.added) {
      const labels = labelsOf(item.annotation);
      if (labels === undefined) unlabelled++;
      for (const label of labels ?? []) perLabel[label] = (perLabel[label] ?? 0) + 1;
    }
    return {
      format: layout.format,
      added: result.added.length,
      duplicates: result.duplicates.length,
      inTestSet: result.inTestSet.length,
      perLabel,
      unlabelled,
      newLabels: layout.newLabels,
      ignored,
    };
  } catch (error) {
    await Promise.allSettled(all);
    await deleteUnused(database, models, images);
    throw error;
  }
}

/** The labels an annotation names (once each), or undefined when there is none. */
function labelsOf(annotation: unknown): string[] | undefined {
  const a = annotation as
    | { kind: "category"; label: string }
    | { kind: "tags"; tags: string[] }
    | { kind: "value"; value: number }
    | { kind: "boxes"; boxes: { label: string }[] }
    | null;
  if (a === null || a === undefined) return undefined;
  switch (a.kind) {
    case "category":
      return [a.label];
    case "tags":
      return a.tags;
    case "value":
      return [];
    case "boxes":
      return [...new Set(a.boxes.map((b) => b.label))];
  }
}

/** Blobs this import created that no training image names (all of them after a refusal). */
async function deleteUnused(database: Database, models: ModelServices, images: readonly StoredImage[]): Promise<void> {
  for (const image of images) {
    if (image.blob.created && !(await trainingBlobInUse(database.db, image.blob.sha256))) {
      await models.trainingImages.delete(image.blob.sha256);
    }
  }
}

async function storeImage(models: ModelServices, path: string, bytes: Uint8Array): Promise<StoredImage> {
  let header;
  try {
    header = await checkImageHeader(bytes, DEFAULT_MAX_PIXELS);
  } catch (error) {
    if (error instanceof ImageError) throw new Error(error.message);
    throw error;
  }
  const blob = await models.trainingImages.put(bytes);
  return { path, blob, width: header.width, height: header.height };
}

interface ZipHandlers {
  accept(path: string, bytes: Uint8Array): void;
  wanted(path: string): boolean;
  entryLimit(path: string): number;
  tooLarge(path: string): string;
  problem(file: string, message: string): void;
  count(chunk: Uint8Array): void;
  drain(): Promise<void>;
  ignored: string[];
}

/** Streams a zip's entries into `accept` as the archive arrives. */
async function readZip(zipName: string, data: AsyncIterable<Uint8Array>, h: ZipHandlers): Promise<void> {
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  let entries = 0;
  unzip.onfile = (entry) => {
    entries++;
    if (!h.wanted(entry.name)) {
      if (!isIgnoredPath(entry.name)) h.ignored.push(entry.name);
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    let failed = false;
    entry.ondata = (error, chunk, final) => {
      if (failed) return;
      if (error) {
        failed = true;
        h.problem(entry.name, `cannot be unpacked: ${error.message}`);
        return;
      }
      size += chunk.length;
      if (size > h.entryLimit(entry.name)) {
        failed = true;
        h.problem(entry.name, h.tooLarge(entry.name));
        return;
      }
      chunks.push(chunk);
      if (final) h.accept(entry.name, Buffer.concat(chunks));
    };
    entry.start();
  };
  try {
    for await (const chunk of data) {
      h.count(chunk);
      unzip.push(chunk);
      await h.drain();
    }
    unzip.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new TrainingImportError([
      { file: zipName, message: `is not a zip archive that can be read (${(error as Error).message})` },
    ]);
  }
  if (entries === 0)
    throw new TrainingImportError([{ file: zipName, message: "is not a zip archive, or it is empty" }]);
}
