/**
 * The set of enabled plugins' actions, looked up by `<plugin>/<action>@<major>`.
 * Pure: the engine builds it from loaded plugins, the editor from `describe()` output.
 */
import type { ActionDefinition, DecoderDefinition, HandleSpec, JsonSchema, PluginDefinition } from "./action.js";
import { formatActionRef, parseActionRef } from "./graph.js";

/** An action as the registry holds it, with its full id. */
export interface RegisteredAction {
  /** `<plugin>/<action>@<major>` */
  ref: string;
  plugin: string;
  definition: ActionDefinition<Record<string, unknown>>;
}

/** JSON description of one action, for the editor (no code). */
export interface ActionManifest {
  ref: string;
  plugin: string;
  id: string;
  version: number;
  title: string;
  description: string;
  category: string;
  icon?: string;
  config: JsonSchema;
  ui?: Record<string, unknown>;
  /** Static handles; absent when handles are computed from config (ask the registry per node). */
  handles?: readonly HandleSpec[];
  /** Static writes schema; absent when computed from config. */
  writes?: JsonSchema;
  /** Static schema of the fields of the objects it returns; absent when computed from config or none. */
  objectFields?: JsonSchema;
  credits?: number;
  service: boolean;
}

export interface PluginManifest {
  name: string;
  title: string;
  description?: string;
  actions: ActionManifest[];
}

/** A plugin that was enabled but refused at start: its actions and decoders are missing, and say why. */
export interface DisabledPlugin {
  /** Its name (the namespace of its actions) where it could be read; absent when its entry never loaded. */
  name?: string;
  /** The plugin as configured (package name or folder), for messages. */
  plugin: string;
  /** Why it was refused, as the server's log says it. */
  reason: string;
  /** Ids of the decoders it brings, where they could be read. */
  decoders: readonly string[];
}

export class DuplicateActionError extends Error {
  constructor(readonly ref: string) {
    super(`action ${ref} is defined twice`);
    this.name = "DuplicateActionError";
  }
}

export class ActionRegistry {
  readonly #actions = new Map<string, RegisteredAction>();
  readonly #plugins: PluginDefinition[] = [];
  readonly #decoders = new Map<string, DecoderDefinition>();
  readonly #disabled: DisabledPlugin[] = [];

  constructor(plugins: readonly PluginDefinition[] = []) {
    for (const plugin of plugins) this.add(plugin);
  }

  /** Adds a plugin; throws DuplicateActionError when one of its action ids is taken. */
  add(plugin: PluginDefinition): void {
    const refs = plugin.actions.map((a) => formatActionRef({ plugin: plugin.name, action: a.id, major: a.version }));
    for (const ref of refs) if (this.#actions.has(ref)) throw new DuplicateActionError(ref);
    plugin.actions.forEach((definition, i) => {
      const ref = refs[i] as string;
      this.#actions.set(ref, {
        ref,
        plugin: plugin.name,
        definition: definition as unknown as ActionDefinition<Record<string, unknown>>,
      });
    });
    for (const decoder of plugin.decoders ?? []) this.#decoders.set(decoder.id, decoder);
    this.#plugins.push(plugin);
  }

  /** Records a plugin refused at start, so flows that use it are told why instead of "unknown action". */
  disable(plugin: DisabledPlugin): void {
    this.#disabled.push(plugin);
  }

  /** Every plugin refused at start. */
  disabledPlugins(): readonly DisabledPlugin[] {
    return this.#disabled;
  }

  /** The refused plugin named `name` (an action id's namespace), when no enabled plugin has that name. */
  disabledPlugin(name: string): DisabledPlugin | undefined {
    if (this.#plugins.some((p) => p.name === name)) return undefined;
    return this.#disabled.find((p) => p.name === name);
  }

  get(ref: string): RegisteredAction | undefined {
    return this.#actions.get(ref);
  }

  /** Majors available for `<plugin>/<action>`, to tell "unknown version" from "unknown action". */
  majorsOf(pluginAndAction: string): number[] {
    const majors: number[] = [];
    for (const action of this.#actions.values()) {
      const parsed = parseActionRef(action.ref);
      if (parsed && `${parsed.plugin}/${parsed.action}` === pluginAndAction) majors.push(parsed.major);
    }
    return majors.sort((a, b) => a - b);
  }

  actions(): IterableIterator<RegisteredAction> {
    return this.#actions.values();
  }

  decoder(id: string): DecoderDefinition | undefined {
    return this.#decoders.get(id);
  }

  /** Handles of a node with the given config. */
  handlesOf(action: RegisteredAction, config: Record<string, unknown>): readonly HandleSpec[] {
    const { handles } = action.definition;
    return typeof handles === "function" ? handles(config) : handles;
  }

  /** JSON Schema of the fields a node with the given config writes. */
  writesOf(action: RegisteredAction, config: Record<string, unknown>): JsonSchema {
    const { writes } = action.definition;
    return typeof writes === "function" ? writes(config) : writes;
  }

  /** JSON Schema of the fields a node with the given config puts on the objects it returns, if it says. */
  objectFieldsOf(action: RegisteredAction, config: Record<string, unknown>): JsonSchema | undefined {
    const { objectFields } = action.definition;
    return typeof objectFields === "function" ? objectFields(config) : objectFields;
  }

  creditsOf(action: RegisteredAction, config: Record<string, unknown>): number {
    const { credits } = action.definition;
    return typeof credits === "function" ? credits(config) : (credits ?? 0);
  }

  /** JSON description of every plugin and action, for the editor. */
  describe(): PluginManifest[] {
    return this.#plugins.map((plugin) => ({
      name: plugin.name,
      title: plugin.title,
      ...(plugin.description === undefined ? {} : { description: plugin.description }),
      actions: plugin.actions.map((a) => {
        const ref = formatActionRef({ plugin: plugin.name, action: a.id, major: a.version });
        const manifest: ActionManifest = {
          ref,
          plugin: plugin.name,
          id: a.id,
          version: a.version,
          title: a.title,
          description: a.description,
          category: a.category,
          config: a.config,
          service: a.service ?? false,
        };
        if (a.icon !== undefined) manifest.icon = a.icon;
        if (a.ui !== undefined) manifest.ui = a.ui;
        if (typeof a.handles !== "function") manifest.handles = a.handles;
        if (typeof a.writes !== "function") manifest.writes = a.writes;
        if (a.objectFields !== undefined && typeof a.objectFields !== "function")
          manifest.objectFields = a.objectFields;
        if (typeof a.credits !== "function") manifest.credits = a.credits ?? 0;
        return manifest;
      }),
    }));
  }
}
