/**
 * What the engine needs from elsewhere, as interfaces: flow versions and tasks (the database in
 * production, maps in tests) and the image/model runtime (sharp + onnxruntime, or a fake).
 */
import type { BoundingBox, ModelHost, ScopeImage, TaskType, WorkspaceCatalog } from "@vizflow/sdk";

/** One saved, immutable version of a flow. */
export interface FlowVersion {
  flowId: string;
  version: number;
  /** The saved graph document; the engine validates it before it runs. */
  graph: unknown;
}

/** Saved flow versions of one workspace. */
export interface FlowSource {
  /** Undefined when the flow or that version does not exist in the workspace. */
  flowVersion(flowId: string, version: number): Promise<FlowVersion | undefined>;
  /** Undefined when the flow does not exist or no version of it is deployed. */
  deployedVersion(flowId: string): Promise<number | undefined>;
}

/** A task of the workspace as the runtime needs it. */
export interface TaskInfo {
  id: string;
  type: TaskType;
  /** Its labels, where the source has them at hand (the database's leaves them out: running needs none). */
  labels?: readonly string[];
  /** Undefined while the task has no active model version (predictions then fail with a clear message). */
  activeModelVersionId?: string;
}

/** Tasks of one workspace. */
export interface TaskSource {
  /** Undefined when the task does not exist in the workspace. */
  task(taskId: string): Promise<TaskInfo | undefined>;
}

/** Everything the engine reads about one workspace while it processes a request. */
export interface Workspace {
  /** Part of every cache key, so one workspace never runs another's cached plan. */
  id: string;
  flows: FlowSource;
  tasks: TaskSource;
  /** A snapshot of the workspace's tasks and flows, for validating graphs before they run. */
  catalog(): Promise<WorkspaceCatalog>;
}

/** A decoded record image; crops of it (and of its crops) are scope images too. */
export interface RecordImage extends ScopeImage {
  /** The region `box` (root-image pixels) of the root image, as a scope image whose `box` is that region. */
  crop(box: BoundingBox): RecordImage;
}

/** What an image's header says before any pixel is decoded. */
export interface RecordImageHeader {
  /** Oriented size in pixels. */
  width: number;
  height: number;
  /**
   * The pixels it decodes to when its short side may shrink on load down to `minSide` (its own count
   * without); 0 when the decode refuses it at the header (more pixels than an image may have).
   */
  decodedPixels(minSide: number | undefined): number;
}

/** How to decode one record's image. */
export interface DecodeHints {
  /** Shrink-on-load down to this short side, where the format allows (the flow needs no more). */
  minSide?: number;
}

/**
 * The image and model runtime behind the engine. Errors from `decodeImage` may carry a numeric
 * `status` (e.g. 413 for too many pixels); without one, a decode error is reported as 422.
 */
export interface ImageRuntime {
  /** Decodes image bytes once per record (EXIF-rotated). */
  decodeImage(bytes: Uint8Array, signal: AbortSignal, hints?: DecodeHints): Promise<RecordImage>;
  /** Reads an image's header only (undefined when unreadable: the decode then says why). */
  readHeader?(bytes: Uint8Array): Promise<RecordImageHeader | undefined>;
  /** The largest side of these model versions' inputs; undefined when it cannot be known. */
  modelInputSide?(modelVersionIds: readonly string[]): Promise<number | undefined>;
  /** Model inference on one scope's image; predictions' boxes are in root-image pixels. */
  modelHost(image: ScopeImage, context: { tasks: TaskSource; signal: AbortSignal }): ModelHost;
  /** Loads model versions ahead of the first request (when a flow version is deployed). */
  warm?(modelVersionIds: readonly string[]): Promise<void>;
}

/**
 * Fetches the bytes of a record's `_url` (with the SSRF guard and limits; see issue 6). Errors may carry
 * a numeric `status`; without one, a failed fetch is reported as 422.
 */
export type FetchImage = (url: string, signal: AbortSignal) => Promise<Uint8Array>;
