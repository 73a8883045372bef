/**
 * The inputs and outputs of an ONNX file, read in the browser before it is uploaded, so that the upload
 * dialog can compare the model's class count with the labels. Reads only the protobuf headers it needs
 * from the file (weights are skipped, not loaded), so a large model costs a few small reads.
 *
 * ONNX's protobuf fields used: ModelProto.graph = 7; GraphProto.input = 11, output = 12; ValueInfoProto
 * name = 1, type = 2; TypeProto.tensor_type = 1; Tensor.shape = 2; TensorShapeProto.dim = 1;
 * Dimension.dim_value = 1, dim_param = 2.
 */

export interface OnnxValue {
  readonly name: string;
  /** Each dimension: a size, a symbolic name (`N`, `batch`), or undefined where the file says nothing. */
  readonly dims: readonly (number | string | undefined)[] | undefined;
}

export interface OnnxOutline {
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
}

const WINDOW = 64 * 1024;

/** Reads bytes of a Blob through a cached window, so that neighbouring small fields cost one read. */
class BlobBytes {
  private start = 0;
  private bytes = new Uint8Array(0);
  constructor(private readonly blob: Blob) {}

  get size(): number {
    return this.blob.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.blob.size);
    if (offset < this.start || end > this.start + this.bytes.length) {
      this.start = offset;
      const to = Math.min(this.blob.size, offset + Math.max(length, WINDOW));
      this.bytes = new Uint8Array(await this.blob.slice(offset, to).arrayBuffer());
    }
    return this.bytes.subarray(offset - this.start, end - this.start);
  }
}

class NotOnnx extends Error {}

function varint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const b = bytes[i] as number;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new NotOnnx("truncated varint");
}

interface Field {
  readonly number: number;
  readonly wire: number;
  /** Where the value starts (after tag and length). */
  readonly start: number;
  /** Where the next field starts. */
  readonly end: number;
  /** A varint field's value. */
  readonly value?: number;
}

/** The field whose tag starts at `at`, in bytes that hold at least its header. */
function field(bytes: Uint8Array, at: number, base: number): Field {
  const tag = varint(bytes, at);
  const number = Math.floor(tag.value / 8);
  const wire = tag.value % 8;
  if (number === 0) throw new NotOnnx("field number 0");
  switch (wire) {
    case 0: {
      const v = varint(bytes, tag.next);
      return { number, wire, start: base + tag.next, end: base + v.next, value: v.value };
    }
    case 1:
      return { number, wire, start: base + tag.next, end: base + tag.next + 8 };
    case 2: {
      const length = varint(bytes, tag.next);
      return { number, wire, start: base + length.next, end: base + length.next + length.value };
    }
    case 5:
      return { number, wire, start: base + tag.next, end: base + tag.next + 4 };
    default:
      throw new NotOnnx(`wire type ${wire}`);
  }
}

/** Every field of the message between `from` and `to` in the blob, reading only headers. */
async function* fieldsOf(bytes: BlobBytes, from: number, to: number): AsyncGenerator<Field> {
  let at = from;
  while (at < to) {
    const head = await bytes.read(at, 24);
    const f = field(head, 0, at);
    if (f.end > to || f.end <= at) throw new NotOnnx("field past its message");
    yield f;
    at = f.end;
  }
}

/** Every field of a message held in memory. */
function* fieldsIn(bytes: Uint8Array): Generator<Field> {
  let at = 0;
  while (at < bytes.length) {
    const f = field(bytes, at, 0);
    if (f.end > bytes.length) throw new NotOnnx("field past its message");
    yield f;
    at = f.end;
  }
}

const text = new TextDecoder();

function valueInfo(bytes: Uint8Array): OnnxValue {
  let name = "";
  let dims: (number | string | undefined)[] | undefined;
  for (const f of fieldsIn(bytes)) {
    if (f.number === 1 && f.wire === 2) name = text.decode(bytes.subarray(f.start, f.end));
    if (f.number !== 2 || f.wire !== 2) continue;
    for (const t of fieldsIn(bytes.subarray(f.start, f.end))) {
      if (t.number !== 1 || t.wire !== 2) continue; // tensor_type
      const tensor = bytes.subarray(f.start + t.start, f.start + t.end);
      for (const s of fieldsIn(tensor)) {
        if (s.number !== 2 || s.wire !== 2) continue; // shape
        dims = [];
        const shape = tensor.subarray(s.start, s.end);
        for (const d of fieldsIn(shape)) {
          if (d.number !== 1 || d.wire !== 2) continue;
          let dim: number | string | undefined;
          const dimension = shape.subarray(d.start, d.end);
          for (const v of fieldsIn(dimension)) {
            if (v.number === 1 && v.value !== undefined) dim = v.value;
            if (v.number === 2 && v.wire === 2) dim = text.decode(dimension.subarray(v.start, v.end));
          }
          dims.push(dim);
        }
      }
    }
  }
  return { name, dims };
}

/** The model's inputs and outputs, or undefined when the file is not an ONNX model this can read. */
export async function readOnnxOutline(blob: Blob): Promise<OnnxOutline | undefined> {
  const bytes = new BlobBytes(blob);
  try {
    for await (const top of fieldsOf(bytes, 0, bytes.size)) {
      if (top.number !== 7 || top.wire !== 2) continue;
      const inputs: OnnxValue[] = [];
      const outputs: OnnxValue[] = [];
      for await (const g of fieldsOf(bytes, top.start, top.end)) {
        if ((g.number !== 11 && g.number !== 12) || g.wire !== 2) continue;
        const info = valueInfo(new Uint8Array(await blob.slice(g.start, g.end).arrayBuffer()));
        (g.number === 11 ? inputs : outputs).push(info);
      }
      return { inputs, outputs };
    }
    return undefined;
  } catch (error) {
    if (error instanceof NotOnnx) return undefined;
    throw error;
  }
}

/**
 * How many classes an output gives for one image: the product of its sizes, a symbolic first (batch)
 * dimension counting as 1. Undefined when another dimension is unknown. `name` picks the output (the
 * decoder's `output` parameter); by default the first.
 */
export function outputClassCount(outline: OnnxOutline, name?: string): number | undefined {
  const output = name === undefined ? outline.outputs[0] : outline.outputs.find((o) => o.name === name);
  if (output?.dims === undefined || output.dims.length === 0) return undefined;
  let count = 1;
  for (const [i, d] of output.dims.entries()) {
    if (typeof d === "number" && d > 0) count *= d;
    else if (i !== 0) return undefined;
  }
  return count;
}
