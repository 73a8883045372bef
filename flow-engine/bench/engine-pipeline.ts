/**
 * The benchmark's engine path: the flow YOLOX -> Object Selector -> Recognition (MobileNetV2) run by
 * FlowEngine over the ONNX model runtime (worker pool, dynamic batching), with in-memory sources.
 */
import { ActionRegistry, type DetectedObject } from "@vizflow/sdk";
import corePlugin from "@vizflow/plugin-core";
import { FlowEngine, type PreparedFlow } from "../src/engine/engine.js";
import { onnxImageRuntime } from "../src/engine/onnx-image-runtime.js";
import { fakeWorkspace, graph } from "../src/engine/test-support.js";
import type { Workspace } from "../src/engine/sources.js";
import { InMemoryModelStore } from "../src/runtime/model-store.js";
import { ModelRuntime, type ModelRuntimeOptions } from "../src/runtime/model-runtime.js";
import { realModelVersions } from "../src/testing/real-models.js";
import type { ObjectFilter, PipelineObject } from "./direct-pipeline.js";

export interface EnginePipelineOptions {
  /** Inference pool options (default: the runtime's defaults, one worker per core). */
  pool?: ModelRuntimeOptions["pool"];
}

export class EnginePipeline {
  private constructor(
    private readonly models: ModelRuntime,
    private readonly engine: FlowEngine,
    private readonly workspace: Workspace,
    private readonly flow: PreparedFlow,
  ) {}

  /** Prepares the flow and loads both models into every worker. */
  static async create(modelsDir: string, filter: ObjectFilter, options: EnginePipelineOptions = {}) {
    const versions = realModelVersions(modelsDir);
    const models = new ModelRuntime({
      store: new InMemoryModelStore([versions.yolox, versions.mobilenetv2]),
      ...(options.pool === undefined ? {} : { pool: options.pool }),
    });
    const engine = new FlowEngine({
      registry: new ActionRegistry([corePlugin]),
      runtime: onnxImageRuntime({ models, image: { iccConversion: false } }),
    });
    const workspace = fakeWorkspace({
      tasks: {
        objects: { type: "detection", labels: versions.yolox.labels, model: "yolox" },
        species: { type: "categorization", labels: versions.mobilenetv2.labels, model: "mobilenetv2" },
      },
    });
    const flow = await engine.prepare(workspace, {
      graph: graph(
        [
          ["select", "core/object-selector@1", { task: "objects", ...filter }],
          ["classify", "core/recognition@1", { task: "species", output: "species" }],
        ],
        [
          ["in", "next", "select"],
          ["select", "objects", "classify"],
        ],
      ),
    });
    await engine.warm(workspace, flow);
    return new EnginePipeline(models, engine, workspace, flow);
  }

  get runtime(): ModelRuntime {
    return this.models;
  }

  /** Runs one record (`_base64`, as the API receives it) through the flow. */
  async process(base64: string): Promise<PipelineObject[]> {
    const { records } = await this.engine.process(this.workspace, this.flow, [{ _base64: base64 }]);
    const [record] = records;
    if (record?._status.code !== 200) {
      throw new Error(`the engine failed the record: ${record?._status.code} ${record?._status.text}`);
    }
    const objects = (record._objects ?? []) as (DetectedObject & { species?: { best_label: { name: string } } })[];
    return objects.map((o) => ({
      name: o.name,
      prob: o.prob,
      bound_box: o.bound_box,
      label: o.species?.best_label.name ?? "(not classified)",
    }));
  }

  async close(): Promise<void> {
    await this.models.close();
  }
}
