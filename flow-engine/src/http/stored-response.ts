/**
 * What is kept of an answer for replays and `GET /v2/requests/{id}`: the results, never an image. A stored
 * copy drops every image-valued field (set to null, its path listed in `images_removed`):
 * - fields the flow's output schema marks as an image (`contentMediaType: image/*` or
 *   `contentEncoding: base64`), e.g. the redacted PNG of Privacy blur;
 * - fields named `base64` or `_base64`, and base64 data URLs (`data:…;base64,…`), wherever they are;
 * - any other string of 256 or more characters that is all base64 (an image echoed under another name).
 * An echoed `_url` keeps its origin and path only: its query string (a signature, a token) grants the image.
 */
import type { JsonSchema } from "@vizflow/sdk";
import type { ExecutionPlan } from "../engine/plan.js";
import { redactUrl } from "../engine/redact.js";
import { responseSchema } from "./response-schema.js";

const LONG_BASE64 = /^[A-Za-z0-9+/]{256,}={0,2}$/;

function marksImage(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null) return false;
  const { contentMediaType, contentEncoding } = schema as { contentMediaType?: unknown; contentEncoding?: unknown };
  return (
    (typeof contentMediaType === "string" && contentMediaType.startsWith("image/")) || contentEncoding === "base64"
  );
}

const fieldsByPlan = new WeakMap<ExecutionPlan, ReadonlySet<string>>();

/** Names of the response's properties that the flow's output schema marks as images (cached per plan). */
export function imageFieldNames(plan: ExecutionPlan): ReadonlySet<string> {
  const known = fieldsByPlan.get(plan);
  if (known) return known;
  const names = new Set<string>();
  const stack: unknown[] = [responseSchema(plan, { flowId: "", version: 0 })];
  while (stack.length > 0) {
    const schema = stack.pop();
    if (typeof schema !== "object" || schema === null) continue;
    const { properties, items } = schema as JsonSchema;
    if (typeof properties === "object" && properties !== null) {
      for (const [name, property] of Object.entries(properties)) {
        if (marksImage(property)) names.add(name);
        stack.push(property);
      }
    }
    stack.push(items);
  }
  fieldsByPlan.set(plan, names);
  return names;
}

function isImageString(key: string | undefined, value: string): boolean {
  if (key === "base64" || key === "_base64") return true;
  if (value.startsWith("data:") && value.slice(0, 200).includes(";base64,")) return true;
  return value.length >= 256 && LONG_BASE64.test(value);
}

/**
 * A copy of `body` without image-valued fields; `images_removed` lists where they were. Recursive: an
 * answer's depth is bounded by the request's (`MAX_BODY_DEPTH`) plus the few levels the actions add.
 */
export function withoutImages(body: Record<string, unknown>, imageFields: ReadonlySet<string> = new Set()): unknown {
  const removed: string[] = [];
  const copy = (value: unknown, key: string | undefined, path: string): unknown => {
    if (key !== undefined && imageFields.has(key) && value !== null && value !== undefined) {
      removed.push(path);
      return null;
    }
    if (typeof value === "string") {
      if (key === "_url") return redactUrl(value);
      if (!isImageString(key, value)) return value;
      removed.push(path);
      return null;
    }
    if (Array.isArray(value)) return value.map((item, i) => copy(item, undefined, `${path}[${i}]`));
    if (typeof value === "object" && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) out[name] = copy(item, name, path ? `${path}.${name}` : name);
      return out;
    }
    return value;
  };
  const stripped = copy(body, undefined, "") as Record<string, unknown>;
  return removed.length === 0 ? stripped : { ...stripped, images_removed: removed };
}
