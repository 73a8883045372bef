import {
  createTestSet,
  DataError,
  findTask,
  testImageInUse,
  type Database,
  type StoredBlob,
  type TestSetInfo,
} from "@vizflow/db";
import { DEFAULT_MAX_BYTES, isImagePath, isManifestPath, readTestSetLayout } from "@vizflow/flow-engine";
import { Unzip, UnzipInflate } from "fflate";
import type { ModelServices } from "./model-services";

/** A test set refused with every problem of its layout; nothing of it was kept. */
export class TestSetUploadError extends DataError {
  constructor(readonly problems: readonly string[]) {
    super("BAD_REQUEST", problems.join("; "), "file");
  }
}

const MAX_MANIFEST_BYTES = 50_000_000;

/**
 * Reads a test-set zip as it arrives (never whole in memory): images go into the test-image blob store one
 * by one, manifests (.csv, .json) are kept as text; then the layout gives each image its truth (label
 * folders, labels.csv, values.csv, COCO JSON) and the set is recorded. A refused upload keeps nothing.
 */
export async function uploadTestSet(
  database: Database,
  models: ModelServices,
  input: {
    readonly workspaceId: string;
    readonly taskId: string;
    readonly name: string;
    readonly createdBy: string;
    readonly zip: AsyncIterable<Uint8Array>;
  },
): Promise<TestSetInfo> {
  const task = await findTask(database.db, input.workspaceId, input.taskId);
  if (!task) throw new DataError("NOT_FOUND", `Task ${input.taskId} does not exist in this workspace.`);
  if (input.name.trim() === "") throw new DataError("BAD_REQUEST", "Enter a name for the test set.", "name");

  const stored = new Map<string, StoredBlob>();
  // In the zip's order: blobs finish storing in any order, the set keeps the order of the archive.
  const imageOrder: string[] = [];
  const manifests = new Map<string, string>();
  const problems: string[] = [];
  const pending: Promise<void>[] = [];
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (entry) => {
    const image = isImagePath(entry.name);
    if (!image && !isManifestPath(entry.name)) return;
    if (image) imageOrder.push(entry.name);
    const limit = image ? DEFAULT_MAX_BYTES : MAX_MANIFEST_BYTES;
    const chunks: Uint8Array[] = [];
    let size = 0;
    let failed = false;
    entry.ondata = (error, chunk, final) => {
      if (failed) return;
      if (error) {
        failed = true;
        problems.push(`${entry.name} cannot be unpacked: ${error.message}`);
        return;
      }
      size += chunk.length;
      if (size > limit) {
        failed = true;
        problems.push(`${entry.name} is larger than ${limit / 1_000_000} MB`);
        return;
      }
      chunks.push(chunk);
      if (!final) return;
      const bytes = Buffer.concat(chunks);
      if (!image) {
        manifests.set(entry.name, bytes.toString("utf8"));
        return;
      }
      pending.push(
        models.testImages.put(bytes).then(
          (blob) => void stored.set(entry.name, blob),
          (e: unknown) => void problems.push(`${entry.name} could not be stored: ${(e as Error).message}`),
        ),
      );
    };
    entry.start();
  };

  try {
    let total = 0;
    try {
      for await (const chunk of input.zip) {
        total += chunk.length;
        if (total > models.limits.testSetBytes) {
          throw new DataError(
            "BAD_REQUEST",
            `The file is larger than the limit of ${models.limits.testSetBytes / 1_000_000} MB.`,
            "file",
          );
        }
        unzip.push(chunk);
      }
      unzip.push(new Uint8Array(0), true);
    } catch (error) {
      if (error instanceof DataError) throw error;
      throw new TestSetUploadError([`the file is not a zip archive that can be read: ${(error as Error).message}`]);
    }
    await Promise.all(pending);
    if (problems.length > 0) throw new TestSetUploadError(problems);
    if (stored.size === 0 && manifests.size === 0) {
      throw new TestSetUploadError(["the file is not a zip archive, or the zip holds no images"]);
    }
    const layout = readTestSetLayout(
      task.type,
      task.labels,
      imageOrder.filter((p) => stored.has(p)),
      manifests,
    );
    if (!layout.ok) throw new TestSetUploadError(layout.problems);
    return await createTestSet(database.db, input.workspaceId, input.taskId, {
      name: input.name,
      createdBy: input.createdBy,
      images: layout.samples.map((s) => {
        const blob = stored.get(s.path) as StoredBlob;
        return { fileName: s.path, sha256: blob.sha256, size: blob.size, truth: s.truth };
      }),
    });
  } catch (error) {
    await Promise.allSettled(pending);
    for (const blob of stored.values()) {
      if (blob.created && !(await testImageInUse(database.db, blob.sha256)))
        await models.testImages.delete(blob.sha256);
    }
    throw error;
  }
}
