/**
 * One ajv (JSON Schema 2020-12) instance for every schema the SDK checks: action configs, `writes`
 * schemas, the graph document. Each schema is compiled once and cached.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

import type { JsonSchema } from "../action.js";

const ajv = new Ajv2020({
  allErrors: true,
  // Plugin schemas may carry annotations ajv does not know; they never change what is valid.
  strict: false,
  // No format vocabulary is bundled (it would add a dependency to the browser bundle); `format` is an annotation.
  validateFormats: false,
  // Two plugins may reuse an `$id`; keep every compiled schema private to its caller.
  addUsedSchema: false,
});

/** A compiled schema, or why it could not be compiled (a plugin bug, reported as such). */
export type CompiledSchema = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

const byObject = new WeakMap<object, CompiledSchema>();
// `handles`/`writes` computed from config return a fresh object per call; equal text shares one compile.
const byText = new Map<string, CompiledSchema>();
const MAX_TEXT_ENTRIES = 500;

/** Compiles a JSON Schema once; later calls with the same object (or an equal one) reuse it. */
export function compileSchema(schema: JsonSchema): CompiledSchema {
  const cached = byObject.get(schema);
  if (cached) return cached;
  const text = JSON.stringify(schema);
  let compiled = byText.get(text);
  if (!compiled) {
    try {
      compiled = { ok: true, validate: ajv.compile(schema) };
    } catch (error) {
      compiled = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (byText.size >= MAX_TEXT_ENTRIES) {
      const oldest = byText.keys().next();
      if (!oldest.done) byText.delete(oldest.value);
    }
    byText.set(text, compiled);
  }
  byObject.set(schema, compiled);
  return compiled;
}

/** A schema violation: JSON pointer of the offending value and a sentence about it. */
export interface SchemaViolation {
  path: string;
  message: string;
}

/**
 * Validates `value`; returns every violation (empty when valid), or throws when the schema does not compile.
 * `whole` names the value itself in messages ("the config").
 */
export function checkAgainstSchema(schema: JsonSchema, value: unknown, whole = "the value"): SchemaViolation[] {
  const compiled = compileSchema(schema);
  if (!compiled.ok) throw new Error(`invalid JSON Schema: ${compiled.error}`);
  if (compiled.validate(value)) return [];
  return describeAjvErrors(compiled.validate.errors ?? [], whole);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Turns ajv's errors into one violation per thing to fix: `if` errors are dropped (the `then`/`else` errors
 * say what is wrong), and the branch errors of an `anyOf` fold into one "must be A, or must be B".
 */
export function describeAjvErrors(errors: readonly ErrorObject[], whole: string): SchemaViolation[] {
  return ajvRules(errors).map(({ path, rule }) => ({ path, message: `${pointerName(path, whole)} ${rule}` }));
}

/** ajv's errors folded as `describeAjvErrors` does, each as the pointer it is about and the rule it breaks. */
function ajvRules(errors: readonly ErrorObject[]): { path: string; rule: string }[] {
  const groups = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const inside = (error: ErrorObject, group: ErrorObject) =>
    error !== group && error.schemaPath.startsWith(`${group.schemaPath}/`);
  const violations: { path: string; rule: string }[] = [];
  for (const error of errors) {
    if (error.keyword === "if" || groups.some((group) => inside(error, group))) continue;
    const { path } = ruleOf(error);
    let { rule } = ruleOf(error);
    if (error.keyword === "anyOf") {
      const branches = errors.filter((e) => inside(e, error) && e.keyword !== "if").map(ruleOf);
      if (branches.length > 0 && branches.every((branch) => branch.path === path)) {
        rule = [...new Set(branches.map((branch) => branch.rule))].join(", or ");
      }
    }
    violations.push({ path, rule });
  }
  return violations;
}

/**
 * Why `schema` is not a valid JSON Schema (2020-12), each problem with the pointer into the schema and ajv's
 * rule; empty when it is valid and compiles.
 */
export function schemaProblems(schema: unknown): { path: string; rule: string }[] {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return [{ path: "", rule: "must be a JSON Schema object" }];
  }
  if (!(ajv.validateSchema(schema) as boolean)) {
    // The meta-schema's anyOf branches live behind $refs, so ajvRules cannot fold them: one line per pointer.
    const byPath = new Map<string, string[]>();
    for (const { path, rule } of ajvRules(ajv.errors ?? [])) {
      if (rule === "must match a schema in anyOf") continue;
      const rules = byPath.get(path) ?? [];
      if (!rules.includes(rule)) rules.push(rule);
      byPath.set(path, rules);
    }
    const problems = [...byPath].map(([path, rules]) => ({ path, rule: rules.join(", or ") }));
    return problems.length > 0 ? problems : [{ path: "", rule: ajv.errorsText(ajv.errors) }];
  }
  const compiled = compileSchema(schema as JsonSchema);
  return compiled.ok ? [] : [{ path: "", rule: `does not compile: ${compiled.error}` }];
}

/** Turns one ajv error into a pointer at the exact value and a sentence about it; `whole` names the root value. */
export function describeAjvError(error: ErrorObject, whole: string): SchemaViolation {
  const { path, rule } = ruleOf(error);
  return { path, message: `${pointerName(path, whole)} ${rule}` };
}

function ruleOf(error: ErrorObject): { path: string; rule: string } {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath;
  switch (error.keyword) {
    case "required":
      return { path: `${at}/${escapePointer(String(params.missingProperty))}`, rule: "is required" };
    case "additionalProperties":
      return { path: `${at}/${escapePointer(String(params.additionalProperty))}`, rule: "is not an allowed property" };
    case "enum": {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      return { path: at, rule: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}` };
    }
    case "const":
      return { path: at, rule: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { path: at, rule: error.message ?? `fails the "${error.keyword}" rule` };
  }
}

/** Names a JSON pointer for a sentence: `/a/0/b` -> `"a/0/b"`, the empty pointer -> `whole`. */
export function pointerName(path: string, whole: string): string {
  return path === "" ? whole : `"${path.slice(1).replace(/~1/g, "/").replace(/~0/g, "~")}"`;
}
