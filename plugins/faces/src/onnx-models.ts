/**
 * Test support: a `fakeModels` run handler backed by onnxruntime-node, so the plugin's own tests run the
 * real models the way the engine's ModelHost.run does (onnxruntime is a dev dependency, never bundled).
 */
import { fakeModels, type ModelHostFactory } from "@vizflow/sdk/testkit";
import ort from "onnxruntime-node";

const sessions = new Map<string, Promise<ort.InferenceSession>>();

export function onnxModels(): ModelHostFactory {
  return fakeModels({
    async run(model, feeds) {
      let session = sessions.get(model.path);
      if (!session) {
        session = ort.InferenceSession.create(model.path, { logSeverityLevel: 3 });
        sessions.set(model.path, session);
      }
      const inputs = Object.fromEntries(
        Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.data as Float32Array, [...t.dims])]),
      );
      const outputs = await (await session).run(inputs);
      return Object.fromEntries(
        Object.entries(outputs).map(([name, t]) => [name, { data: t.data as Float32Array, dims: t.dims }]),
      );
    },
  });
}
