import { closeSync, openSync, readSync } from "node:fs";
import {
  createModelVersion,
  DataError,
  findTask,
  modelFileInUse,
  type BlobSource,
  type Database,
  type ModelVersionInfo,
  type StoredBlob,
} from "@vizflow/db";
import {
  checkModelVersion,
  validateModelAdapter,
  type ModelAdapter,
  type ModelCheckProblem,
  type ModelInfo,
} from "@vizflow/flow-engine";
import { labelListDifferences, repeatedLabelsMessage, someLabels } from "@vizflow/sdk";
import type { ModelServices } from "./model-services";

/** The adapter's `labels` as the upload dialog calls them. */
export const OUTPUT_CLASSES = "Output classes";

/** An upload refused before anything was saved; `problems` are every reason, each with its own message. */
export class ModelUploadError extends DataError {
  constructor(readonly problems: readonly ModelCheckProblem[]) {
    super(
      "BAD_REQUEST",
      problems.map((p) => p.message).join("; "),
      problems[0]?.path === undefined ? "file" : "adapter",
    );
  }
}

export interface ModelUploadInput {
  readonly workspaceId: string;
  readonly taskId: string;
  /** Who uploads: a user id, or `token:<id>` through the API. */
  readonly createdBy: string;
  /** The ONNX file's bytes, streamed. */
  readonly file: BlobSource;
  readonly adapter: unknown;
  readonly notes?: string;
  readonly activate?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * The one path every model upload takes (the browser's form and the API): stream the file into the blob
 * store (sha256, size limit), check it against the adapter and the task (loads, names and ranks fit, label
 * count, a smoke inference decodes), and only then record the version. A refused upload leaves no row, and
 * no file unless another version has the same bytes.
 */
export async function uploadModelVersion(
  database: Database,
  models: ModelServices,
  input: ModelUploadInput,
): Promise<{ version: ModelVersionInfo; check: { info: ModelInfo; runMs: number } }> {
  const task = await findTask(database.db, input.workspaceId, input.taskId);
  if (!task) throw new DataError("NOT_FOUND", `Task ${input.taskId} does not exist in this workspace.`);
  const adapter = validateModelAdapter(input.adapter, models.runtime.decoders, task.type);
  if (!adapter.ok) {
    throw new ModelUploadError(
      adapter.problems.map((p) => ({ code: "invalid_adapter", path: p.path, message: p.message })),
    );
  }
  const labelProblems = outputClassProblems(adapter.adapter.labels, task.labels);
  if (labelProblems.length > 0) throw new ModelUploadError(labelProblems);
  const stored = await models.blobs.put(input.file, {
    maxBytes: models.limits.modelBytes,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  try {
    if (stored.size === 0) throw new ModelUploadError([{ code: "model_load_failed", message: "The file is empty." }]);
    const path = await models.blobs.localPath(stored.sha256);
    if (path === undefined) throw new Error(`the blob store lost ${stored.sha256} right after storing it`);
    const result = await checkModelVersion(models.runtime, {
      taskType: task.type,
      labels: task.labels,
      adapter: adapter.adapter,
      file: { path },
    });
    if (!result.ok) {
      throw new ModelUploadError(explain(result.problems, adapter.adapter, result.info, path, task.labels.length));
    }
    const version = await createModelVersion(database.db, input.workspaceId, input.taskId, {
      file: stored,
      adapter: adapter.adapter,
      createdBy: input.createdBy,
      ...(input.notes === undefined ? {} : { notes: input.notes }),
      ...(input.activate === undefined ? {} : { activate: input.activate }),
    });
    return { version, check: { info: result.info, runMs: result.runMs } };
  } catch (error) {
    await forget(database, models, stored);
    throw error;
  }
}

/** Deletes a blob this upload created, unless a version (of any task) names the same bytes. */
async function forget(database: Database, models: ModelServices, stored: StoredBlob): Promise<void> {
  if (!stored.created) return;
  if (await modelFileInUse(database.db, stored.sha256)) return;
  await models.blobs.delete(stored.sha256);
}

/**
 * The adapter's output classes (`labels`) against the task's labels: each names a label of the task (or is
 * empty, dropping its output), and no two name the same label, so that outputs are never merged silently.
 */
export function outputClassProblems(
  outputClasses: readonly string[] | undefined,
  taskLabels: readonly string[],
): ModelCheckProblem[] {
  if (outputClasses === undefined) return [];
  const problems: ModelCheckProblem[] = [];
  const repeated = repeatedLabelsMessage(outputClasses, { field: OUTPUT_CLASSES, unit: "output" });
  if (repeated !== undefined) problems.push({ code: "adapter_mismatch", path: "/labels", message: repeated });
  const { extra } = labelListDifferences(outputClasses, taskLabels);
  if (extra.length > 0) {
    problems.push({
      code: "adapter_mismatch",
      path: "/labels",
      message: `${OUTPUT_CLASSES} name${extra.length === 1 ? "s a label" : ` ${extra.length} labels`} the task does not have: ${someLabels(extra, 3)}. Each output class must be one of the task's ${taskLabels.length} labels (or an empty name, which drops that output); add the missing ones to the task first.`,
    });
  }
  return problems;
}

const SIZE_PROBLEM = /^input "(.+)" (channels|height|width) is /;
const CLASS_COUNT_PROBLEM = /^the model outputs (\d+) classes but there are (\d+) labels/;

/**
 * The runtime's problems in the words of the upload form: size mismatches of the input become one line
 * with the model's whole shape, and a file onnxruntime cannot read says whether it is text or a damaged model.
 */
export function explain(
  problems: readonly ModelCheckProblem[],
  adapter: ModelAdapter,
  info: ModelInfo | undefined,
  path: string,
  taskLabelCount?: number,
): ModelCheckProblem[] {
  const out: ModelCheckProblem[] = [];
  let sized = false;
  for (const problem of problems) {
    const match = SIZE_PROBLEM.exec(problem.message);
    const counts = CLASS_COUNT_PROBLEM.exec(problem.message);
    if (counts) {
      out.push({
        ...problem,
        message: classCountMessage(Number(counts[1]), Number(counts[2]), adapter, taskLabelCount),
      });
    } else if (match && info) {
      if (sized) continue;
      sized = true;
      const input = info.inputs.find((i) => i.name === match[1]);
      const channels = adapter.colorOrder === "GRAY" ? 1 : 3;
      out.push({
        code: problem.code,
        path: "/width",
        message: `input "${match[1] ?? ""}" is [${(input?.shape ?? []).join(",")}], the adapter says ${adapter.width}x${adapter.height} with ${channels} channel${channels === 1 ? "" : "s"} (${adapter.layout})`,
      });
    } else if (problem.code === "model_load_failed") {
      out.push({ ...problem, message: loadFailure(problem.message, path) });
    } else {
      out.push(problem);
    }
  }
  return out;
}

/** A class count that differs from the labels, naming the list the dialog shows and what to change. */
function classCountMessage(outputs: number, labels: number, adapter: ModelAdapter, taskLabels?: number): string {
  const task = taskLabels === undefined ? "the task's labels" : `the task's ${taskLabels} labels`;
  return adapter.labels === undefined
    ? `The model outputs ${outputs} classes but the task has ${labels} labels. Give the task one label per output, in output order, or list the model's ${outputs} classes in ${OUTPUT_CLASSES}, one per line in output order (each one of ${task}).`
    : `The model outputs ${outputs} classes but ${OUTPUT_CLASSES} lists ${labels}. List one class per output, one per line in output order (each one of ${task}), or leave ${OUTPUT_CLASSES} empty to use ${task}.`;
}

function loadFailure(message: string, path: string): string {
  return `${describeFile(path)}: ${message.replace(/^the file is not a model onnxruntime can load: /, "")}`;
}

// Read synchronously from the stored file: only the first bytes, once, on a failed upload.
function describeFile(path: string): string {
  const head = Buffer.alloc(512);
  const fd = openSync(path, "r");
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, read);
  const text = bytes.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128);
  return text
    ? "The file is text, not an ONNX model (onnxruntime cannot load it)"
    : "The file is not an ONNX model onnxruntime can load (damaged or cut short?)";
}
