/** Whether a loaded ONNX model fits the adapter that says how to feed and read it. */
import type { ModelAdapter } from "./adapter.js";
import type { ModelInfo } from "./inference/inference-pool.js";

/** Output names an adapter's decoder params may refer to. */
const OUTPUT_PARAMS = ["output", "scores", "boxes"] as const;

function isDynamic(dim: number | string | undefined): boolean {
  return typeof dim === "string" || (typeof dim === "number" && dim < 1);
}

/** Every mismatch between adapter and model, and whether the input has a dynamic batch axis. */
export function checkModelFits(adapter: ModelAdapter, info: ModelInfo): { problems: string[]; dynamicBatch: boolean } {
  const problems: string[] = [];
  const input = info.inputs.find((i) => i.name === adapter.input);
  if (!input) {
    problems.push(`the model has no input "${adapter.input}" (inputs: ${info.inputs.map((i) => i.name).join(", ")})`);
    return { problems, dynamicBatch: false };
  }
  if (input.type !== "float32") problems.push(`input "${input.name}" takes ${input.type}, not float32`);
  const channels = adapter.colorOrder === "GRAY" ? 1 : 3;
  const expected =
    adapter.layout === "NCHW" ? [channels, adapter.height, adapter.width] : [adapter.height, adapter.width, channels];
  if (input.shape.length > 0) {
    if (input.shape.length !== 4) {
      problems.push(`input "${input.name}" has rank ${input.shape.length}; an image input has rank 4`);
    } else {
      const names = adapter.layout === "NCHW" ? ["channels", "height", "width"] : ["height", "width", "channels"];
      expected.forEach((size, i) => {
        const dim = input.shape[i + 1];
        if (!isDynamic(dim) && dim !== size) {
          problems.push(`input "${input.name}" ${names[i]} is ${dim}, the adapter gives ${size} (${adapter.layout})`);
        }
      });
    }
  }
  const params = adapter.decoder.params ?? {};
  for (const key of OUTPUT_PARAMS) {
    const name = params[key];
    if (typeof name === "string" && !info.outputs.some((o) => o.name === name)) {
      problems.push(
        `decoder param ${key} names output "${name}"; the model's outputs are ${info.outputs.map((o) => o.name).join(", ")}`,
      );
    }
  }
  const first = input.shape[0];
  return { problems, dynamicBatch: input.shape.length > 0 && isDynamic(first) };
}
