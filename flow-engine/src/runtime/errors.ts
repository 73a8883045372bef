/**
 * Errors of the model runtime. Each carries a stable `code` and an HTTP-like `status`, so the
 * executor can put them into a record's `_status` unchanged: 4xx for what was wrong with the
 * record's image, 5xx for faults of a model version or of the engine.
 */

export type ImageErrorCode =
  | "image_empty" // zero bytes
  | "image_too_large" // more bytes than the limit
  | "image_too_many_pixels" // width x height over the pixel limit (decompression bomb guard)
  | "image_unsupported" // not an image format we can decode
  | "image_corrupt"; // a known format, but the data is broken or truncated

/** The record's image cannot be used; `status` is 400, 413 or 422. */
export class ImageError extends Error {
  readonly code: ImageErrorCode;
  readonly status: 400 | 413 | 422;
  constructor(code: ImageErrorCode, status: 400 | 413 | 422, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ImageError";
    this.code = code;
    this.status = status;
  }
}

export type ModelErrorCode =
  | "model_not_found" // the store has no such model version
  | "model_load_failed" // onnxruntime could not create a session from the file
  | "adapter_mismatch" // the adapter names inputs/outputs or shapes the model does not have
  | "unknown_decoder" // the adapter's decoder id is not registered
  | "invalid_adapter" // the adapter fails its JSON Schema or its decoder's params schema
  | "inference_failed" // session.run threw
  | "decode_failed" // the decoder could not read the outputs
  | "invalid_prediction" // the decoder returned NaN, an inverted box or a probability outside 0..1
  | "runtime_closed"; // the runtime was closed while work was pending

/** A model version cannot be loaded or run; `status` is 500 (engine fault) unless the adapter is invalid (422). */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly status: 422 | 500;
  readonly modelVersionId: string | undefined;
  constructor(
    code: ModelErrorCode,
    message: string,
    options?: { cause?: unknown; modelVersionId?: string; status?: 422 | 500 },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ModelError";
    this.code = code;
    this.status = options?.status ?? 500;
    this.modelVersionId = options?.modelVersionId;
  }
}
