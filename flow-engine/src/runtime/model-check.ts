/**
 * Checks an uploaded model version before it is saved: the adapter is valid, the file loads, its
 * input and outputs fit the adapter, and a smoke inference on a grey image decodes.
 */
import { randomUUID } from "node:crypto";
import type { DecoderDefinition, TaskPrediction } from "@vizflow/sdk";
import { adapterTensorSpec, validateModelAdapter } from "./adapter.js";
import { DecodedScopeImage } from "./image/scope-image.js";
import type { ModelInfo } from "./inference/inference-pool.js";
import { checkModelFits } from "./model-fit.js";
import type { ModelRuntime } from "./model-runtime.js";
import type { ModelVersionRecord } from "./model-store.js";

export interface ModelCheckProblem {
  code: "invalid_adapter" | "model_load_failed" | "adapter_mismatch" | "inference_failed" | "decode_failed";
  message: string;
  /** JSON pointer into the adapter, where the problem is there. */
  path?: string;
}

export type ModelCheckResult =
  | { ok: true; info: ModelInfo; prediction: TaskPrediction; runMs: number }
  | { ok: false; problems: ModelCheckProblem[]; info?: ModelInfo };

const CLASS_DECODERS = new Set(["softmax", "sigmoid", "identity"]);

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Every problem with a candidate model version, or its metadata and a smoke prediction. */
export async function checkModelVersion(
  runtime: ModelRuntime,
  candidate: Omit<ModelVersionRecord, "id">,
): Promise<ModelCheckResult> {
  const checked = validateModelAdapter(candidate.adapter, runtime.decoders, candidate.taskType);
  if (!checked.ok) {
    return { ok: false, problems: checked.problems.map((p) => ({ code: "invalid_adapter", ...p })) };
  }
  const { adapter } = checked;
  const key = `check:${randomUUID()}`;
  const pool = runtime.pool;
  let info: ModelInfo;
  try {
    info = await pool.load(key, candidate.file);
  } catch (err) {
    return {
      ok: false,
      problems: [
        { code: "model_load_failed", message: `the file is not a model onnxruntime can load: ${message(err)}` },
      ],
    };
  }
  try {
    const fit = checkModelFits(adapter, info);
    if (fit.problems.length > 0) {
      return { ok: false, info, problems: fit.problems.map((m) => ({ code: "adapter_mismatch", message: m })) };
    }
    const image = DecodedScopeImage.fromDecoded({
      data: new Uint8Array(64 * 64 * 3).fill(128),
      width: 64,
      height: 64,
      channels: 3,
    });
    const { tensor, transform } = await image.toTensor(adapterTensorSpec(adapter));
    let outputs;
    let runMs;
    try {
      ({ outputs, runMs } = await pool.run(key, { [adapter.input]: tensor }));
    } catch (err) {
      return {
        ok: false,
        info,
        problems: [{ code: "inference_failed", message: `a test inference failed: ${message(err)}` }],
      };
    }
    const labels = adapter.labels ?? candidate.labels;
    const decoder = runtime.decoders.get(adapter.decoder.id) as DecoderDefinition;
    if (CLASS_DECODERS.has(decoder.id) && candidate.taskType !== "regression") {
      const name = adapter.decoder.params?.["output"];
      const output = typeof name === "string" ? outputs[name] : Object.values(outputs)[0];
      if (output && output.data.length !== labels.length) {
        return {
          ok: false,
          info,
          problems: [
            {
              code: "adapter_mismatch",
              path: "/labels",
              message: `the model outputs ${output.data.length} classes but there are ${labels.length} labels; list the model's classes in output order in the adapter's labels`,
            },
          ],
        };
      }
    }
    try {
      const prediction = decoder.decode({
        outputs,
        params: adapter.decoder.params ?? {},
        labels,
        taskType: candidate.taskType,
        transform,
        inputWidth: adapter.width,
        inputHeight: adapter.height,
      });
      return { ok: true, info, prediction, runMs };
    } catch (err) {
      return {
        ok: false,
        info,
        problems: [
          {
            code: "decode_failed",
            path: "/decoder",
            message: `decoder "${decoder.id}" cannot read the outputs: ${message(err)}`,
          },
        ],
      };
    }
  } finally {
    await pool.release(key);
  }
}
