/**
 * Ready-to-use services in the editor. A service is not a node of its own: it runs through an action that
 * calls it (the core Service action), whose UI hints name the field holding the service
 * (`"ui:widget": "service"`) and the field holding the service's settings (`"ui:widget": "service-config"`,
 * `"ui:options": { of: <service field> }`); fields hinted `"ui:options": { objectsOnly: true }` matter only
 * for services that return objects. The palette offers each service as if it were an action; the
 * node it makes is a Service node already pointing at it, titled after it, with the service's own form.
 * A field hinted `"ui:options": { taskField, forTaskTypes }` applies only to tasks of those types (a
 * tagging threshold) and is left out of the form while the chosen task is of another type.
 */
import type { RJSFSchema } from "@rjsf/utils";
import { getDefaultFormState } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import type { ActionManifest, FlowNode, JsonSchema } from "@vizflow/sdk";
import { FORM_DEFAULTS } from "./form-state";

/** Where a calling action keeps the service it calls and that service's settings. */
export interface ServiceSlots {
  serviceField: string;
  configField: string;
}

type Hint = {
  "ui:widget"?: unknown;
  "ui:options"?: { of?: unknown; objectsOnly?: unknown; taskField?: unknown; forTaskTypes?: unknown };
};

/** The service and settings fields of an action that calls services, from its UI hints. */
export function serviceSlots(manifest: ActionManifest | undefined): ServiceSlots | undefined {
  const hints = (manifest?.ui ?? {}) as Record<string, Hint | undefined>;
  const serviceField = Object.keys(hints).find((key) => hints[key]?.["ui:widget"] === "service");
  if (serviceField === undefined) return undefined;
  const configField = Object.keys(hints).find(
    (key) => hints[key]?.["ui:widget"] === "service-config" && hints[key]?.["ui:options"]?.of === serviceField,
  );
  return configField === undefined ? undefined : { serviceField, configField };
}

/** The action that calls services (the core Service action), if an enabled plugin provides one. */
export function serviceCaller(manifests: ReadonlyMap<string, ActionManifest>): ActionManifest | undefined {
  return [...manifests.values()].find((manifest) => serviceSlots(manifest) !== undefined);
}

/** The service a node calls, when its action calls services and the service is enabled. */
export function calledService(
  node: FlowNode,
  manifests: ReadonlyMap<string, ActionManifest>,
): ActionManifest | undefined {
  const slots = serviceSlots(manifests.get(node.action));
  if (!slots) return undefined;
  const ref = node.config[slots.serviceField];
  const service = typeof ref === "string" ? manifests.get(ref) : undefined;
  return service?.service ? service : undefined;
}

/** What a node is called on the canvas: its own name, else the service it calls, else its action. */
export function nodeTitle(node: FlowNode, manifests: ReadonlyMap<string, ActionManifest>): string {
  return node.label ?? calledService(node, manifests)?.title ?? manifests.get(node.action)?.title ?? node.action;
}

/** A config filled with the defaults of a schema (what a new node or a newly chosen service starts with). */
export function defaultsOf(schema: JsonSchema, given: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults = getDefaultFormState(validator, schema as RJSFSchema, given, undefined, false, FORM_DEFAULTS) as
    Record<string, unknown> | undefined;
  return defaults ?? {};
}

/**
 * The config of a new node for `ref`: the action's defaults, or for a service, a node of the calling
 * action that calls it with the service's default settings. Undefined when neither is enabled.
 */
export function newNodeConfig(
  ref: string,
  manifests: ReadonlyMap<string, ActionManifest>,
): { action: string; config: Record<string, unknown>; idPrefix: string } | undefined {
  const manifest = manifests.get(ref);
  if (!manifest) return undefined;
  if (!manifest.service) return { action: ref, config: defaultsOf(manifest.config), idPrefix: manifest.id };
  const caller = serviceCaller(manifests);
  const slots = serviceSlots(caller);
  if (!caller || !slots) return undefined;
  const config = defaultsOf(caller.config, {
    [slots.serviceField]: ref,
    [slots.configField]: defaultsOf(manifest.config),
  });
  return { action: caller.ref, config, idPrefix: manifest.id };
}

/**
 * The form of a node: its action's config schema and hints, where the settings of the service it calls
 * are drawn from that service's own schema and hints instead of a free-form object. With `taskTypeOf`
 * (the type of a task of the workspace), fields for other task types than the chosen task's are left out;
 * their values stay in the config.
 */
export function nodeForm(
  node: FlowNode,
  manifest: ActionManifest,
  manifests: ReadonlyMap<string, ActionManifest>,
  taskTypeOf?: (taskId: string) => string | undefined,
): { schema: JsonSchema; ui: Record<string, unknown> | undefined } {
  const slots = serviceSlots(manifest);
  const hidden = taskTypeOf === undefined ? [] : fieldsForOtherTasks(node, manifest, taskTypeOf);
  if (!slots && hidden.length === 0) return { schema: manifest.config, ui: manifest.ui };
  const properties = { ...((manifest.config.properties ?? {}) as Record<string, JsonSchema>) };
  const ui: Record<string, unknown> = { ...manifest.ui };
  for (const field of hidden) delete properties[field];
  if (!slots) return { schema: { ...manifest.config, properties }, ui };
  const service = calledService(node, manifests);
  if (service) {
    properties[slots.configField] = { ...service.config, title: `${service.title} settings` };
    ui[slots.configField] = service.ui ?? {};
    const returnsObjects = service.handles?.some((handle) => handle.fanOut === "objects") ?? true;
    if (!returnsObjects) {
      for (const [field, hint] of Object.entries(manifest.ui ?? {}))
        if ((hint as Hint | undefined)?.["ui:options"]?.objectsOnly === true) delete properties[field];
    }
  } else {
    // Nothing to set until a service is chosen.
    delete properties[slots.configField];
    delete ui[slots.configField];
  }
  return { schema: { ...manifest.config, properties }, ui };
}

/** Top-level fields hinted for task types other than the type of the task the node has chosen (or for any, while none is). */
function fieldsForOtherTasks(
  node: FlowNode,
  manifest: ActionManifest,
  taskTypeOf: (taskId: string) => string | undefined,
): string[] {
  const hints = (manifest.ui ?? {}) as Record<string, Hint | undefined>;
  return Object.keys(hints).filter((field) => {
    const options = hints[field]?.["ui:options"];
    if (!Array.isArray(options?.forTaskTypes) || typeof options.taskField !== "string") return false;
    const task = node.config[options.taskField];
    const type = typeof task === "string" ? taskTypeOf(task) : undefined;
    return type === undefined || !options.forTaskTypes.includes(type);
  });
}

/**
 * A node's config after its form changed: choosing another service starts from that service's
 * default settings (the old service's settings mean nothing to it).
 */
export function afterFormChange(
  node: FlowNode,
  next: Record<string, unknown>,
  manifests: ReadonlyMap<string, ActionManifest>,
): Record<string, unknown> {
  const slots = serviceSlots(manifests.get(node.action));
  if (!slots || next[slots.serviceField] === node.config[slots.serviceField]) return next;
  const ref = next[slots.serviceField];
  const service = typeof ref === "string" ? manifests.get(ref) : undefined;
  return { ...next, [slots.configField]: service?.service ? defaultsOf(service.config) : {} };
}
