import { labelNames } from "@vizflow/sdk";
import type { AdapterValues } from "./adapter-presets";

/** The adapter form's state: every field as the user typed it, turned into an adapter on submit. */
export interface AdapterFields {
  input: string;
  width: string;
  height: string;
  resize: string;
  cropRatio: string;
  colorOrder: string;
  layout: string;
  scale: string;
  mean: string;
  std: string;
  padValue: string;
  interpolation: string;
  decoder: string;
  params: string;
  labels: string;
}

export function fieldsFromAdapter(adapter: AdapterValues): AdapterFields {
  return {
    input: adapter.input,
    width: String(adapter.width),
    height: String(adapter.height),
    resize: adapter.resize,
    cropRatio: adapter.cropRatio === undefined ? "" : String(adapter.cropRatio),
    colorOrder: adapter.colorOrder,
    layout: adapter.layout,
    scale: adapter.scale === undefined ? "" : scaleText(adapter.scale),
    mean: adapter.mean?.join(", ") ?? "",
    std: adapter.std?.join(", ") ?? "",
    padValue: adapter.padValue === undefined ? "" : String(adapter.padValue),
    interpolation: adapter.interpolation ?? "",
    decoder: adapter.decoder.id,
    params: JSON.stringify(adapter.decoder.params ?? {}, null, 2),
    labels: adapter.labels?.join("\n") ?? "",
  };
}

/** 1/255 reads better than 0.00392156862745098. */
export function scaleText(scale: number): string {
  const inverse = 1 / scale;
  return Number.isInteger(Math.round(inverse * 1e9) / 1e9) && inverse > 1 ? `1/${Math.round(inverse)}` : String(scale);
}

function number(text: string): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const fraction = /^(-?[\d.]+)\s*\/\s*([\d.]+)$/.exec(t);
  const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(t);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The adapter the fields describe, or the problems per field. Empty optional fields are left out. */
export function adapterFromFields(
  fields: AdapterFields,
):
  { ok: true; adapter: Record<string, unknown> } | { ok: false; errors: Partial<Record<keyof AdapterFields, string>> } {
  const errors: Partial<Record<keyof AdapterFields, string>> = {};
  const adapter: Record<string, unknown> = {
    input: fields.input.trim(),
    resize: fields.resize,
    colorOrder: fields.colorOrder,
    layout: fields.layout,
  };
  if (fields.input.trim() === "") errors.input = "Enter the name of the model's image input.";
  for (const key of ["width", "height"] as const) {
    const value = number(fields[key]);
    if (value === undefined || !Number.isInteger(value) || value < 1) errors[key] = "Enter a whole number of pixels.";
    else adapter[key] = value;
  }
  const optional = [
    ["cropRatio", fields.resize === "center-crop"],
    ["scale", true],
    ["padValue", fields.resize === "letterbox"],
  ] as const;
  for (const [key, used] of optional) {
    if (!used) continue;
    const value = number(fields[key]);
    if (value === undefined) continue;
    if (Number.isNaN(value)) errors[key] = "Enter a number (fractions like 1/255 work).";
    else adapter[key] = value;
  }
  for (const key of ["mean", "std"] as const) {
    if (fields[key].trim() === "") continue;
    const values = fields[key]
      .split(/[,\s]+/)
      .filter((v) => v !== "")
      .map((v) => number(v));
    if (values.some((v) => v === undefined || Number.isNaN(v))) errors[key] = "Enter numbers separated by commas.";
    else adapter[key] = values;
  }
  if (fields.interpolation !== "") adapter.interpolation = fields.interpolation;
  let params: unknown = {};
  if (fields.params.trim() !== "") {
    try {
      params = JSON.parse(fields.params);
    } catch (error) {
      errors.params = `Not valid JSON: ${(error as Error).message}`;
    }
  }
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    errors.params = 'Decoder parameters are a JSON object, e.g. {"threshold": 0.5}.';
  }
  adapter.decoder = { id: fields.decoder, params };
  // Read as every label box reads its text (one per line, id prefixes dropped).
  const labels = labelNames(fields.labels);
  if (labels.length > 0) adapter.labels = labels;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, adapter };
}
