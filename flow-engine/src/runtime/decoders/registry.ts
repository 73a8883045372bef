/**
 * The decoders a model version's adapter can name: the built-in ones plus those plugins bring.
 * Params are checked against each decoder's JSON Schema (compiled once per decoder).
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import {
  disabledPluginName,
  type DecoderDefinition,
  type DisabledPlugin,
  type PluginDefinition,
  type TaskType,
} from "@vizflow/sdk";
import { identityDecoder, regressionDecoder, sigmoidDecoder, softmaxDecoder } from "./classification.js";
import { fastestDetDecoder } from "./fastestdet.js";
import { ssdDecoder } from "./ssd.js";
import { yoloxDecoder } from "./yolox.js";

export const BUILTIN_DECODERS: readonly DecoderDefinition[] = [
  softmaxDecoder,
  sigmoidDecoder,
  identityDecoder,
  regressionDecoder,
  ssdDecoder,
  yoloxDecoder,
  fastestDetDecoder,
];

/** A problem with an adapter's decoder choice, with a JSON pointer into the adapter. */
export interface DecoderProblem {
  path: string;
  message: string;
}

export class DecoderRegistry {
  readonly #decoders = new Map<string, DecoderDefinition>();
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #ajv = new Ajv2020({ allErrors: true, strict: false });
  /** Decoder ids of plugins refused at start, so an adapter naming one is told why. */
  readonly #disabled = new Map<string, DisabledPlugin>();
  /** The plugin that brought each plugin decoder, for messages. */
  readonly #plugins = new Map<string, string>();

  constructor(decoders: readonly DecoderDefinition[] = BUILTIN_DECODERS) {
    for (const d of decoders) this.add(d);
  }

  /** The built-in decoders plus every decoder the plugins bring; the disabled plugins' decoders say why they are missing. */
  static withPlugins(plugins: readonly PluginDefinition[], disabled: readonly DisabledPlugin[] = []): DecoderRegistry {
    const registry = new DecoderRegistry();
    for (const plugin of plugins) {
      for (const d of plugin.decoders ?? []) {
        registry.add(d);
        registry.#plugins.set(d.id, plugin.name);
      }
    }
    for (const plugin of disabled) {
      for (const id of plugin.decoders)
        if (!registry.get(id) && !registry.#disabled.has(id)) registry.#disabled.set(id, plugin);
    }
    return registry;
  }

  /** How messages name decoder `id`: `decoder "id" of plugin "p"`, or `built-in decoder "id"`. */
  describe(id: string): string {
    const plugin = this.#plugins.get(id);
    return plugin === undefined ? `built-in decoder "${id}"` : `decoder "${id}" of plugin "${plugin}"`;
  }

  /** The disabled plugin whose decoder `id` would be, when no enabled decoder has that id. */
  disabledPlugin(id: string): DisabledPlugin | undefined {
    return this.#decoders.has(id) ? undefined : this.#disabled.get(id);
  }

  /** Adds a decoder; throws when its id is taken. */
  add(decoder: DecoderDefinition): void {
    if (this.#decoders.has(decoder.id)) throw new Error(`decoder "${decoder.id}" is registered twice`);
    this.#decoders.set(decoder.id, decoder);
  }

  get(id: string): DecoderDefinition | undefined {
    return this.#decoders.get(id);
  }

  list(): DecoderDefinition[] {
    return [...this.#decoders.values()];
  }

  /** Every problem with using decoder `id` with `params` for a task of `taskType`. */
  check(id: string, params: Record<string, unknown>, taskType?: TaskType): DecoderProblem[] {
    const decoder = this.#decoders.get(id);
    const disabled = this.#disabled.get(id);
    if (!decoder && disabled) {
      return [
        {
          path: "/decoder/id",
          message: `decoder "${id}" is provided by plugin ${disabledPluginName(disabled)}, which is disabled: ${disabled.reason}`,
        },
      ];
    }
    if (!decoder) {
      return [
        { path: "/decoder/id", message: `unknown decoder "${id}" (known: ${[...this.#decoders.keys()].join(", ")})` },
      ];
    }
    const problems: DecoderProblem[] = [];
    if (taskType !== undefined && !decoder.taskTypes.includes(taskType)) {
      problems.push({
        path: "/decoder/id",
        message: `decoder "${id}" decodes ${decoder.taskTypes.join(" or ")} results, not ${taskType}`,
      });
    }
    let validate = this.#validators.get(id);
    if (!validate) {
      validate = this.#ajv.compile(decoder.params);
      this.#validators.set(id, validate);
    }
    if (!validate(params)) {
      for (const e of validate.errors ?? []) {
        problems.push({
          path: `/decoder/params${e.instancePath}`,
          message: `decoder "${id}" params${e.instancePath}: ${e.message ?? "invalid"}`,
        });
      }
    }
    return problems;
  }
}
