/**
 * The first check of any graph: the document has the FlowGraph shape and stays within FLOW_LIMITS (sizes of
 * ids, labels, handles, config strings and arrays, counts of nodes and edges, bytes in all). Each problem
 * names the field as a path into the document: `nodes/3/label: at most 200 characters.`
 */
import type { ErrorObject } from "ajv/dist/2020.js";

import { flowGraphSchema } from "../graph-schema.js";
import { FLOW_LIMITS } from "../limits.js";
import type { GraphProblem } from "../problems.js";
import { compileSchema } from "./schema-cache.js";

/** Problems listed for one malformed document; past this, one more line says there are more. */
const MAX_LISTED = 20;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** `/nodes/3/label` -> `nodes/3/label`; the whole document -> `the flow graph`. */
function where(path: string): string {
  return path === "" ? "the flow graph" : path.slice(1).replace(/~1/g, "/").replace(/~0/g, "~");
}

function problem(path: string, rule: string): GraphProblem {
  return { code: "invalid_document", message: `${where(path)}: ${rule}.`, path };
}

const ARTICLE: Record<string, string> = { array: "an array", object: "an object", integer: "an integer" };

function ruleOf(error: ErrorObject): { path: string; rule: string } {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath;
  switch (error.keyword) {
    case "required":
      return { path: `${at}/${escape(String(params.missingProperty))}`, rule: "is missing" };
    case "additionalProperties":
      return { path: `${at}/${escape(String(params.additionalProperty))}`, rule: "is not a field of the flow graph" };
    case "type": {
      const type = String(params.type);
      return { path: at, rule: `must be ${ARTICLE[type] ?? `a ${type}`}` };
    }
    case "const":
      return { path: at, rule: `must be ${JSON.stringify(params.allowedValue)}` };
    case "minLength":
      return { path: at, rule: "must not be empty" };
    case "maxLength":
      return { path: at, rule: `at most ${Number(params.limit).toLocaleString("en-US")} characters` };
    case "maxItems":
      return { path: at, rule: `at most ${Number(params.limit).toLocaleString("en-US")} items` };
    default:
      return { path: at, rule: error.message ?? `fails the "${error.keyword}" rule` };
  }
}

/** Strings, keys, arrays and nesting inside one node's config, against the limits. */
function checkConfig(config: Record<string, unknown>, base: string, found: GraphProblem[]): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: config, path: base, depth: 0 }];
  while (stack.length > 0 && found.length <= MAX_LISTED) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === "string") {
      if (value.length > FLOW_LIMITS.maxConfigStringLength) {
        found.push(problem(path, `at most ${FLOW_LIMITS.maxConfigStringLength.toLocaleString("en-US")} characters`));
      }
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= FLOW_LIMITS.maxConfigDepth) {
      found.push(problem(path, `nested deeper than ${FLOW_LIMITS.maxConfigDepth} levels`));
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > FLOW_LIMITS.maxConfigArrayItems) {
        found.push(problem(path, `at most ${FLOW_LIMITS.maxConfigArrayItems.toLocaleString("en-US")} items`));
        continue;
      }
      value.forEach((item, i) => stack.push({ value: item, path: `${path}/${i}`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key.length > FLOW_LIMITS.maxConfigKeyLength) {
        found.push(
          problem(
            `${path}/${escape(key.slice(0, 40))}…`,
            `a setting name has at most ${FLOW_LIMITS.maxConfigKeyLength} characters`,
          ),
        );
        continue;
      }
      stack.push({ value: item, path: `${path}/${escape(key)}`, depth: depth + 1 });
    }
  }
}

/** Bytes of the document as JSON, or undefined when it is not JSON at all (a cycle, a BigInt). */
function jsonBytes(graph: unknown): number | undefined {
  try {
    const text = JSON.stringify(graph);
    return text === undefined ? undefined : new TextEncoder().encode(text).length;
  } catch {
    return undefined;
  }
}

/**
 * Every problem of the document's shape and size, at most MAX_LISTED of them (then one saying there are more);
 * empty when the graph can be checked further.
 *
 * @example checkGraphDocument({ schema: 1, nodes: [{ id: 1 }], edges: "x" })[0]?.message // "nodes/0/id: must be a string."
 */
export function checkGraphDocument(graph: unknown): GraphProblem[] {
  const bytes = jsonBytes(graph);
  if (bytes === undefined) return [problem("", "must be a JSON document")];
  if (bytes > FLOW_LIMITS.maxGraphBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return [problem("", `at most ${mb(FLOW_LIMITS.maxGraphBytes)} as JSON (this one has ${mb(bytes)})`)];
  }
  const compiled = compileSchema(flowGraphSchema);
  if (!compiled.ok) throw new Error(`the flow graph schema does not compile: ${compiled.error}`);
  const found: GraphProblem[] = [];
  const seen = new Set<string>();
  if (!compiled.validate(graph)) {
    for (const error of compiled.validate.errors ?? []) {
      const { path, rule } = ruleOf(error);
      const key = `${path}\u0000${rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(problem(path, rule));
    }
  }
  const nodes = isObject(graph) && Array.isArray(graph.nodes) ? (graph.nodes as unknown[]) : [];
  nodes.forEach((node, i) => {
    if (isObject(node) && isObject(node.config)) checkConfig(node.config, `/nodes/${i}/config`, found);
  });
  if (found.length <= MAX_LISTED) return found;
  return [
    ...found.slice(0, MAX_LISTED),
    { code: "invalid_document", message: "…and more problems like these; fix these first.", path: "" },
  ];
}
