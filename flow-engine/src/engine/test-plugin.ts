/** The test plugin `acme` for the engine's unit tests: writers, readers, services and misbehaving code. */
import corePlugin from "@vizflow/plugin-core";
import { ActionRegistry, defineAction, definePlugin } from "@vizflow/sdk";

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });

/** How many `acme/busy@1` runs are in flight now, and the most at once since the last reset. */
export const busy = {
  now: 0,
  max: 0,
  reset(): void {
    busy.now = 0;
    busy.max = 0;
  },
};

/** Test actions: writers, readers, and misbehaving plugin code. */
export const testPlugin = definePlugin({
  name: "acme",
  title: "Acme test actions",
  actions: [
    defineAction<{ field: string; value: unknown; delayMs?: number }>({
      id: "set",
      version: 1,
      title: "Set",
      description: "Writes a fixed value, optionally after a delay.",
      category: "Test",
      config: {
        type: "object",
        required: ["field", "value"],
        properties: { field: { type: "string" }, value: {}, delayMs: { type: "number" } },
      },
      handles: [{ id: "next" }],
      writes: (c) => ({
        type: "object",
        properties: { [c.field]: {} },
        required: [c.field],
        additionalProperties: false,
      }),
      async run(ctx, _scope, config) {
        if (config.delayMs) await sleep(config.delayMs, ctx.signal);
        return { write: { [config.field]: config.value } };
      },
    }),
    defineAction<{ field: string; delayMs: number }>({
      id: "busy",
      version: 1,
      title: "Busy",
      description: "Stays busy for a while, counting how many runs overlap.",
      category: "Test",
      config: {
        type: "object",
        required: ["field", "delayMs"],
        properties: { field: { type: "string" }, delayMs: { type: "number" } },
      },
      handles: [{ id: "next" }],
      writes: (c) => ({ type: "object", properties: { [c.field]: { type: "integer" } }, additionalProperties: false }),
      async run(ctx, _scope, config) {
        busy.now++;
        busy.max = Math.max(busy.max, busy.now);
        try {
          await sleep(config.delayMs, ctx.signal);
        } finally {
          busy.now--;
        }
        return { write: { [config.field]: busy.max } };
      },
    }),
    defineAction<{ take?: string[]; exclusive?: boolean; write?: Record<string, unknown> }>({
      id: "fork",
      version: 1,
      title: "Fork",
      description: "Two handles; takes what its config says (all when unset).",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "left" }, { id: "right" }],
      exclusiveHandles: (c) => c.exclusive ?? false,
      writes: { type: "object" },
      run: (_ctx, _scope, config) =>
        Promise.resolve({
          ...(config.take ? { take: config.take } : {}),
          ...(config.write ? { write: config.write } : {}),
        }),
    }),
    defineAction<{ from: string; to: string }>({
      id: "copy",
      version: 1,
      title: "Copy",
      description: "Writes what it sees in one field (null when absent) under another.",
      category: "Test",
      config: {
        type: "object",
        required: ["from", "to"],
        properties: { from: { type: "string" }, to: { type: "string" } },
      },
      handles: [{ id: "next" }],
      writes: (c) => ({ type: "object", properties: { [c.to]: {} }, additionalProperties: false }),
      run: (_ctx, scope, config) => Promise.resolve({ write: { [config.to]: scope.fields[config.from] ?? null } }),
    }),
    defineAction({
      id: "fail",
      version: 1,
      title: "Fail",
      description: "Throws.",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "next" }],
      writes: { type: "object" },
      credits: 1,
      run: () => Promise.reject(new Error("boom")),
    }),
    defineAction({
      id: "hang",
      version: 1,
      title: "Hang",
      description: "Never settles and ignores its abort signal.",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "next" }],
      writes: { type: "object" },
      timeoutMs: 50,
      run: () => new Promise(() => {}),
    }),
    defineAction({
      id: "bad-output",
      version: 1,
      title: "Bad output",
      description: "Writes a string where its schema declares a number.",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "next" }],
      writes: { type: "object", properties: { score: { type: "number" } } },
      run: () => Promise.resolve({ write: { score: "high" } }),
    }),
    defineAction({
      id: "bad-handle",
      version: 1,
      title: "Bad handle",
      description: "Takes a handle it does not have.",
      category: "Test",
      config: { type: "object" },
      handles: [{ id: "next" }],
      writes: { type: "object" },
      run: () => Promise.resolve({ take: ["elsewhere"] }),
    }),
    defineAction<{ radius?: number }>({
      id: "blur",
      version: 1,
      title: "Blur",
      description: "A service that reports what it blurred.",
      category: "Services",
      config: { type: "object", properties: { radius: { type: "integer", minimum: 1 } }, additionalProperties: false },
      handles: [{ id: "next" }],
      writes: { type: "object", properties: { blurred: { type: "integer" } }, required: ["blurred"] },
      credits: 3,
      service: true,
      run: (_ctx, _scope, config) => Promise.resolve({ write: { blurred: config.radius ?? 1 } }),
    }),
    defineAction<{ mode: "throw" | "bad-output" | "bad-object" }>({
      id: "broken-service",
      version: 1,
      title: "Broken service",
      description: "A service that throws or writes what its schema forbids.",
      category: "Services",
      config: {
        type: "object",
        required: ["mode"],
        properties: { mode: { enum: ["throw", "bad-output", "bad-object"] } },
      },
      handles: [{ id: "next" }],
      writes: { type: "object", properties: { text: { type: "string" } }, additionalProperties: false },
      objectFields: { type: "object", properties: { text: { type: "string" } } },
      service: true,
      run: (_ctx, _scope, config) =>
        config.mode === "throw"
          ? Promise.reject(new Error("the OCR backend is down"))
          : config.mode === "bad-object"
            ? Promise.resolve({ objects: [{ name: "line", prob: 1, bound_box: [0, 0, 2, 2], text: 7 }] })
            : Promise.resolve({ write: { text: 42 } }),
    }),
    defineAction({
      id: "faces",
      version: 1,
      title: "Faces",
      description: "A service that finds two faces (boxes in the scope's pixels).",
      category: "Services",
      config: { type: "object" },
      handles: [{ id: "objects", fanOut: "objects" }],
      writes: { type: "object" },
      credits: 2,
      service: true,
      run: (ctx) =>
        Promise.resolve({
          objects: [
            { name: "face", prob: 0.9, bound_box: ctx.image.toRoot([0, 0, 10, 10]) },
            { name: "face", prob: 0.8, bound_box: ctx.image.toRoot([20, 20, 30, 30]) },
          ],
        }),
    }),
  ],
});

export function testRegistry(): ActionRegistry {
  return new ActionRegistry([corePlugin, testPlugin]);
}
