/** The engine's ImageRuntime over the real model runtime: sharp-decoded scope images and ONNX sessions. */
import { DEFAULT_MAX_PIXELS, decodedSize, readImageHeader } from "../runtime/image/decode.js";
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
    decodeImage: (bytes, _signal, hints) =>
      DecodedScopeImage.decode(bytes, hints?.minSide === undefined ? options.image : { ...options.image, ...hints }),
    async readHeader(bytes) {
      const header = await readImageHeader(bytes);
      if (header === undefined) return undefined;
      return {
        width: header.width,
        height: header.height,
        decodedPixels(minSide) {
          // Refused at the header by the decode, before a pixel is allocated.
          if (header.width * header.height > (options.image?.maxPixels ?? DEFAULT_MAX_PIXELS)) return 0;
          const { width, height } = decodedSize(header, minSide);
          return width * height;
        },
      };
    },
    async modelInputSide(modelVersionIds) {
      const loaded = await Promise.all(modelVersionIds.map((id) => options.models.model(id)));
      return loaded.length === 0 ? undefined : Math.max(...loaded.map((m) => Math.max(m.spec.width, m.spec.height)));
    },
    modelHost: (image, { tasks }) => options.models.host(image, (taskId) => activeModelVersion(tasks, taskId)),
    warm: (modelVersionIds) => options.models.warm(modelVersionIds),
  };
}
