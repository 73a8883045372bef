/**
 * Checks a plugin's definition (what its entry default-exports) before anything is registered: a plugin is
 * third-party code, so its manifest is validated at the edge like any other input, every problem at once.
 * The engine refuses a plugin with problems at start; plugin authors can call it in their own tests.
 */
import { TASK_TYPES } from "./records.js";
import { BUILTIN_DECODER_IDS, BUILTIN_PLUGIN_NAMES, PLUGIN_ID_PATTERN } from "./taken-ids.js";
import { schemaProblems } from "./validation/schema-cache.js";

export interface PluginCheckOptions {
  /** A plugin built into Vizflow may use the taken names and decoder ids (they are its own). */
  builtin?: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `/properties/x/0` inside `field` -> `field.properties.x[0]`. */
function fieldPath(field: string, pointer: string): string {
  if (pointer === "") return field;
  return (
    field +
    pointer
      .slice(1)
      .split("/")
      .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
      .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
      .join("")
  );
}

const ID_RULE = 'use lower-case letters, digits and single dashes (like "my-detector")';

/** Reports problems as `<field>[ (<what>)]: <text>`, so each message names the exact field. */
class Problems {
  readonly list: string[] = [];

  say(field: string, text: string, what?: string): void {
    this.list.push(`${field}${what === undefined ? "" : ` (${what})`}: ${text}`);
  }

  /** A JSON Schema field: an object with type "object" (when `objectType`) that is a valid JSON Schema. */
  schema(field: string, value: unknown, what: string | undefined, objectType: boolean): void {
    if (!isObject(value)) {
      this.say(field, `must be a JSON Schema object${objectType ? ' with type "object"' : ""}`, what);
      return;
    }
    if (objectType && value.type !== undefined && value.type !== "object") {
      this.say(`${field}.type`, `must be "object", got ${JSON.stringify(value.type)}`, what);
      return;
    }
    for (const problem of schemaProblems(value)) {
      this.say(fieldPath(field, problem.path), `is not valid JSON Schema: ${problem.rule}`, what);
    }
  }

  nonEmptyString(field: string, value: unknown, what?: string): void {
    if (typeof value !== "string" || value.trim() === "") {
      this.say(field, `must be a non-empty string, got ${JSON.stringify(value) ?? "undefined"}`, what);
    }
  }
}

function checkAction(p: Problems, action: unknown, i: number): void {
  const at = `actions[${i}]`;
  if (!isObject(action)) {
    p.say(at, "is not an object (define it with defineAction)");
    return;
  }
  const what =
    typeof action.id === "string"
      ? `action "${action.id}${typeof action.version === "number" ? `@${action.version}` : ""}"`
      : undefined;
  if (typeof action.id !== "string" || !PLUGIN_ID_PATTERN.test(action.id)) {
    p.say(`${at}.id`, `${JSON.stringify(action.id) ?? "undefined"} is not a valid action id; ${ID_RULE}`);
  }
  if (typeof action.version !== "number" || !Number.isInteger(action.version) || action.version < 1) {
    p.say(
      `${at}.version`,
      `${JSON.stringify(action.version) ?? "undefined"} must be a major version, an integer >= 1`,
      what,
    );
  }
  for (const key of ["title", "description", "category"] as const) p.nonEmptyString(`${at}.${key}`, action[key], what);
  if (action.icon !== undefined && typeof action.icon !== "string") {
    p.say(`${at}.icon`, "must be a string (a Lucide icon name)", what);
  }
  p.schema(`${at}.config`, action.config, what, true);
  if (typeof action.writes !== "function") p.schema(`${at}.writes`, action.writes, what, true);
  if (action.objectFields !== undefined && typeof action.objectFields !== "function") {
    p.schema(`${at}.objectFields`, action.objectFields, what, true);
  }
  if (typeof action.handles !== "function") {
    if (!Array.isArray(action.handles)) {
      p.say(`${at}.handles`, "must be an array of { id } or a function of the config", what);
    } else {
      action.handles.forEach((handle: unknown, h) => {
        if (!isObject(handle) || typeof handle.id !== "string" || handle.id === "") {
          p.say(`${at}.handles[${h}].id`, "must be a non-empty string", what);
        } else if (handle.fanOut !== undefined && handle.fanOut !== "scope" && handle.fanOut !== "objects") {
          p.say(
            `${at}.handles[${h}].fanOut`,
            `${JSON.stringify(handle.fanOut)} is not one of "scope", "objects"`,
            what,
          );
        }
      });
    }
  }
  if (action.credits !== undefined && typeof action.credits !== "function") {
    if (typeof action.credits !== "number" || !(action.credits >= 0) || !Number.isFinite(action.credits)) {
      p.say(`${at}.credits`, `${JSON.stringify(action.credits) ?? "undefined"} must be a number >= 0`, what);
    }
  }
  if (typeof action.run !== "function")
    p.say(`${at}.run`, "must be a function (ctx, scope, config) => Promise<ActionOutput>", what);
  for (const key of ["maxObjects", "references"] as const) {
    if (action[key] !== undefined && typeof action[key] !== "function")
      p.say(`${at}.${key}`, "must be a function of the config", what);
  }
  if (action.service !== undefined && typeof action.service !== "boolean")
    p.say(`${at}.service`, "must be true or false", what);
  if (action.timeoutMs !== undefined && (typeof action.timeoutMs !== "number" || !(action.timeoutMs > 0))) {
    p.say(`${at}.timeoutMs`, "must be a number of milliseconds > 0", what);
  }
  if (action.migrations !== undefined) {
    if (!Array.isArray(action.migrations)) p.say(`${at}.migrations`, "must be an array of { from, migrate }", what);
    else {
      action.migrations.forEach((migration: unknown, m) => {
        if (!isObject(migration) || typeof migration.migrate !== "function") {
          p.say(`${at}.migrations[${m}]`, "must be { from, migrate(config) }", what);
        } else if (
          typeof migration.from !== "number" ||
          !Number.isInteger(migration.from) ||
          migration.from < 1 ||
          (typeof action.version === "number" && migration.from >= action.version)
        ) {
          p.say(
            `${at}.migrations[${m}].from`,
            `must be an older major, an integer from 1 to ${String(action.version)} - 1`,
            what,
          );
        }
      });
    }
  }
}

function checkDecoder(p: Problems, decoder: unknown, i: number, options: PluginCheckOptions): void {
  const at = `decoders[${i}]`;
  if (!isObject(decoder)) {
    p.say(at, "is not an object { id, title, params, taskTypes, decode }");
    return;
  }
  const what = typeof decoder.id === "string" ? `decoder "${decoder.id}"` : undefined;
  if (typeof decoder.id !== "string" || !PLUGIN_ID_PATTERN.test(decoder.id)) {
    p.say(`${at}.id`, `${JSON.stringify(decoder.id) ?? "undefined"} is not a valid decoder id; ${ID_RULE}`);
  } else if (!options.builtin && BUILTIN_DECODER_IDS.includes(decoder.id)) {
    p.say(
      `${at}.id`,
      `"${decoder.id}" is taken by a decoder built into the engine (taken: ${BUILTIN_DECODER_IDS.join(", ")}); choose another id`,
    );
  }
  p.nonEmptyString(`${at}.title`, decoder.title, what);
  p.schema(`${at}.params`, decoder.params, what, true);
  if (!Array.isArray(decoder.taskTypes) || decoder.taskTypes.length === 0) {
    p.say(`${at}.taskTypes`, `must be a non-empty array of task types (${TASK_TYPES.join(", ")})`, what);
  } else {
    decoder.taskTypes.forEach((type: unknown, t) => {
      if (!(TASK_TYPES as readonly unknown[]).includes(type)) {
        p.say(
          `${at}.taskTypes[${t}]`,
          `${JSON.stringify(type) ?? "undefined"} is not a task type; use one of ${TASK_TYPES.join(", ")}`,
          what,
        );
      }
    });
  }
  if (typeof decoder.decode !== "function") p.say(`${at}.decode`, "must be a function (input) => TaskPrediction", what);
}

/**
 * Every problem with a plugin definition (empty when it is a valid `definePlugin` result). Each message
 * starts with the exact field (`actions[0].id: ...`, `decoders[1].taskTypes[0]: ...`), so the plugin's
 * author can fix it from the message alone.
 */
export function pluginProblems(value: unknown, options: PluginCheckOptions = {}): string[] {
  if (!isObject(value)) {
    return [
      `its entry must default-export definePlugin({...}), but exported ${value === null ? "null" : typeof value}`,
    ];
  }
  const p = new Problems();
  if (typeof value.name !== "string" || !PLUGIN_ID_PATTERN.test(value.name)) {
    p.say("name", `${JSON.stringify(value.name) ?? "undefined"} is not a valid plugin name; ${ID_RULE}`);
  } else if (!options.builtin && BUILTIN_PLUGIN_NAMES.includes(value.name)) {
    p.say(
      "name",
      `"${value.name}" is taken by a plugin built into Vizflow (taken: ${BUILTIN_PLUGIN_NAMES.join(", ")}); choose another name`,
    );
  }
  p.nonEmptyString("title", value.title);
  if (value.description !== undefined && typeof value.description !== "string")
    p.say("description", "must be a string");
  if (!Array.isArray(value.actions)) {
    p.say("actions", "must be an array of defineAction(...) results");
  } else {
    const seen = new Map<string, number>();
    value.actions.forEach((action: unknown, i) => {
      checkAction(p, action, i);
      if (isObject(action) && typeof action.id === "string" && typeof action.version === "number") {
        const ref = `${action.id}@${action.version}`;
        const first = seen.get(ref);
        if (first !== undefined)
          p.say(`actions[${i}]`, `action "${ref}" is defined twice in this plugin (also actions[${first}])`);
        else seen.set(ref, i);
      }
    });
  }
  if (value.decoders !== undefined) {
    if (!Array.isArray(value.decoders)) p.say("decoders", "must be an array");
    else {
      const seen = new Map<string, number>();
      value.decoders.forEach((decoder: unknown, i) => {
        checkDecoder(p, decoder, i, options);
        if (isObject(decoder) && typeof decoder.id === "string") {
          const first = seen.get(decoder.id);
          if (first !== undefined)
            p.say(`decoders[${i}].id`, `"${decoder.id}" is used twice in this plugin (also decoders[${first}])`);
          else seen.set(decoder.id, i);
        }
      });
    }
  }
  return p.list;
}
