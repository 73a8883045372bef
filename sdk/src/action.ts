/**
 * The action and plugin definition API: what a plugin author writes.
 * An action is pure data (manifest, schemas, handles) plus `run`.
 */
import type { BoundingBox, DetectedObject, TaskPrediction, TaskType } from "./records.js";

/** A JSON Schema document (draft 2020-12 subset understood by ajv). */
export type JsonSchema = { [keyword: string]: unknown };

/** An output handle of an action; edges leave a node through one of them. */
export interface HandleSpec {
  /** `next`, `branch:<label>`, `else`, `objects`, `true`, `false`, or a plugin's own id. */
  id: string;
  /** Shown on the canvas. */
  label?: string;
  /**
   * `scope`: children run on the same scope (record or object).
   * `objects`: children run once per selected object, on its crop, writing into that object.
   */
  fanOut?: "scope" | "objects";
}

/** Something in the workspace that a node's config points at; checked by the validator. */
export type Reference =
  | {
      kind: "task";
      id: string;
      /** JSON pointer of the id in the config, for error messages. */
      path: string;
      /** Task types this action accepts. */
      types?: readonly TaskType[];
      /** Labels the config names, each with its JSON pointer; they must exist in the task. */
      labels?: readonly { name: string; path: string }[];
    }
  | { kind: "flow"; id: string; version?: number | "deployed"; path: string }
  | {
      kind: "service";
      action: string;
      path: string;
      /** Config the node passes to the service: checked against the service's schema, used for its credits. */
      config?: Record<string, unknown>;
      /** JSON pointer of `config` in the node's config (default: `path`). */
      configPath?: string;
    };

/** One step of a config migration between majors: the old config in, the new config out. */
export interface ConfigMigration {
  /** Major version the migration starts from; it produces `from + 1`. */
  from: number;
  migrate(config: Record<string, unknown>): Record<string, unknown>;
}

/** UI hints for the generated config form; kept apart from validation. */
export type UiHints = Record<string, unknown>;

/** Raw tensor in and out of a model. */
export interface Tensor {
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
  dims: readonly number[];
}

/** Decoded pixels: interleaved channels, row-major, 8 bits per channel. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

/** How to turn an image into a model input tensor. */
export interface PreprocessSpec {
  width: number;
  height: number;
  resize: "stretch" | "letterbox" | "center-crop";
  colorOrder: "RGB" | "BGR" | "GRAY";
  layout: "NCHW" | "NHWC";
  /** value = (px * scale - mean[c]) / std[c]; defaults: scale 1/255, mean 0, std 1. */
  scale?: number;
  mean?: readonly number[];
  std?: readonly number[];
  /** Letterbox pad value in px (default 114). */
  padValue?: number;
}

/** The image of the current scope (the whole record, or one object's crop). */
export interface ScopeImage {
  /** Size of this scope's image in pixels. */
  readonly width: number;
  readonly height: number;
  /** Where this scope lies in the root image (the whole image for a record). */
  readonly box: BoundingBox;
  /** This scope's pixels, decoded once per record and cropped from decoded pixels. */
  pixels(): Promise<RawImage>;
  /** Preprocessed model input for this scope; `transform` maps model-input coordinates back to root pixels. */
  toTensor(spec: PreprocessSpec): Promise<{ tensor: Tensor; transform: (box: BoundingBox) => BoundingBox }>;
  /** Maps a box in this scope's pixel coordinates to root-image pixel coordinates. */
  toRoot(box: BoundingBox): BoundingBox;
}

/** Inference through the host runtime; plugins never bundle onnxruntime. */
export interface ModelHost {
  /** Runs a task of the workspace (its active model version) on the current scope. */
  predict(taskId: string): Promise<TaskPrediction>;
  /** Runs a model file shipped by a plugin (path on disk), with raw tensors in and out. */
  run(model: { path: string }, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
}

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** A scope: the record (whole image) or one object (its crop). */
export interface Scope {
  kind: "record" | "object";
  /** Fields written so far into this scope (for an object: its name, prob, bound_box and more). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The object this scope is, for `kind: "object"`. */
  readonly object?: Readonly<DetectedObject>;
}

/** What `run` gets besides the scope and config: deliberately narrow. */
export interface ActionContext {
  image: ScopeImage;
  models: ModelHost;
  log: Logger;
  signal: AbortSignal;
  /** Runs another action (used by the core Service action to dispatch to a plugin's service). */
  callAction(action: string, config: Record<string, unknown>): Promise<ActionOutput>;
  /** Runs another flow of the workspace on this scope (used by the core Nested Flow action). */
  runFlow(flowId: string, version: number | "deployed"): Promise<ActionOutput>;
}

/** What `run` returns. */
export interface ActionOutput {
  /** Fields to write into the scope; must match the action's `writes` schema. */
  write?: Record<string, unknown>;
  /** Handles whose children run next; omitted means every handle the action has. */
  take?: readonly string[];
  /** Objects for the `objects` handle: children run once per object, on its crop. */
  objects?: readonly DetectedObject[];
  /** Credits this run cost, when not the declared `credits` (e.g. a nested flow). */
  credits?: number;
}

export interface ActionDefinition<C extends Record<string, unknown> = Record<string, unknown>> {
  /** Local id within the plugin, kebab-case; the full id is `<plugin>/<id>@<version>`. */
  id: string;
  /** Major version; a new major needs a migration from the previous one. */
  version: number;
  title: string;
  description: string;
  /** Palette group, e.g. "Models", "Flow control", "Services". */
  category: string;
  /** Icon name for the palette (a Lucide icon name). */
  icon?: string;
  /** JSON Schema of the config (the wire format of the config form and of validation). */
  config: JsonSchema;
  /** Form hints (widget choices, order, help texts); never used for validation. */
  ui?: UiHints;
  /** Output handles, static or computed from the config (a Branch Selector's labels). */
  handles: readonly HandleSpec[] | ((config: C) => readonly HandleSpec[]);
  /** True when at most one handle is taken per run (a Condition; a categorization Branch Selector). */
  exclusiveHandles?: boolean | ((config: C) => boolean);
  /** True when the children of a handle run one after another in edge `order` (a List in `sequence` mode). */
  sequential?: boolean | ((config: C) => boolean);
  /** JSON Schema (type object) of the fields the action writes into its scope, per config. */
  writes: JsonSchema | ((config: C) => JsonSchema);
  /**
   * JSON Schema (type object) of the fields each object it returns carries besides `name`, `prob` and
   * `bound_box` (an OCR line's `text`): offered to Conditions under its `objects` handle, and part of the
   * flow's response schema.
   */
  objectFields?: JsonSchema | ((config: C) => JsonSchema);
  /** Credits per run on one scope (0 for structural actions). Default 0. */
  credits?: number | ((config: C) => number);
  /** Upper bound of objects an `objects` handle fans out to, for the worst-case credit hold. */
  maxObjects?: (config: C) => number;
  /** Workspace things the config refers to (tasks, flows, services), for validation and warm-up. */
  references?: (config: C) => readonly Reference[];
  /** Migrations from older majors of this action to this one. */
  migrations?: readonly ConfigMigration[];
  /** True for ready-to-use services (listed on the Services page, callable from the core Service action). */
  service?: boolean;
  /** Milliseconds before a run is aborted (default set by the engine). */
  timeoutMs?: number;
  run(ctx: ActionContext, scope: Scope, config: C): Promise<ActionOutput>;
}

export interface PluginDefinition {
  /** Namespace of the plugin's actions, kebab-case (`core`, `ocr`, `privacy`). */
  name: string;
  title: string;
  description?: string;
  // Actions are stored type-erased: each was checked against its own config type by `defineAction`.
  actions: readonly ActionDefinition<never>[];
  /** Extra output decoders the plugin brings for model versions. */
  decoders?: readonly DecoderDefinition[];
}

/** Decodes raw model outputs into a task prediction; plugins may register more. */
export interface DecoderDefinition {
  id: string;
  title: string;
  /** JSON Schema of the decoder's parameters. */
  params: JsonSchema;
  /** Task types it can decode for. */
  taskTypes: readonly TaskType[];
  decode(input: DecoderInput): TaskPrediction;
}

export interface DecoderInput {
  outputs: Record<string, Tensor>;
  params: Record<string, unknown>;
  labels: readonly string[];
  taskType: TaskType;
  /** Maps a box in model-input pixels to root-image pixels. */
  transform: (box: BoundingBox) => BoundingBox;
  /** Size of the model input. */
  inputWidth: number;
  inputHeight: number;
}

/** Defines an action; the config type flows into `handles`, `writes` and `run`. */
export function defineAction<C extends Record<string, unknown>>(action: ActionDefinition<C>): ActionDefinition<C> {
  return action;
}

/** Defines a plugin: a namespace and its actions. */
export function definePlugin(plugin: {
  name: string;
  title: string;
  description?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: any action config type is accepted
  actions: readonly ActionDefinition<any>[];
  decoders?: readonly DecoderDefinition[];
}): PluginDefinition {
  return plugin;
}
