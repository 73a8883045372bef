/** Stacking per-scope tensors into one batch along axis 0 and splitting outputs back. */
import type { Tensor } from "@vizflow/sdk";

/** Concatenates float tensors of equal dims [1, ...rest] into [n, ...rest]. */
export function stackBatch(tensors: readonly (Tensor & { data: Float32Array })[]): Tensor & { data: Float32Array } {
  const first = tensors[0];
  if (!first) throw new RangeError("cannot stack an empty batch");
  const per = first.data.length;
  const data = new Float32Array(per * tensors.length);
  tensors.forEach((t, i) => {
    if (t.data.length !== per) throw new RangeError(`batch item ${i} has ${t.data.length} values, item 0 has ${per}`);
    data.set(t.data, i * per);
  });
  return { data, dims: [tensors.length, ...first.dims.slice(1)] };
}

/** Splits each output [n, ...rest] into n views [1, ...rest] (no copies). */
export function splitBatch(outputs: Record<string, Tensor>, n: number): Record<string, Tensor>[] {
  const items: Record<string, Tensor>[] = Array.from({ length: n }, () => ({}));
  for (const [name, t] of Object.entries(outputs)) {
    if (t.dims[0] !== n) {
      throw new RangeError(`output "${name}" has dims [${t.dims.join(",")}]; a batch of ${n} needs ${n} on axis 0`);
    }
    const per = t.data.length / n;
    const dims = [1, ...t.dims.slice(1)];
    items.forEach((item, i) => {
      item[name] = { data: t.data.subarray(i * per, (i + 1) * per), dims };
    });
  }
  return items;
}
