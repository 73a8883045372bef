import { allTrainingItems, DataError, findTask, type Database, type TrainingItemInfo } from "@vizflow/db";
import {
  datasetFormatsFor,
  writeDatasetLayout,
  type DatasetFormat,
  type TrainingAnnotation,
} from "@vizflow/flow-engine";
import { Zip, ZipDeflate, ZipPassThrough } from "fflate";
import type { ModelServices } from "./model-services";

// Export of a task's training set in one of its layouts, as a zip streamed while it is read: images
// stored as they are (already compressed), manifests deflated. Model proposals no member accepted are
// left out of the annotations (the image comes along unlabelled).

export interface TrainingExport {
  readonly format: DatasetFormat;
  readonly fileName: string;
  readonly body: ReadableStream<Uint8Array>;
}

export async function exportTrainingSet(
  database: Database,
  models: ModelServices,
  input: { readonly workspaceId: string; readonly taskId: string; readonly format?: string },
): Promise<TrainingExport> {
  const task = await findTask(database.db, input.workspaceId, input.taskId);
  if (!task) throw new DataError("NOT_FOUND", `Task ${input.taskId} does not exist in this workspace.`);
  const formats = datasetFormatsFor(task.type);
  const format = (input.format ?? formats[0]) as DatasetFormat;
  if (!formats.includes(format)) {
    throw new DataError(
      "BAD_REQUEST",
      `A ${task.type} task exports as ${formats.map((f) => `"${f}"`).join(", ")}, not "${input.format}".`,
      "format",
    );
  }
  const items: TrainingItemInfo[] = [];
  for await (const item of allTrainingItems(database.db, input.workspaceId, input.taskId)) items.push(item);
  const layout = writeDatasetLayout({
    taskType: task.type,
    format,
    labels: task.labels,
    samples: items.map((item) => ({
      fileName: item.fileName,
      width: item.width,
      height: item.height,
      annotation: item.proposed ? null : (item.annotation as TrainingAnnotation | null),
    })),
  });

  async function* zipChunks(): AsyncGenerator<Uint8Array> {
    const out: Uint8Array[] = [];
    let failure: Error | null = null;
    const zip = new Zip((error, chunk) => {
      if (error) failure = error;
      else out.push(chunk);
    });
    const flush = function* () {
      if (failure) throw failure;
      while (out.length > 0) yield out.shift() as Uint8Array;
    };
    for (const [i, image] of layout.images.entries()) {
      const item = items[i];
      if (!item) continue;
      const file = new ZipPassThrough(image.path);
      zip.add(file);
      const reader = (await models.trainingImages.read(item.sha256)).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        file.push(value);
        yield* flush();
      }
      file.push(new Uint8Array(0), true);
      yield* flush();
    }
    for (const manifest of layout.manifests) {
      const file = new ZipDeflate(manifest.path, { level: 6 });
      zip.add(file);
      file.push(new TextEncoder().encode(manifest.text), true);
      yield* flush();
    }
    zip.end();
    yield* flush();
  }
  const chunks = zipChunks();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const safeName = task.name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "training-set";
  return { format, fileName: `${safeName}-${format}.zip`, body };
}
