/** The engine's ImageRuntime over the real model runtime: sharp-decoded scope images and ONNX sessions. */
import { DecodedScopeImage, type DecodeOptions, type ModelRuntime } from "../runtime/index.js";
import type { ImageRuntime, TaskSource } from "./sources.js";

export interface OnnxImageRuntimeOptions {
  /** Runs model versions (shared by every request; owns the worker pool). */
  models: ModelRuntime;
  /** Decoding limits of record images. */
  image?: DecodeOptions;
}

/** Resolves a workspace task to its active model version, with a message a user can act on. */
async function activeModelVersion(tasks: TaskSource, taskId: string): Promise<string> {
  const task = await tasks.task(taskId);
  if (!task) throw new Error(`task ${taskId} does not exist in this workspace`);
  if (task.activeModelVersionId === undefined) {
    throw new Error(`task ${taskId} has no active model version; upload one and make it active`);
  }
  return task.activeModelVersionId;
}

export function onnxImageRuntime(options: OnnxImageRuntimeOptions): ImageRuntime {
  return {
    decodeImage: (bytes) => DecodedScopeImage.decode(bytes, options.image),
    modelHost: (image, { tasks }) => options.models.host(image, (taskId) => activeModelVersion(tasks, taskId)),
    warm: (modelVersionIds) => options.models.warm(modelVersionIds),
  };
}
