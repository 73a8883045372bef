/**
 * Turns a config schema violation into what a user does about it, said under the field ("Choose a task.",
 * "Name the output field.", "Use a number from 0 to 1."), worked out from the property's schema (title,
 * type, bounds, choices) and the action's UI hints (a field with a picker widget is chosen, not typed).
 */
import type { ErrorObject } from "ajv/dist/2020.js";

import type { JsonSchema, UiHints } from "../action.js";

/** A violation of one setting: where it is (JSON pointer into the config) and what to do, as a sentence. */
export interface FieldViolation {
  path: string;
  /** The sentence shown under the field, e.g. "Choose a task." */
  message: string;
}

// Widgets that type a value rather than pick one.
const TYPING_WIDGETS = new Set(["text", "textarea", "password", "email", "uri", "updown", "range"]);
const MAX_LISTED = 8;
// Settings that name something of the workspace are picked from it even without a widget hint.
const PICKED_KEYS = new Set(["task", "flow", "service", "model", "action"]);

interface Field {
  schema: JsonSchema | undefined;
  ui: Record<string, unknown> | undefined;
  /** Lower-case name for a sentence ("output field"). */
  title: string;
  /** The property name the field sits under (its array's, for an item). */
  key: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function decode(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The property schema of `schema` at `key`, looking through `allOf` and `then`/`else` too. */
function propertyOf(schema: JsonSchema | undefined, key: string): JsonSchema | undefined {
  if (!schema) return undefined;
  const properties = schema.properties;
  if (isObject(properties)) {
    const property = properties[key];
    if (isObject(property)) return property;
  }
  const parts: unknown[] = [
    ...(Array.isArray(schema.allOf) ? (schema.allOf as unknown[]) : []),
    schema.then,
    schema.else,
  ];
  for (const part of parts) {
    const found = isObject(part) ? propertyOf(part, key) : undefined;
    if (found) return found;
  }
  return undefined;
}

function itemOf(schema: JsonSchema | undefined, index: number): JsonSchema | undefined {
  if (!schema) return undefined;
  const prefix: unknown = Array.isArray(schema.prefixItems) ? (schema.prefixItems as unknown[])[index] : undefined;
  if (isObject(prefix)) return prefix;
  return isObject(schema.items) ? schema.items : undefined;
}

/** "Output field" -> "output field"; keeps words in capitals ("OCR"). */
function lower(title: string): string {
  return title
    .split(" ")
    .map((word) => (word.length > 1 && word === word.toUpperCase() ? word : word.toLowerCase()))
    .join(" ");
}

function humanize(key: string): string {
  return lower(key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " "));
}

/** "branches" -> "branch", "labels" -> "label"; good enough for the titles of arrays. */
export function singular(word: string): string {
  if (/(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
  return word;
}

export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}

/** Walks the schema and UI hints along a config pointer. */
function fieldAt(root: JsonSchema, ui: UiHints | undefined, path: string): Field {
  let schema: JsonSchema | undefined = root;
  let hints: Record<string, unknown> | undefined = isObject(ui) ? ui : undefined;
  let title = "value";
  let key = "";
  for (const raw of path.split("/").slice(1)) {
    const segment = decode(raw);
    const index = /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : undefined;
    const current: JsonSchema | undefined = schema;
    const asItem: boolean = index !== undefined && current?.type === "array";
    const next: JsonSchema | undefined =
      index !== undefined && asItem ? itemOf(current, index) : propertyOf(current, segment);
    const nextHints: unknown = asItem ? hints?.items : hints?.[segment];
    // An item without hints of its own is picked the way its array is.
    hints = isObject(nextHints) ? nextHints : asItem ? hints : undefined;
    if (asItem) {
      title = typeof next?.title === "string" ? lower(next.title) : singular(title);
    } else {
      key = segment;
      title = typeof next?.title === "string" ? lower(next.title) : humanize(segment);
    }
    schema = next;
  }
  if (key === "" && path === "") title = "settings";
  return { schema, ui: hints, title, key };
}

function consts(schema: JsonSchema): boolean {
  const branches = [schema.oneOf, schema.anyOf].find(Array.isArray) as unknown[] | undefined;
  return branches !== undefined && branches.some((b) => isObject(b) && ("const" in b || "enum" in b));
}

/** Whether the field is picked from a list (a widget, choices, a yes/no) rather than typed. */
function isChoice(field: Field): boolean {
  const widget = field.ui?.["ui:widget"];
  if (typeof widget === "string" && !TYPING_WIDGETS.has(widget)) return true;
  if (PICKED_KEYS.has(field.key)) return true;
  const schema = field.schema;
  if (!schema) return false;
  return Array.isArray(schema.enum) || "const" in schema || schema.type === "boolean" || consts(schema);
}

/** What to do about a field that has no value (missing, empty or null). */
function fillIn(field: Field): string {
  if (isChoice(field)) return `Choose ${withArticle(field.title)}.`;
  if (/(field|name|output)$/.test(field.title)) return `Name the ${field.title}.`;
  return `Enter ${withArticle(field.title)}.`;
}

function bounds(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  const whole = schema.type === "integer" ? "whole number" : "number";
  if (typeof minimum === "number" && typeof maximum === "number")
    return `Use a ${whole} from ${minimum} to ${maximum}.`;
  const parts: string[] = [];
  if (typeof minimum === "number") parts.push(`at least ${minimum}`);
  if (typeof exclusiveMinimum === "number") parts.push(`greater than ${exclusiveMinimum}`);
  if (typeof maximum === "number") parts.push(`at most ${maximum}`);
  if (typeof exclusiveMaximum === "number") parts.push(`less than ${exclusiveMaximum}`);
  return parts.length === 0 ? undefined : `Use a ${whole} of ${parts.join(" and ")}.`;
}

function listValues(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_LISTED).map((v) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v)));
  return values.length > MAX_LISTED ? `${shown.join(", ")} … (${values.length} in all)` : shown.join(", ");
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** The value at a pointer in the config (to tell an empty value from a wrong one). */
function valueAt(config: unknown, path: string): unknown {
  let value = config;
  for (const raw of path.split("/").slice(1)) {
    const segment = decode(raw);
    if (Array.isArray(value)) value = value[Number(segment)];
    else if (isObject(value)) value = value[segment];
    else return undefined;
  }
  return value;
}

/** The sentence for one ajv error of a config checked against `schema`. */
function describe(error: ErrorObject, schema: JsonSchema, ui: UiHints | undefined, config: unknown): FieldViolation {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath;
  const here = fieldAt(schema, ui, at);
  // A plugin may say what a pattern or reserved-name rule means; `errorMessage` is that sentence.
  const own = typeof here.schema?.errorMessage === "string" ? here.schema.errorMessage : undefined;
  const value = valueAt(config, at);
  // Whatever rule an empty value breaks (a pattern, a minimum length), what to do is fill it in.
  if (isEmpty(value) && error.keyword !== "required" && error.keyword !== "additionalProperties") {
    return { path: at, message: fillIn(here) };
  }
  switch (error.keyword) {
    case "required": {
      const path = `${at}/${escape(String(params.missingProperty))}`;
      return { path, message: fillIn(fieldAt(schema, ui, path)) };
    }
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      return { path: `${at}/${escape(key)}`, message: `Remove the setting "${key}": there is no such setting here.` };
    }
    case "type": {
      if (isEmpty(value)) return { path: at, message: fillIn(here) };
      const expected = String(params.type);
      if (expected === "integer") return { path: at, message: "Use a whole number." };
      if (expected === "number") return { path: at, message: "Enter a number." };
      if (expected === "array") return { path: at, message: `Choose ${here.title} from the list.` };
      return { path: at, message: isChoice(here) ? fillIn(here) : `Enter ${withArticle(here.title)} as ${expected}.` };
    }
    case "minLength":
      return {
        path: at,
        message: isEmpty(value) ? fillIn(here) : `Use at least ${String(params.limit)} characters.`,
      };
    case "maxLength":
      return { path: at, message: `Use at most ${String(params.limit)} characters.` };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return { path: at, message: bounds(here.schema) ?? `Use a number ${error.message ?? ""}.` };
    case "multipleOf":
      return { path: at, message: `Use a multiple of ${String(params.multipleOf)}.` };
    case "enum": {
      if (isEmpty(value)) return { path: at, message: fillIn(here) };
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      return { path: at, message: `Choose one of ${listValues(allowed)}.` };
    }
    case "const":
      return { path: at, message: `Use ${JSON.stringify(params.allowedValue)}.` };
    case "anyOf":
    case "oneOf":
      return { path: at, message: isEmpty(value) || isChoice(here) ? fillIn(here) : `Enter a valid ${here.title}.` };
    case "minItems": {
      const limit = Number(params.limit);
      const item = fieldAt(schema, ui, `${at}/0`).title;
      return { path: at, message: limit === 1 ? `Add ${withArticle(item)}.` : `Add at least ${limit} ${item}s.` };
    }
    case "maxItems":
      return { path: at, message: `Use at most ${String(params.limit)} ${fieldAt(schema, ui, `${at}/0`).title}s.` };
    case "uniqueItems":
      return {
        // ajv names the two equal items; the later one is the repeat.
        path: `${at}/${Math.max(Number(params.i), Number(params.j))}`,
        message: `Remove the repeated ${fieldAt(schema, ui, `${at}/0`).title}.`,
      };
    case "pattern":
      return { path: at, message: own ?? `This is not a valid ${here.title}.` };
    case "not":
      return {
        path: at,
        message:
          own ??
          (typeof value === "string"
            ? `"${value}" cannot be used here; choose another ${here.title}.`
            : `Choose another ${here.title}.`),
      };
    default:
      return {
        path: at,
        message: own ?? `Fix the ${here.title}: it ${error.message ?? `fails the "${error.keyword}" rule`}.`,
      };
  }
}

/**
 * One violation per thing to fix, each with a sentence for under its field. As for `describeAjvErrors`,
 * `if` errors are dropped and the branch errors of an `anyOf`/`oneOf` fold into the group's own error.
 */
export function describeFieldErrors(
  errors: readonly ErrorObject[],
  schema: JsonSchema,
  ui: UiHints | undefined,
  config: unknown,
): FieldViolation[] {
  const groups = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const inside = (error: ErrorObject, group: ErrorObject) =>
    error !== group && error.schemaPath.startsWith(`${group.schemaPath}/`);
  const seen = new Set<string>();
  const violations: FieldViolation[] = [];
  for (const error of errors) {
    if (error.keyword === "if" || groups.some((group) => inside(error, group))) continue;
    const violation = describe(error, schema, ui, config);
    // Two rules broken by one empty value ("required" of a `then`, and `minLength`) say the same thing.
    const key = `${violation.path}\u0000${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push(violation);
  }
  return violations;
}
