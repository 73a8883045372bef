/**
 * Checks what a plugin's entry exported before anything is registered: a plugin is third-party code, so its
 * manifest is validated at the edge like any other input, and every problem is reported at once.
 */
import { compileSchema, type PluginDefinition } from "@vizflow/sdk";

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSchemaObject(value: unknown): value is Record<string, unknown> {
  return isObject(value) && (value.type === undefined || value.type === "object");
}

/** Problems with one action of a plugin; `where` names it for messages. */
function actionProblems(action: unknown, index: number): string[] {
  if (!isObject(action)) return [`actions[${index}] is not an object (define it with defineAction)`];
  const where =
    typeof action.id === "string"
      ? `action "${action.id}${typeof action.version === "number" ? `@${action.version}` : ""}"`
      : `actions[${index}]`;
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${where}: ${text}`);
  if (typeof action.id !== "string" || !KEBAB.test(action.id)) {
    say(`id ${JSON.stringify(action.id)} must be kebab-case (lower-case letters, digits and single dashes)`);
  }
  if (typeof action.version !== "number" || !Number.isInteger(action.version) || action.version < 1) {
    say(`version ${JSON.stringify(action.version)} must be a major version, an integer >= 1`);
  }
  for (const key of ["title", "description", "category"] as const) {
    if (typeof action[key] !== "string" || action[key].trim() === "") say(`${key} must be a non-empty string`);
  }
  if (action.icon !== undefined && typeof action.icon !== "string") say("icon must be a string (a Lucide icon name)");
  if (!isSchemaObject(action.config)) {
    say('config must be a JSON Schema object with type "object"');
  } else {
    const compiled = compileSchema(action.config);
    if (!compiled.ok) say(`config schema does not compile: ${compiled.error}`);
  }
  if (typeof action.writes !== "function") {
    if (!isSchemaObject(action.writes))
      say('writes must be a JSON Schema object with type "object", or a function of the config');
    else {
      const compiled = compileSchema(action.writes);
      if (!compiled.ok) say(`writes schema does not compile: ${compiled.error}`);
    }
  }
  if (action.objectFields !== undefined && typeof action.objectFields !== "function") {
    if (!isSchemaObject(action.objectFields))
      say('objectFields must be a JSON Schema object with type "object", or a function of the config');
    else {
      const compiled = compileSchema(action.objectFields);
      if (!compiled.ok) say(`objectFields schema does not compile: ${compiled.error}`);
    }
  }
  if (typeof action.handles !== "function") {
    if (!Array.isArray(action.handles)) say("handles must be an array of { id } or a function of the config");
    else {
      action.handles.forEach((handle: unknown, i) => {
        if (!isObject(handle) || typeof handle.id !== "string" || handle.id === "") {
          say(`handles[${i}] must be an object with a string id`);
        } else if (handle.fanOut !== undefined && handle.fanOut !== "scope" && handle.fanOut !== "objects") {
          say(`handle "${handle.id}" has fanOut ${JSON.stringify(handle.fanOut)}; use "scope" or "objects"`);
        }
      });
    }
  }
  if (action.credits !== undefined && typeof action.credits !== "function") {
    if (typeof action.credits !== "number" || !(action.credits >= 0))
      say(`credits ${JSON.stringify(action.credits)} must be a number >= 0`);
  }
  if (typeof action.run !== "function") say("run must be a function (ctx, scope, config) => Promise<ActionOutput>");
  for (const key of ["maxObjects", "references"] as const) {
    if (action[key] !== undefined && typeof action[key] !== "function") say(`${key} must be a function of the config`);
  }
  if (action.service !== undefined && typeof action.service !== "boolean") say("service must be true or false");
  if (action.timeoutMs !== undefined && (typeof action.timeoutMs !== "number" || !(action.timeoutMs > 0))) {
    say("timeoutMs must be a number of milliseconds > 0");
  }
  if (action.migrations !== undefined) {
    if (!Array.isArray(action.migrations)) say("migrations must be an array of { from, migrate }");
    else {
      action.migrations.forEach((migration: unknown, i) => {
        if (!isObject(migration) || typeof migration.migrate !== "function") {
          say(`migrations[${i}] must be { from, migrate(config) }`);
        } else if (
          typeof migration.from !== "number" ||
          !Number.isInteger(migration.from) ||
          migration.from < 1 ||
          (typeof action.version === "number" && migration.from >= action.version)
        ) {
          say(`migrations[${i}].from must be an older major, an integer from 1 to ${String(action.version)} - 1`);
        }
      });
    }
  }
  return problems;
}

/**
 * Every problem with a plugin entry's default export (empty when it is a valid `definePlugin` result).
 * Messages name the action and the field so the plugin's author can fix it from the message alone.
 */
export function pluginProblems(value: unknown): string[] {
  if (!isObject(value)) {
    return [
      `its entry must default-export definePlugin({...}), but exported ${value === null ? "null" : typeof value}`,
    ];
  }
  const problems: string[] = [];
  if (typeof value.name !== "string" || !KEBAB.test(value.name)) {
    problems.push(
      `name ${JSON.stringify(value.name)} must be kebab-case (lower-case letters, digits and single dashes)`,
    );
  }
  if (typeof value.title !== "string" || value.title.trim() === "") problems.push("title must be a non-empty string");
  if (value.description !== undefined && typeof value.description !== "string")
    problems.push("description must be a string");
  if (!Array.isArray(value.actions)) {
    problems.push("actions must be an array of defineAction(...) results");
  } else {
    const seen = new Set<string>();
    value.actions.forEach((action: unknown, i) => {
      const own = actionProblems(action, i);
      problems.push(...own);
      if (own.length === 0 && isObject(action)) {
        const ref = `${String(action.id)}@${String(action.version)}`;
        if (seen.has(ref)) problems.push(`action "${ref}" is defined twice in this plugin`);
        seen.add(ref);
      }
    });
  }
  if (value.decoders !== undefined) {
    if (!Array.isArray(value.decoders)) problems.push("decoders must be an array");
    else {
      value.decoders.forEach((decoder: unknown, i) => {
        if (!isObject(decoder) || typeof decoder.id !== "string" || typeof decoder.decode !== "function") {
          problems.push(`decoders[${i}] must have a string id and a decode function`);
        } else if (!isSchemaObject(decoder.params) || !Array.isArray(decoder.taskTypes)) {
          problems.push(`decoder "${decoder.id}": params must be a JSON Schema object and taskTypes an array`);
        }
      });
    }
  }
  return problems;
}

/** Narrows a checked value; call only when `pluginProblems(value)` is empty. */
export function asPluginDefinition(value: unknown): PluginDefinition {
  return value as PluginDefinition;
}
