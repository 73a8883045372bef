// @ts-check
/**
 * One inference worker thread: owns onnxruntime-node sessions by key and runs them, so
 * `session.run` never holds the main JS thread. Plain ESM JavaScript on purpose: Node 20's
 * worker_threads cannot load TypeScript, and this file needs no loader under node, tsx or vitest.
 *
 * Messages in:  { type: "load", id, key, source: { path } | { bytes } }
 *               { type: "run", id, key, feeds: { [name]: { type, data, dims } } }
 *               { type: "release", id, key }
 * Messages out: { type: "done", id, value } | { type: "failed", id, message }
 */
import { parentPort, workerData } from "node:worker_threads";
import ort from "onnxruntime-node";

if (!parentPort) throw new Error("inference-worker.mjs must run as a worker thread");
const port = parentPort;

/** @type {import("onnxruntime-node").InferenceSession.SessionOptions} */
const sessionOptions = workerData?.sessionOptions ?? {};

/**
 * @typedef {{ session: Promise<import("onnxruntime-node").InferenceSession>, active: number, released: boolean }} Entry
 * @type {Map<string, Entry>}
 */
const sessions = new Map();

/** @param {import("onnxruntime-node").InferenceSession.ValueMetadata[]} list */
function describe(list) {
  return list.map((m) => ({
    name: m.name,
    type: m.isTensor ? m.type : "non-tensor",
    shape: m.isTensor ? [...m.shape] : [],
  }));
}

/** @param {any} msg */
async function load(msg) {
  let entry = sessions.get(msg.key);
  const started = performance.now();
  if (!entry) {
    const source = msg.source.path ?? msg.source.bytes;
    entry = { session: ort.InferenceSession.create(source, sessionOptions), active: 0, released: false };
    sessions.set(msg.key, entry);
    entry.session.catch(() => sessions.delete(msg.key));
  }
  const session = await entry.session;
  return {
    inputs: describe([...session.inputMetadata]),
    outputs: describe([...session.outputMetadata]),
    createMs: performance.now() - started,
  };
}

/** @param {any} msg */
async function run(msg) {
  const entry = sessions.get(msg.key);
  if (!entry) throw new Error(`model ${msg.key} is not loaded in this worker`);
  entry.active++;
  try {
    const session = await entry.session;
    /** @type {Record<string, import("onnxruntime-node").Tensor>} */
    const feeds = {};
    for (const [name, t] of Object.entries(msg.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    const started = performance.now();
    const results = await session.run(feeds);
    const runMs = performance.now() - started;
    /** @type {Record<string, { type: string, data: unknown, dims: readonly number[] }>} */
    const outputs = {};
    /** @type {ArrayBuffer[]} */
    const transfer = [];
    for (const [name, tensor] of Object.entries(results)) {
      let data = /** @type {any} */ (tensor.data);
      // Only a buffer the typed array fills alone can be handed over without copying the rest.
      if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) data = data.slice();
      if (!transfer.includes(data.buffer)) transfer.push(data.buffer);
      outputs[name] = { type: tensor.type, data, dims: tensor.dims };
    }
    return { value: { outputs, runMs }, transfer };
  } finally {
    entry.active--;
    if (entry.released && entry.active === 0) await (await entry.session).release();
  }
}

/** @param {any} msg */
async function release(msg) {
  const entry = sessions.get(msg.key);
  if (!entry) return;
  sessions.delete(msg.key);
  entry.released = true;
  // A run already in flight keeps the session until it ends; `run` releases it then.
  if (entry.active === 0) await (await entry.session).release();
}

port.on("message", (/** @type {any} */ msg) => {
  /** @type {Promise<{ value: unknown, transfer?: ArrayBuffer[] }>} */
  const work =
    msg.type === "load"
      ? load(msg).then((value) => ({ value }))
      : msg.type === "run"
        ? run(msg)
        : msg.type === "release"
          ? release(msg).then(() => ({ value: null }))
          : Promise.reject(new Error(`unknown message type ${String(msg.type)}`));
  work.then(
    ({ value, transfer }) => {
      try {
        port.postMessage({ type: "done", id: msg.id, value }, transfer ?? []);
      } catch {
        // Some buffers (external memory) cannot be transferred: send a copy instead.
        port.postMessage({ type: "done", id: msg.id, value });
      }
    },
    (err) =>
      port.postMessage({ type: "failed", id: msg.id, message: err instanceof Error ? err.message : String(err) }),
  );
});
