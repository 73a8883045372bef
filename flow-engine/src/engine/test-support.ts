/**
 * Fakes for the engine's unit tests: a pure image (sizes and boxes, no pixels), a model host with
 * deterministic predictions per task id, an in-memory workspace, a test plugin, and a graph builder.
 */
import {
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
          [...tasks.values()].map((t) => [t.id, { id: t.id, name: t.id, type: t.type, labels: t.labels ?? [] }]),
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

/** Records of fake images: `_base64` for each size, with `_id`s r0, r1, ... */
export function records(...sizes: [number, number][]): { _id: string; _base64: string }[] {
  return sizes.map(([w, h], i) => ({ _id: `r${i}`, _base64: fakeImageBase64(w, h) }));
}

export { busy, testPlugin, testRegistry } from "./test-plugin.js";
