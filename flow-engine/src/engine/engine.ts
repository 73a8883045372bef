/**
 * The flow engine: loads and validates a flow version into a cached plan, computes its worst-case
 * credits, and processes a request's records through it, each record isolated from the others.
 */
import {
  FLOW_LIMITS,
  GraphValidationError,
  validateGraph,
  worstCaseCredits,
  type ActionRegistry,
  type Logger,
  type RecordStatus,
} from "@vizflow/sdk";

import { mapLimit } from "./concurrency.js";
import { errorMessage, FlowNotFoundError, recordStatus, statusOf } from "./errors.js";
import { executePlan, withLogContext, type ExecutionEnv, type ExecutionLimits, type RunState } from "./executor.js";
import { nestingProblem, tooDeepNesting } from "./nesting.js";
import { compilePlan, PlanCache, planKey, type ExecutionPlan } from "./plan.js";
import { PixelBudgetBusyError, RequestPixelsError, type PixelBudget, type ReleasePixels } from "./pixel-budget.js";
import { parseRecord, type ParsedRecord } from "./record-input.js";
import { ScopeView } from "./scope.js";
import type { DecodeHints, FetchImage, RecordImageHeader, ImageRuntime, Workspace } from "./sources.js";
import type { NodeTrace } from "./trace.js";

export interface EngineLimits extends ExecutionLimits {
  /** Records of one request processed at the same time. */
  recordConcurrency: number;
  /** Records one request may carry. */
  maxRecordsPerRequest: number;
  /** Bytes of one encoded image. */
  maxImageBytes: number;
  /** Plans of saved flow versions kept compiled. */
  planCacheSize: number;
  /** Pixels the images of one request may decode to in all (`VIZFLOW_MAX_REQUEST_MEGAPIXELS`). */
  maxPixelsPerRequest: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  defaultTimeoutMs: 30_000,
  // Crops of one record that run together can share one batched inference of a dynamic-batch model.
  objectConcurrency: 8,
  maxFanOut: 100,
  maxNestingDepth: FLOW_LIMITS.maxNestingDepth,
  recordConcurrency: 4,
  // The HTTP API's documented default (VIZFLOW_MAX_RECORDS); the API reads it from the engine: one limit.
  maxRecordsPerRequest: 10,
  maxImageBytes: 20 * 1024 * 1024,
  planCacheSize: 200,
  maxPixelsPerRequest: 128_000_000,
};

/**
 * Core actions that read a record's image only through a model's input tensor: a flow made of these
 * alone can decode its images smaller (shrink-on-load). Not the Object Selector: its crops need the detail
 * of the full image (a 224-pixel classifier on a 300-pixel object), and how much depends on boxes not known
 * before the detector ran; not plugins, which may read pixels; not nested flows.
 */
const SHRINK_SAFE_ACTIONS = new Set(["input", "recognition", "detection", "branch-selector", "condition", "list"]);
/** The decoded short side is kept at least this many times the largest model input side. */
export const SHRINK_MARGIN = 2;
/** Images whose short side is below this decode at full size (too small to be worth a header lookup). */
const SHRINK_FROM_SIDE = 1024;

export interface FlowEngineOptions {
  registry: ActionRegistry;
  runtime: ImageRuntime;
  /** Fetches `_url` records; without it such records get a 400 `_status`. */
  fetchImage?: FetchImage;
  logger?: Logger;
  limits?: Partial<EngineLimits>;
  /** The process's budget of decoded pixels in flight (shared by every request); none: unbounded. */
  pixelBudget?: PixelBudget;
}

/** A saved version (`"deployed"`: the deployed one), or a draft graph (the editor's test run). */
export type FlowSelector = { flowId: string; version: number | "deployed" } | { graph: unknown; flowId?: string };

export interface PreparedFlow {
  /** Absent for a draft graph. */
  flowId?: string;
  /** The resolved version number; absent for a draft graph. */
  version?: number;
  plan: ExecutionPlan;
  /** Most credits one record can cost (Infinity when a fan-out has no declared bound). */
  worstCaseCredits: number;
}

export interface ProcessOptions {
  /** Also return the per-node trace of every record. */
  debug?: boolean;
  /** Wait for room in the pixel budget as long as it takes, never a 503 (queued jobs). */
  waitForPixels?: boolean;
  signal?: AbortSignal;
}

/** One record of the response: echoed caller fields, written fields, image size and status. */
export interface RecordResult {
  [field: string]: unknown;
  _width?: number;
  _height?: number;
  _status: RecordStatus;
}

export interface ProcessResult {
  records: RecordResult[];
  statistics: { credits: number; processing_time_ms: number };
  /** Debug runs only: each record's node traces, in record order. */
  traces?: NodeTrace[][];
}

/** The request carries more records than the engine accepts (HTTP 413). */
export class TooManyRecordsError extends Error {
  readonly status = 413;
  constructor(
    readonly count: number,
    readonly limit: number,
  ) {
    super(`the request has ${count} records; at most ${limit} are accepted per request`);
    this.name = "TooManyRecordsError";
  }
}

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export class FlowEngine {
  readonly #registry: ActionRegistry;
  readonly #runtime: ImageRuntime;
  readonly #fetchImage: FetchImage | undefined;
  readonly #log: Logger;
  readonly #limits: EngineLimits;
  readonly #plans: PlanCache;
  readonly #budget: PixelBudget | undefined;
  /** Per plan: the tasks of a flow that may shrink on load (undefined: it may not). */
  readonly #shrinkTasks = new WeakMap<ExecutionPlan, readonly string[] | undefined>();

  constructor(options: FlowEngineOptions) {
    this.#registry = options.registry;
    this.#runtime = options.runtime;
    this.#fetchImage = options.fetchImage;
    this.#log = options.logger ?? silentLogger;
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#plans = new PlanCache(this.#limits.planCacheSize);
    this.#budget = options.pixelBudget;
  }

  /** The decoded-pixel budget requests take from, when there is one. */
  get pixelBudget(): PixelBudget | undefined {
    return this.#budget;
  }

  /** The limits this engine applies (defaults merged with its options). */
  get limits(): Readonly<EngineLimits> {
    return this.#limits;
  }

  get registry(): ActionRegistry {
    return this.#registry;
  }

  /**
   * Loads, validates and compiles a flow (cached per saved version) and computes its worst case.
   * @throws FlowNotFoundError for an unknown flow or version; GraphValidationError for an invalid graph.
   */
  async prepare(workspace: Workspace, selector: FlowSelector): Promise<PreparedFlow> {
    if ("graph" in selector) {
      const plan = await this.#compile(workspace, selector.graph, selector.flowId);
      await this.#checkNesting(workspace, plan, selector.flowId);
      return {
        ...(selector.flowId === undefined ? {} : { flowId: selector.flowId }),
        plan,
        worstCaseCredits: await this.#worstCase(workspace, plan, 0),
      };
    }
    const { plan, version } = await this.#loadPlan(workspace, selector.flowId, selector.version);
    await this.#checkNesting(workspace, plan, selector.flowId);
    return { flowId: selector.flowId, version, plan, worstCaseCredits: await this.#worstCase(workspace, plan, 0) };
  }

  /**
   * Processes records through a prepared flow. A record's problem (bad image, failed node) is its own
   * `_status`; records that did not end in 2xx cost nothing.
   * @throws TooManyRecordsError when there are more records than `maxRecordsPerRequest`; RequestPixelsError
   *   (413) when the images decode to more than `maxPixelsPerRequest`; PixelBudgetBusyError (503) when the
   *   pixel budget has no room for them within its wait. Nothing ran then.
   */
  async process(
    workspace: Workspace,
    flow: PreparedFlow,
    records: readonly unknown[],
    options: ProcessOptions = {},
  ): Promise<ProcessResult> {
    if (records.length > this.#limits.maxRecordsPerRequest) {
      throw new TooManyRecordsError(records.length, this.#limits.maxRecordsPerRequest);
    }
    const started = performance.now();
    const signal = options.signal ?? new AbortController().signal;
    // Every line logged while this request runs names its workspace, flow and version.
    const log = withLogContext(this.#log, {
      workspaceId: workspace.id,
      ...(flow.flowId === undefined ? {} : { flowId: flow.flowId }),
      ...(flow.version === undefined ? { draft: true } : { version: flow.version }),
    });
    const parsed = records.map((record) => parseRecord(record, this.#limits.maxImageBytes));
    const admitted = await this.#admit(workspace, flow.plan, parsed, signal, options.waitForPixels === true);
    let outcomes;
    try {
      outcomes = await mapLimit(parsed, this.#limits.recordConcurrency, (record, i) =>
        this.#processRecord(workspace, flow.plan, record, admitted.hints[i], options.debug === true, signal, log),
      );
    } finally {
      admitted.release();
    }
    const result: ProcessResult = {
      records: outcomes.map((o) => o.record),
      statistics: {
        credits: outcomes.reduce((sum, o) => sum + o.credits, 0),
        processing_time_ms: Math.round(performance.now() - started),
      },
    };
    if (options.debug) result.traces = outcomes.map((o) => o.trace ?? []);
    return result;
  }

  /** `prepare` then `process`. */
  async run(
    workspace: Workspace,
    selector: FlowSelector,
    records: readonly unknown[],
    options: ProcessOptions = {},
  ): Promise<ProcessResult> {
    return this.process(workspace, await this.prepare(workspace, selector), records, options);
  }

  /**
   * Loads the active model versions of every task the flow (and the flows it nests) uses, so the first
   * request does not pay for it. Returns their ids; tasks without an active version are skipped.
   */
  async warm(workspace: Workspace, flow: PreparedFlow): Promise<string[]> {
    const taskIds = new Set<string>();
    const seen = new Set<ExecutionPlan>();
    const visit = async (plan: ExecutionPlan, depth: number): Promise<void> => {
      if (seen.has(plan) || depth > this.#limits.maxNestingDepth) return;
      seen.add(plan);
      for (const node of plan.nodes.values()) {
        for (const ref of node.action.definition.references?.(node.config) ?? []) {
          if (ref.kind === "task") taskIds.add(ref.id);
          if (ref.kind === "flow")
            await visit((await this.#loadPlan(workspace, ref.id, ref.version ?? "deployed")).plan, depth + 1);
        }
      }
    };
    await visit(flow.plan, 0);
    const tasks = await Promise.all([...taskIds].map((id) => workspace.tasks.task(id)));
    const versions = [
      ...new Set(
        tasks.flatMap((task) => (task?.activeModelVersionId === undefined ? [] : [task.activeModelVersionId])),
      ),
    ];
    await this.#runtime.warm?.(versions);
    return versions;
  }

  /**
   * Reads the headers of the request's images, works out what each decodes to (smaller where the flow
   * allows), refuses a request over the per-request total and takes its pixels from the budget.
   * Records fetched by `_url` are not known yet: each takes its own pixels once fetched.
   */
  async #admit(
    workspace: Workspace,
    plan: ExecutionPlan,
    records: readonly ParsedRecord[],
    signal: AbortSignal,
    untilRoom: boolean,
  ): Promise<{ hints: (DecodeHints | undefined)[]; release: ReleasePixels }> {
    if (this.#runtime.readHeader === undefined) return { hints: records.map(() => undefined), release: () => {} };
    const readHeader = this.#runtime.readHeader.bind(this.#runtime);
    const headers = await Promise.all(
      records.map((r) =>
        r.ok && r.source.kind === "base64" ? readHeader(r.source.bytes) : Promise.resolve(undefined),
      ),
    );
    const large = headers.some((h) => h !== undefined && Math.min(h.width, h.height) >= SHRINK_FROM_SIDE);
    const minSide = large ? await this.#minSide(workspace, plan) : undefined;
    const hints = headers.map((h) => this.#hints(h, minSide));
    const pixels = headers.reduce((sum, h) => sum + (h === undefined ? 0 : h.decodedPixels(minSide)), 0);
    if (pixels > this.#limits.maxPixelsPerRequest)
      throw new RequestPixelsError(pixels, this.#limits.maxPixelsPerRequest);
    if (this.#budget === undefined || pixels === 0) return { hints, release: () => {} };
    return { hints, release: await this.#budget.acquire(pixels, signal, { untilRoom }) };
  }

  #hints(header: RecordImageHeader | undefined, minSide: number | undefined): DecodeHints | undefined {
    if (header === undefined || minSide === undefined) return undefined;
    return header.decodedPixels(minSide) < header.width * header.height ? { minSide } : undefined;
  }

  /** The short side the flow's images may shrink to on load; undefined: decode at full size. */
  async #minSide(workspace: Workspace, plan: ExecutionPlan): Promise<number | undefined> {
    const runtime = this.#runtime;
    if (runtime.modelInputSide === undefined) return undefined;
    if (!this.#shrinkTasks.has(plan)) this.#shrinkTasks.set(plan, shrinkableTasks(plan));
    const taskIds = this.#shrinkTasks.get(plan);
    if (taskIds === undefined) return undefined;
    const tasks = await Promise.all(taskIds.map((id) => workspace.tasks.task(id)));
    const versions = tasks.map((t) => t?.activeModelVersionId);
    // A task without a model fails its node with its own message; decode at full size meanwhile.
    if (versions.some((v) => v === undefined)) return undefined;
    try {
      const side = await runtime.modelInputSide(versions as string[]);
      return side === undefined ? undefined : SHRINK_MARGIN * side;
    } catch {
      // The model does not load: its nodes say why; the image decodes at full size.
      return undefined;
    }
  }

  async #processRecord(
    workspace: Workspace,
    plan: ExecutionPlan,
    parsed: ParsedRecord,
    hints: DecodeHints | undefined,
    debug: boolean,
    signal: AbortSignal,
    log: Logger,
  ): Promise<{ record: RecordResult; credits: number; trace?: NodeTrace[] }> {
    const failed = (status: RecordStatus): { record: RecordResult; credits: number } => ({
      record: { ...parsed.echo, _status: status },
      credits: 0,
    });
    if (!parsed.ok) return failed(parsed.status);
    let bytes: Uint8Array;
    if (parsed.source.kind === "url") {
      if (!this.#fetchImage) {
        return failed({
          code: 400,
          text: "this engine does not fetch images by _url (no image fetcher is configured); send the image as _base64",
        });
      }
      try {
        bytes = await this.#fetchImage(parsed.source.url, signal);
      } catch (error) {
        return failed({
          code: statusOf(error, 422),
          text: `could not fetch the image at _url: ${errorMessage(error)}`,
        });
      }
    } else {
      bytes = parsed.source.bytes;
    }
    // A fetched image takes its own pixels from the budget, now that its header is known.
    let release: ReleasePixels | undefined;
    if (parsed.source.kind === "url" && this.#budget !== undefined && this.#runtime.readHeader !== undefined) {
      const header = await this.#runtime.readHeader(bytes);
      try {
        if (header !== undefined) release = await this.#budget.acquire(header.decodedPixels(undefined), signal);
      } catch (error) {
        const retry = error instanceof PixelBudgetBusyError ? ` (retry after ${error.retryAfterSeconds} s)` : "";
        return failed({ code: statusOf(error, 503), text: `${errorMessage(error)}${retry}` });
      }
    }
    try {
      return await this.#runRecord(workspace, plan, parsed.echo, bytes, hints, debug, signal, log);
    } finally {
      release?.();
    }
  }

  async #runRecord(
    workspace: Workspace,
    plan: ExecutionPlan,
    echo: Record<string, unknown>,
    bytes: Uint8Array,
    hints: DecodeHints | undefined,
    debug: boolean,
    signal: AbortSignal,
    log: Logger,
  ): Promise<{ record: RecordResult; credits: number; trace?: NodeTrace[] }> {
    let image;
    try {
      image = await this.#runtime.decodeImage(bytes, signal, hints);
    } catch (error) {
      return {
        record: {
          ...echo,
          _status: { code: statusOf(error, 422), text: `the image could not be decoded: ${errorMessage(error)}` },
        },
        credits: 0,
      };
    }
    const store: Record<string, unknown> = {};
    const state: RunState = { credits: 0, failures: [], ...(debug ? { trace: [] } : {}) };
    const env: ExecutionEnv = {
      registry: this.#registry,
      runtime: this.#runtime,
      workspace,
      log,
      limits: this.#limits,
      signal,
      depth: 0,
      loadPlan: async (flowId, version) => (await this.#loadPlan(workspace, flowId, version)).plan,
    };
    let status: RecordStatus;
    try {
      await executePlan(plan, { kind: "record", image, store, path: [] }, new ScopeView(echo), env, state);
      status = signal.aborted
        ? { code: statusOf(signal.reason, 503), text: `processing was aborted: ${errorMessage(signal.reason)}` }
        : recordStatus(state.failures);
    } catch (error) {
      // Nodes catch their own errors; reaching here is an engine bug, still isolated to this record.
      log.error("record processing failed", { error: errorMessage(error) });
      status = { code: 500, text: `the engine failed on this record: ${errorMessage(error)}` };
    }
    return {
      record: { ...echo, ...store, _width: image.width, _height: image.height, _status: status },
      credits: status.code < 300 ? state.credits : 0,
      ...(state.trace ? { trace: state.trace } : {}),
    };
  }

  async #loadPlan(
    workspace: Workspace,
    flowId: string,
    version: number | "deployed",
  ): Promise<{ plan: ExecutionPlan; version: number }> {
    const resolved = version === "deployed" ? await workspace.flows.deployedVersion(flowId) : version;
    if (resolved === undefined) throw new FlowNotFoundError(flowId, "deployed");
    const key = planKey(workspace.id, flowId, resolved);
    const plan = await this.#plans.get(key, async () => {
      const saved = await workspace.flows.flowVersion(flowId, resolved);
      if (!saved) throw new FlowNotFoundError(flowId, resolved);
      return this.#compile(workspace, saved.graph, flowId, key);
    });
    return { plan, version: resolved };
  }

  async #compile(workspace: Workspace, graph: unknown, flowId?: string, key?: string): Promise<ExecutionPlan> {
    const catalog = await workspace.catalog();
    const validation = validateGraph(
      graph,
      this.#registry,
      flowId === undefined ? catalog : { ...catalog, currentFlowId: flowId },
    );
    if (!validation.ok) throw new GraphValidationError(validation.problems);
    return compilePlan(validation.graph, this.#registry, {
      defaultTimeoutMs: this.#limits.defaultTimeoutMs,
      ...(key === undefined ? {} : { key }),
    });
  }

  /**
   * Refuses a flow whose nested flows go deeper than the engine runs them, naming the chain of flows
   * (rather than running every record into the limit, or reading the unbounded depth as an unbounded cost).
   */
  async #checkNesting(workspace: Workspace, plan: ExecutionPlan, flowId: string | undefined): Promise<void> {
    const max = this.#limits.maxNestingDepth;
    const source = {
      graph: async (id: string, version: number | "deployed") => {
        try {
          return (await this.#loadPlan(workspace, id, version)).plan.graph;
        } catch (error) {
          // A missing nested flow fails its node when the record runs, with its own message.
          if (error instanceof FlowNotFoundError) return undefined;
          throw error;
        }
      },
    };
    const chain = await tooDeepNesting(this.#registry, source, plan.graph, max, flowId);
    if (!chain) return;
    const { flows } = await workspace.catalog();
    const name = (id: string) => flows.get(id)?.name;
    throw new GraphValidationError([nestingProblem(chain, max, name, flowId === undefined ? undefined : name(flowId))]);
  }

  /** Worst case of one record, nested flows resolved (their plans load through the same cache). */
  async #worstCase(workspace: Workspace, plan: ExecutionPlan, depth: number): Promise<number> {
    const nested = new Map<string, number>();
    for (const node of plan.nodes.values()) {
      for (const ref of node.action.definition.references?.(node.config) ?? []) {
        if (ref.kind !== "flow") continue;
        const version = ref.version ?? "deployed";
        const key = `${ref.id}@${version}`;
        if (nested.has(key)) continue;
        if (depth + 1 > this.#limits.maxNestingDepth) {
          nested.set(key, Number.POSITIVE_INFINITY);
          continue;
        }
        const loaded = await this.#loadPlan(workspace, ref.id, version);
        nested.set(key, await this.#worstCase(workspace, loaded.plan, depth + 1));
      }
    }
    return worstCaseCredits(
      plan.graph,
      this.#registry,
      (flow) => nested.get(`${flow.id}@${flow.version}`) ?? Number.POSITIVE_INFINITY,
    );
  }
}

/** The tasks of a plan made only of actions that read images through model inputs; undefined otherwise. */
function shrinkableTasks(plan: ExecutionPlan): readonly string[] | undefined {
  const tasks = new Set<string>();
  for (const node of plan.nodes.values()) {
    if (node.action.plugin !== "core" || !SHRINK_SAFE_ACTIONS.has(node.action.definition.id)) return undefined;
    for (const ref of node.action.definition.references?.(node.config) ?? []) {
      if (ref.kind !== "task") return undefined;
      tasks.add(ref.id);
    }
  }
  return tasks.size === 0 ? undefined : [...tasks];
}
