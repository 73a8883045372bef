/** Runs one action on one image the way the engine would, checking its config and its output. */
import type {
  ActionContext,
  ActionDefinition,
  ActionOutput,
  HandleSpec,
  JsonSchema,
  Logger,
  ModelHost,
  RawImage,
  Scope,
} from "../action.js";
import type { DetectedObject } from "../records.js";
import { checkAgainstSchema } from "../validation/schema-cache.js";
import { decodeImage, type ImageDecoder } from "./decode.js";
import type { ModelHostFactory } from "./fake-models.js";
import { TestScopeImage } from "./image.js";

export interface RunActionOptions<C extends Record<string, unknown>> {
  /** Decoded pixels, or encoded bytes (JPEG, PNG...) decoded by `decode` or, when installed, sharp. */
  image: RawImage | Uint8Array;
  decode?: ImageDecoder;
  /** Checked against the action's config schema before the run. */
  config: C;
  /** Fields already written into the scope. */
  fields?: Record<string, unknown>;
  /** Run on this object's crop (its `bound_box` in image pixels), as under an Object Selector. */
  object?: DetectedObject;
  /** Fake models (`fakeModels`) or a real host. Without it, any inference fails the run. */
  models?: ModelHost | ModelHostFactory;
  log?: Logger;
  signal?: AbortSignal;
  callAction?: ActionContext["callAction"];
  runFlow?: ActionContext["runFlow"];
}

/** An action broke its own contract (config or output outside its declared schemas). */
export class ActionContractError extends Error {
  constructor(
    readonly action: string,
    readonly problems: readonly string[],
  ) {
    super(`${action}: ${problems.join("; ")}`);
    this.name = "ActionContractError";
  }
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Runs `action` once on an image and returns its output, after checking the config against the action's
 * schema, and the output against its `writes` schema, its handles and the object shape.
 *
 * @example
 * const output = await runAction(recognition, { image, config: { task: "pets" }, models: fakeModels({ tasks }) });
 * expect(output.write).toEqual({ best_label: { name: "cat", prob: 0.9 } });
 */
export async function runAction<C extends Record<string, unknown>>(
  action: ActionDefinition<C>,
  options: RunActionOptions<C>,
): Promise<ActionOutput> {
  const name = `action ${action.id}@${action.version} (${action.title})`;
  const configProblems = checkAgainstSchema(action.config, options.config, "the config");
  if (configProblems.length > 0) {
    throw new ActionContractError(
      name,
      configProblems.map((p) => `invalid config: ${p.message}`),
    );
  }
  const { config } = options;

  const pixels = options.image instanceof Uint8Array ? await decodeImage(options.image, options.decode) : options.image;
  const root = new TestScopeImage(pixels);
  const image = options.object ? root.crop(options.object.bound_box) : root;
  const scope: Scope = options.object
    ? { kind: "object", fields: { ...options.object, ...options.fields }, object: options.object }
    : { kind: "record", fields: { ...options.fields } };
  const models =
    options.models === undefined
      ? noModels(name)
      : "forScope" in options.models
        ? options.models.forScope({ scope, image })
        : options.models;
  const ctx: ActionContext = {
    image,
    models,
    log: options.log ?? silent,
    signal: options.signal ?? new AbortController().signal,
    callAction:
      options.callAction ?? (() => Promise.reject(new Error(`${name} called another action; pass callAction`))),
    runFlow: options.runFlow ?? (() => Promise.reject(new Error(`${name} ran a nested flow; pass runFlow`))),
  };

  const output: unknown = await action.run(ctx, scope, config);
  const handles = typeof action.handles === "function" ? action.handles(config) : action.handles;
  const writes = typeof action.writes === "function" ? action.writes(config) : action.writes;
  const problems = outputProblems(output, handles, writes);
  if (problems.length > 0) throw new ActionContractError(name, problems);
  return output as ActionOutput;
}

function noModels(name: string): ModelHost {
  const fail = () => Promise.reject(new Error(`${name} asked for inference, but runAction was given no models`));
  return { predict: fail, run: fail };
}

function outputProblems(output: unknown, handles: readonly HandleSpec[], writes: JsonSchema): string[] {
  if (output === null || typeof output !== "object" || Array.isArray(output)) {
    return [`run returned ${output === null ? "null" : typeof output}, not an object`];
  }
  const { write, take, objects, credits } = output as Record<string, unknown>;
  const problems: string[] = [];
  if (write !== undefined) {
    for (const p of checkAgainstSchema(writes, write, "the output")) problems.push(`wrote ${p.message}`);
  }
  const ids = handles.map((h) => h.id);
  if (take !== undefined) {
    if (!Array.isArray(take)) problems.push("`take` is not an array of handle ids");
    else {
      for (const handle of take) {
        if (!ids.includes(handle as string)) {
          problems.push(
            `took handle ${JSON.stringify(handle)}, which it does not have (its handles: ${ids.join(", ")})`,
          );
        }
      }
    }
  }
  if (objects !== undefined) {
    if (!handles.some((h) => h.fanOut === "objects")) problems.push("returned objects, but has no `objects` handle");
    if (!Array.isArray(objects)) problems.push("`objects` is not an array");
    else objects.forEach((object, i) => problems.push(...objectProblems(object, i)));
  }
  if (credits !== undefined && (typeof credits !== "number" || !(credits >= 0))) {
    problems.push(`reported credits ${JSON.stringify(credits)}, not a number >= 0`);
  }
  return problems;
}

function objectProblems(object: unknown, i: number): string[] {
  if (object === null || typeof object !== "object") return [`object ${i} is not an object`];
  const { name, prob, bound_box: box } = object as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof name !== "string") problems.push(`object ${i} has no string "name"`);
  if (typeof prob !== "number") problems.push(`object ${i} has no number "prob"`);
  if (!Array.isArray(box) || box.length !== 4 || !box.every((v) => typeof v === "number" && Number.isFinite(v))) {
    problems.push(`object ${i} has no "bound_box" of 4 numbers [xmin, ymin, xmax, ymax]`);
  }
  return problems;
}
