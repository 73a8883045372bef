/**
 * A minimal ONNX ModelProto encoder, so tests build their own tiny models (no downloads, no Python).
 * Covers only what test models need: a graph of nodes with attributes, float/int64 initializers,
 * typed inputs/outputs with fixed or symbolic dims, and an opset import.
 * Field numbers follow onnx/onnx.proto3.
 */

/** ONNX TensorProto.DataType values used by tests. */
export const OnnxType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7 } as const;
export type OnnxElementType = (typeof OnnxType)[keyof typeof OnnxType];

/** A dim is a fixed size or a symbolic name (a dynamic axis such as `"batch"`). */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  type?: OnnxElementType;
  dims: readonly OnnxDim[];
}

export type OnnxAttribute = number | string | readonly number[] | { floats: readonly number[] } | { float: number };

export interface OnnxNode {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: Record<string, OnnxAttribute>;
}

export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  /** float32 values (type FLOAT) or integers (type INT64 when `type` says so). */
  values: readonly number[];
  type?: typeof OnnxType.FLOAT | typeof OnnxType.INT64;
}

export interface OnnxGraphSpec {
  name?: string;
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  nodes: readonly OnnxNode[];
  initializers?: readonly OnnxInitializer[];
  /** Default opset 13 (ReduceMean still takes `axes` as an attribute there). */
  opset?: number;
}

class ProtoWriter {
  readonly #bytes: number[] = [];

  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.#bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#bytes.push(Number(v));
    return this;
  }

  #tag(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  int(field: number, value: number): this {
    return this.#tag(field, 0).varint(value);
  }

  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, 2).varint(value.length);
    for (const b of value) this.#bytes.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  float(field: number, value: number): this {
    this.#tag(field, 5);
    const buf = new Uint8Array(4);
    new DataView(buf.buffer).setFloat32(0, value, true);
    for (const b of buf) this.#bytes.push(b);
    return this;
  }

  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  packedFloats(field: number, values: readonly number[]): this {
    return this.bytes(field, new Uint8Array(Float32Array.from(values).buffer));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.type ?? OnnxType.FLOAT);
      tensor.message(2, (shape) => {
        for (const d of v.dims) {
          shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

function writeAttribute(w: ProtoWriter, name: string, value: OnnxAttribute): void {
  w.string(1, name);
  if (typeof value === "number") {
    w.int(3, value).int(20, 2);
  } else if (typeof value === "string") {
    w.string(4, value).int(20, 3);
  } else if ("float" in value) {
    w.float(2, value.float).int(20, 1);
  } else if ("floats" in value) {
    w.packedFloats(7, value.floats).int(20, 6);
  } else {
    w.packedInts(8, value).int(20, 7);
  }
}

function writeInitializer(w: ProtoWriter, t: OnnxInitializer): void {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.values.length) {
    throw new Error(`initializer ${t.name}: dims ${t.dims.join("x")} need ${count} values, got ${t.values.length}`);
  }
  for (const d of t.dims) w.int(1, d);
  const type = t.type ?? OnnxType.FLOAT;
  w.int(2, type);
  w.string(8, t.name);
  const raw =
    type === OnnxType.INT64
      ? new Uint8Array(BigInt64Array.from(t.values.map((v) => BigInt(v))).buffer)
      : new Uint8Array(Float32Array.from(t.values).buffer);
  w.bytes(9, raw);
}

/** Encodes a graph as a serialized ONNX ModelProto (IR version 8). */
export function buildOnnxModel(spec: OnnxGraphSpec): Uint8Array {
  const model = new ProtoWriter();
  model.int(1, 8);
  model.string(2, "vizflow-tests");
  model.message(7, (graph) => {
    spec.nodes.forEach((node, i) => {
      graph.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        for (const output of node.outputs) n.string(2, output);
        n.string(3, node.name ?? `${node.op}_${i}`);
        n.string(4, node.op);
        for (const [name, value] of Object.entries(node.attributes ?? {})) {
          n.message(5, (a) => writeAttribute(a, name, value));
        }
      });
    });
    graph.string(2, spec.name ?? "test-graph");
    for (const init of spec.initializers ?? []) graph.message(5, (t) => writeInitializer(t, init));
    for (const input of spec.inputs) graph.message(11, (v) => writeValueInfo(v, input));
    for (const output of spec.outputs) graph.message(12, (v) => writeValueInfo(v, output));
  });
  model.message(8, (opset) => opset.string(1, "").int(2, spec.opset ?? 13));
  return model.finish();
}
