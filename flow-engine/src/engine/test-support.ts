/**
 * Fakes for the engine's unit tests: a pure image (sizes and boxes, no pixels), a model host with
 * deterministic predictions per task id, an in-memory workspace, a test plugin, and a graph builder.
 */
import corePlugin from "@vizflow/plugin-core";
import {
  ActionRegistry,
  defineAction,
  definePlugin,
  type BoundingBox,
  type DetectedObject,
  type FlowGraph,
  type ModelHost,
  type RawImage,
  type ScopeImage,
  type TaskPrediction,
  type TaskType,
  type WorkspaceCatalog,
} from "@vizflow/sdk";

import type { FlowSource, ImageRuntime, RecordImage, TaskInfo, TaskSource, Workspace } from "./sources.js";

/** A record image of a given size; crops are regions of the same root, with boxes mapped by offset. */
export class FakeImage implements RecordImage {
  constructor(
    readonly rootWidth: number,
    readonly rootHeight: number,
    readonly box: BoundingBox = [0, 0, rootWidth, rootHeight],
  ) {}

  get width(): number {
    return this.box[2] - this.box[0];
  }

  get height(): number {
    return this.box[3] - this.box[1];
  }

  pixels(): Promise<RawImage> {
    return Promise.resolve({
      data: new Uint8Array(this.width * this.height),
      width: this.width,
      height: this.height,
      channels: 1,
    });
  }

  toTensor(): never {
    throw new Error("the fake image makes no tensors");
  }

  toRoot([x0, y0, x1, y1]: BoundingBox): BoundingBox {
    return [x0 + this.box[0], y0 + this.box[1], x1 + this.box[0], y1 + this.box[1]];
  }

  crop([x0, y0, x1, y1]: BoundingBox): FakeImage {
    const box: BoundingBox = [
      Math.max(0, x0),
      Math.max(0, y0),
      Math.min(this.rootWidth, x1),
      Math.min(this.rootHeight, y1),
    ];
    if (box[2] <= box[0] || box[3] <= box[1]) throw new RangeError(`box [${[x0, y0, x1, y1].join(", ")}] is empty`);
    return new FakeImage(this.rootWidth, this.rootHeight, box);
  }
}

/** Encodes a fake image for a record: the fake runtime decodes `img:<W>x<H>`. */
export function fakeImageBase64(width: number, height: number): string {
  return Buffer.from(`img:${width}x${height}`).toString("base64");
}

export type FakePredictor = (image: ScopeImage) => TaskPrediction | Promise<TaskPrediction>;

/** Detection whose boxes are given in the scope's own pixels; like the real host, it returns root pixels. */
export function detects(objects: readonly DetectedObject[]): FakePredictor {
  return (image) => ({
    type: "detection",
    result: objects.map((o) => ({ ...o, bound_box: image.toRoot(o.bound_box) })),
  });
}

export function categorizes(best: string, prob = 0.9): FakePredictor {
  return () => ({
    type: "categorization",
    result: { best_label: { name: best, prob }, labels: [{ name: best, prob }] },
  });
}

/** An image runtime whose model host answers from `predictors`, recording every prediction it makes. */
export class FakeRuntime implements ImageRuntime {
  readonly predictions: { taskId: string; box: BoundingBox }[] = [];

  constructor(readonly predictors: Record<string, FakePredictor> = {}) {}

  decodeImage(bytes: Uint8Array): Promise<RecordImage> {
    const match = /^img:(\d+)x(\d+)$/.exec(Buffer.from(bytes).toString("latin1"));
    if (!match) return Promise.reject(new Error("the bytes are not an image"));
    const [width, height] = [Number(match[1]), Number(match[2])];
    if (width * height > 10_000 * 10_000) {
      return Promise.reject(Object.assign(new Error(`${width}x${height} pixels is over the limit`), { status: 413 }));
    }
    return Promise.resolve(new FakeImage(width, height));
  }

  modelHost(image: ScopeImage, context: { tasks: TaskSource }): ModelHost {
    return {
      predict: async (taskId) => {
        const task = await context.tasks.task(taskId);
        const predictor = this.predictors[taskId];
        if (!task || !predictor) throw new Error(`task ${taskId} does not exist`);
        this.predictions.push({ taskId, box: image.box });
        return predictor(image);
      },
      run: () => Promise.reject(new Error("the fake runtime runs no model files")),
    };
  }
}

export interface FakeFlow {
  id: string;
  versions: Record<number, FlowGraph>;
  deployed?: number;
}

/** A workspace in memory; counts how often flow versions are loaded (to see the plan cache work). */
/** Tasks by id: a type, or a type with labels and the active model version (default `<id>-v1`). */
export type FakeTasks = Record<string, TaskType | { type: TaskType; labels: readonly string[]; model?: string }>;

export function fakeWorkspace(
  options: {
    id?: string;
    tasks?: FakeTasks;
    flows?: FakeFlow[];
  } = {},
): Workspace & { loads: number } {
  const tasks = new Map<string, TaskInfo>();
  for (const [id, spec] of Object.entries(options.tasks ?? {})) {
    const { type, labels, model } = typeof spec === "string" ? { type: spec, labels: [], model: undefined } : spec;
    tasks.set(id, { id, type, labels, activeModelVersionId: model ?? `${id}-v1` });
  }
  const flows = new Map((options.flows ?? []).map((f) => [f.id, f]));
  const workspace = {
    id: options.id ?? "ws1",
    loads: 0,
    flows: {
      flowVersion(flowId: string, version: number) {
        workspace.loads++;
        const graph = flows.get(flowId)?.versions[version];
        return Promise.resolve(graph ? { flowId, version, graph } : undefined);
      },
      deployedVersion: (flowId: string) => Promise.resolve(flows.get(flowId)?.deployed),
    } satisfies FlowSource,
    tasks: { task: (taskId: string) => Promise.resolve(tasks.get(taskId)) } satisfies TaskSource,
    catalog(): Promise<WorkspaceCatalog> {
      return Promise.resolve({
        tasks: new Map(
          [...tasks.values()].map((t) => [t.id, { id: t.id, name: t.id, type: t.type, labels: t.labels }]),
        ),
        flows: new Map(
          [...flows.values()].map((f) => [
            f.id,
            {
              id: f.id,
              name: f.id,
              versions: Object.keys(f.versions).map(Number),
              ...(f.deployed === undefined ? {} : { deployedVersion: f.deployed }),
              nestedFlowIds: Object.values(f.versions).flatMap((g) =>
                g.nodes.filter((n) => n.action === "core/nested-flow@1").map((n) => String(n.config.flow)),
              ),
            },
          ]),
        ),
      });
    },
  };
  return workspace;
}

type NodeSpec = [id: string, action: string, config?: Record<string, unknown>];
type EdgeSpec = [source: string, handle: string, target: string, order?: number];

/** A flow graph from compact node and edge lists; the root `in` (core/input@1) is added. */
export function graph(nodes: NodeSpec[], edges: EdgeSpec[]): FlowGraph {
  return {
    schema: 1,
    nodes: [["in", "core/input@1", {}] as NodeSpec, ...nodes].map(([id, action, config = {}], i) => ({
      id,
      action,
      config,
      position: { x: 0, y: i * 100 },
    })),
    edges: edges.map(([source, sourceHandle, target, order], i) => ({
      id: `e${i}`,
      source,
      sourceHandle,
      target,
      ...(order === undefined ? {} : { order }),
    })),
  };
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });

/** How many `acme/busy@1` runs are in flight now, and the most at once since the last reset. */
export const busy = {
  now: 0,
  max: 0,
  reset(): void {
    busy.now = 0;
    busy.max = 0;
  },
};

/** Test actions: writers, readers, and misbehaving plugin code. */
export const testPlugin = definePlugin({
  name: "acme",
  title: "Acme test actions",
  actions: [
    defineAction<{ field: string; value: unknown; delayMs?: number }>({
      id: "set",
      version: 1,
      title: "Set",
      description: "Writes a fixed value, optionally after a delay.",
      category: "Test",
      config: {
        type: "object",
        required: ["field", "value"],
        properties: { field: { type: "string" }, value: {}, delayMs: { type: "number" } },
      },
      handles: [{ id: "next" }],
      writes: (c) => ({
        type: "object",
        properties: { [c.field]: {} },
        required: [c.field],
        additionalProperties: false,
      }),
      async run(ctx, _scope, config) {
        if (config.delayMs) await sleep(config.delayMs, ctx.signal);
        return { write: { [config.field]: config.value } };
      },
    }),
    defineAction<{ field: string; delayMs: number }>({
      id: "busy",
      version: 1,
      title: "Busy",
      description: "Stays busy for a while, counting how many runs overlap.",
      category: "Test",
      config: {
        type: "object",
        required: ["field", "delayMs"],
        properties: { field: { type: "string" }, delayMs: { type: "number" } },
      },
      handles: [{ id: "next" }],
      writes: (c) => ({ type: "object", properties: { [c.field]: { type: "integer" } }, additionalProperties: false }),
      async run(ctx, _scope, config) {
        busy.now++;
        busy.max = Math.max(busy.max, busy.now);
        try {
          await sleep(config.delayMs, ctx.signal);
        } finally {
          busy.now--;
        }
        return { write: { [config.field]: busy.max } };
      },
    }),
    defineAction<{ take?: string[]; exclusive?: boolean; write?: Record<string, unknown> }>({
      id: "fork",
      version: 1,
      title: "Fork",
      description: "Two handles; takes what its config says (all when unset).",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "left" }, { id: "right" }],
      exclusiveHandles: (c) => c.exclusive ?? false,
      writes: { type: "object" },
      run: (_ctx, _scope, config) =>
        Promise.resolve({
          ...(config.take ? { take: config.take } : {}),
          ...(config.write ? { write: config.write } : {}),
        }),
    }),
    defineAction<{ from: string; to: string }>({
      id: "copy",
      version: 1,
      title: "Copy",
      description: "Writes what it sees in one field (null when absent) under another.",
      category: "Test",
      config: {
        type: "object",
        required: ["from", "to"],
        properties: { from: { type: "string" }, to: { type: "string" } },
      },
      handles: [{ id: "next" }],
      writes: (c) => ({ type: "object", properties: { [c.to]: {} }, additionalProperties: false }),
      run: (_ctx, scope, config) => Promise.resolve({ write: { [config.to]: scope.fields[config.from] ?? null } }),
    }),
    defineAction({
      id: "fail",
      version: 1,
      title: "Fail",
      description: "Throws.",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "next" }],
      writes: { type: "object" },
      credits: 1,
      run: () => Promise.reject(new Error("boom")),
    }),
    defineAction({
      id: "hang",
      version: 1,
      title: "Hang",
      description: "Never settles and ignores its abort signal.",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "next" }],
      writes: { type: "object" },
      timeoutMs: 50,
      run: () => new Promise(() => {}),
    }),
    defineAction({
      id: "bad-output",
      version: 1,
      title: "Bad output",
      description: "Writes a string where its schema declares a number.",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "next" }],
      writes: { type: "object", properties: { score: { type: "number" } } },
      run: () => Promise.resolve({ write: { score: "high" } }),
    }),
    defineAction({
      id: "bad-handle",
      version: 1,
      title: "Bad handle",
      description: "Takes a handle it does not have.",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "next" }],
      writes: { type: "object" },
      run: () => Promise.resolve({ take: ["elsewhere"] }),
    }),
    defineAction<{ radius?: number }>({
      id: "blur",
      version: 1,
      title: "Blur",
      description: "A service that reports what it blurred.",
      category: "Services",
      config: { type: "object", properties: { radius: { type: "integer", minimum: 1 } }, additionalProperties: false },
      handles: [{ id: "next" }],
      writes: { type: "object", properties: { blurred: { type: "integer" } }, required: ["blurred"] },
      credits: 3,
      service: true,
      run: (_ctx, _scope, config) => Promise.resolve({ write: { blurred: config.radius ?? 1 } }),
    }),
    defineAction<{ mode: "throw" | "bad-output" }>({
      id: "broken-service",
      version: 1,
      title: "Broken service",
      description: "A service that throws or writes what its schema forbids.",
      category: "Services",
      config: { type: "object", required: ["mode"], properties: { mode: { enum: ["throw", "bad-output"] } } },
      handles: [{ id: "next" }],
      writes: { type: "object", properties: { text: { type: "string" } }, additionalProperties: false },
      service: true,
      run: (_ctx, _scope, config) =>
        config.mode === "throw"
          ? Promise.reject(new Error("the OCR backend is down"))
          : Promise.resolve({ write: { text: 42 } }),
    }),
    defineAction({
      id: "faces",
      version: 1,
      title: "Faces",
      description: "A service that finds two faces (boxes in the scope's pixels).",
      category: "Services",
      config: { type: "object" },
      handles: [{ id: "objects", fanOut: "objects" }],
      writes: { type: "object" },
      credits: 2,
      service: true,
      run: (ctx) =>
        Promise.resolve({
          objects: [
            { name: "face", prob: 0.9, bound_box: ctx.image.toRoot([0, 0, 10, 10]) },
            { name: "face", prob: 0.8, bound_box: ctx.image.toRoot([20, 20, 30, 30]) },
          ],
        }),
    }),
  ],
});

export function testRegistry(): ActionRegistry {
  return new ActionRegistry([corePlugin, testPlugin]);
}

/** Records of fake images: `_base64` for each size, with `_id`s r0, r1, ... */
export function records(...sizes: [number, number][]): { _id: string; _base64: string }[] {
  return sizes.map(([w, h], i) => ({ _id: `r${i}`, _base64: fakeImageBase64(w, h) }));
}
