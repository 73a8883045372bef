import { defineAction } from "@vizflow/sdk";

export type ServiceConfig = {
  /** The service action, `<plugin>/<action>@<major>`; it must be declared `service: true`. */
  action: string;
  /** The service's own config, checked against its config schema when it runs. */
  config?: Record<string, unknown>;
  /** Most objects the `objects` handle runs its children on (the service's most probable first). */
  maxObjects?: number;
};

export const DEFAULT_SERVICE_MAX_OBJECTS = 10;

/** Calls a ready-to-use service of any plugin; the engine checks the call and meters the service's credits. */
export const service = defineAction<ServiceConfig>({
  id: "service",
  version: 1,
  title: "Service",
  description: "Calls a ready-to-use service provided by a plugin.",
  category: "Services",
  icon: "plug",
  config: {
    type: "object",
    required: ["action"],
    additionalProperties: false,
    properties: {
      action: {
        type: "string",
        title: "Service",
        pattern: "^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*@[1-9][0-9]*$",
      },
      config: { type: "object", title: "Service settings", default: {} },
      maxObjects: {
        type: "integer",
        title: "Maximum objects",
        minimum: 1,
        maximum: 1000,
        default: DEFAULT_SERVICE_MAX_OBJECTS,
      },
    },
  },
  ui: {
    action: { "ui:widget": "service" },
    config: { "ui:widget": "service-config", "ui:options": { of: "action" } },
    // Shown only for a service that returns objects.
    maxObjects: { "ui:options": { objectsOnly: true } },
  },
  handles: [
    { id: "next", label: "Next" },
    { id: "objects", label: "Each object", fanOut: "objects" },
  ],
  // What a service writes is declared by the service itself; the engine checks it there.
  writes: { type: "object" },
  // The service declares its own credits; the engine reports them through the call's output.
  credits: 0,
  maxObjects: (config) => config.maxObjects ?? DEFAULT_SERVICE_MAX_OBJECTS,
  references: (config) => [
    { kind: "service", action: config.action, path: "/action", config: config.config ?? {}, configPath: "/config" },
  ],
  async run(ctx, _scope, config) {
    const output = await ctx.callAction(config.action, config.config ?? {});
    return {
      ...(output.write === undefined ? {} : { write: output.write }),
      ...(output.objects === undefined ? {} : { objects: output.objects }),
      ...(output.credits === undefined ? {} : { credits: output.credits }),
    };
  },
});
