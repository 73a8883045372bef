import { installedPlugins, type InstalledPlugin } from "@vizflow/flow-engine";
import type { ActionManifest, DisabledPlugin, HandleSpec, JsonSchema, TaskType } from "@vizflow/sdk";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authedProcedure, router } from "../trpc";

/** An action's manifest plus, where handles or writes depend on the config, what they are for `{}`. */
export interface ActionDescription extends ActionManifest {
  /** Handles, writes and credits of a node with an empty config (the schema's defaults apply in `run`). */
  withDefaultConfig?: NodeFactsResult;
}

/** A decoder a plugin brings for model versions' adapters. */
export interface DecoderDescription {
  id: string;
  title: string;
  taskTypes: readonly TaskType[];
}

/** A plugin as the editor and the Services page see it: its manifest plus the package it came from. */
export interface PluginDescription extends Omit<InstalledPlugin, "from"> {
  actions: ActionDescription[];
  decoders: DecoderDescription[];
}

/** What a node of an action does with one config: handles, written fields, credits per scope. */
export interface NodeFactsResult {
  handles: readonly HandleSpec[];
  writes: JsonSchema;
  /** Fields of the objects it returns besides name, prob and bound_box, when it says. */
  objectFields?: JsonSchema;
  credits: number;
}

export const pluginRouter = router({
  /**
   * Every enabled plugin and its actions (the registry's `describe()`), with package name and version.
   * Actions whose handles or writes depend on the config leave them out; ask `nodeFacts` per config.
   */
  describe: authedProcedure.query(async (): Promise<PluginDescription[]> => {
    const { registry, plugins, definitions } = await installedPlugins();
    const byName = new Map(plugins.map((p) => [p.name, p]));
    const decodersOf = new Map(
      definitions.map((d) => [
        d.name,
        (d.decoders ?? []).map(({ id, title, taskTypes }): DecoderDescription => ({ id, title, taskTypes })),
      ]),
    );
    return registry.describe().map((manifest) => {
      const info = byName.get(manifest.name);
      return {
        name: manifest.name,
        title: manifest.title,
        ...(manifest.description === undefined ? {} : { description: manifest.description }),
        packageName: info?.packageName ?? manifest.name,
        version: info?.version ?? "0.0.0",
        engine: info?.engine ?? "",
        builtin: info?.builtin ?? false,
        decoders: decodersOf.get(manifest.name) ?? [],
        actions: manifest.actions.map((action): ActionDescription => {
          const registered = registry.get(action.ref);
          const computedObjectFields = typeof registered?.definition.objectFields === "function";
          if (
            action.handles !== undefined &&
            action.writes !== undefined &&
            action.credits !== undefined &&
            !computedObjectFields
          )
            return action;
          if (!registered) return action;
          try {
            const config = {};
            const objectFields = registry.objectFieldsOf(registered, config);
            return {
              ...action,
              withDefaultConfig: {
                handles: registry.handlesOf(registered, config),
                writes: registry.writesOf(registered, config),
                ...(objectFields === undefined ? {} : { objectFields }),
                credits: registry.creditsOf(registered, config),
              },
            };
          } catch {
            // Some actions need settings before they have handles (a Branch Selector's labels).
            return action;
          }
        }),
      };
    });
  }),

  /** Plugins that were enabled but refused at start, each with why (nothing of theirs runs). */
  disabled: authedProcedure.query(async (): Promise<DisabledPlugin[]> => {
    const { disabled } = await installedPlugins();
    return disabled;
  }),

  /** Handles, writes schema and credits of a node of `action` with `config` (computed ones included). */
  nodeFacts: authedProcedure
    .input(
      z.object({
        action: z.string().min(1, "Name the action, as <plugin>/<action>@<major>."),
        config: z.record(z.string(), z.unknown()),
      }),
    )
    .query(async ({ input }): Promise<NodeFactsResult> => {
      const { registry } = await installedPlugins();
      const action = registry.get(input.action);
      if (!action) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No enabled plugin provides the action ${input.action}.` });
      }
      try {
        const objectFields = registry.objectFieldsOf(action, input.config);
        return {
          handles: registry.handlesOf(action, input.config),
          writes: registry.writesOf(action, input.config),
          ...(objectFields === undefined ? {} : { objectFields }),
          credits: registry.creditsOf(action, input.config),
        };
      } catch (error) {
        // Computed facts are plugin code fed with a config the editor has not validated yet.
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `The ${action.definition.title} action (${input.action}, plugin ${action.plugin}) cannot use this config: ${(error as Error).message}`,
          cause: error,
        });
      }
    }),
});
