/**
 * What the API checks of a request body before anything runs: that it parses, that it is not nested
 * deeper than `MAX_BODY_DEPTH` (serialising a deeper one overflows the stack after the call has run), and,
 * for an `Idempotency-Key`, a hash of its canonical form to tell a retry from another request.
 */
import { createHash, type Hash } from "node:crypto";
import { ApiError } from "./errors.js";

/** Objects and arrays nested deeper than this are refused with 400 (the body itself is level 1). */
export const MAX_BODY_DEPTH = 64;

/** Idempotency keys: 1 to 255 visible ASCII characters (a UUID fits; so do Stripe's). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * True when `value` nests objects or arrays deeper than `max` levels. Iterative: a body of any depth
 * (`JSON.parse` itself is not recursive) is measured without growing the call stack.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node as object);
    for (const child of children) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Parses a request body that must be a JSON object.
 * @throws ApiError 400 for invalid JSON, another type, or nesting deeper than `MAX_BODY_DEPTH`.
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "the request body must be a JSON object with records");
  }
  if (nestedDeeperThan(body, MAX_BODY_DEPTH)) {
    throw new ApiError(
      400,
      `the request body nests objects and arrays more than ${MAX_BODY_DEPTH} levels deep; at most ${MAX_BODY_DEPTH} are accepted`,
    );
  }
  return body as Record<string, unknown>;
}

/** Feeds the canonical form of `value` (keys sorted, strings length-prefixed) to `hash`; depth is bounded by the check above. */
function feed(hash: Hash, value: unknown): void {
  if (typeof value === "string") {
    hash.update(`s${value.length}:`).update(value);
  } else if (Array.isArray(value)) {
    hash.update(`a${value.length}[`);
    for (const item of value) feed(hash, item);
    hash.update("]");
  } else if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort();
    hash.update(`o${keys.length}{`);
    for (const key of keys) {
      hash.update(`k${key.length}:`).update(key);
      feed(hash, (value as Record<string, unknown>)[key]);
    }
    hash.update("}");
  } else {
    hash.update(`v${JSON.stringify(value) ?? "null"};`);
  }
}

/**
 * sha256 of what a request asks for: its route (path and whether it is async) and its body in canonical
 * form, so the same body with its fields in another order or other whitespace is the same request.
 */
export function requestHash(route: string, body: unknown): string {
  const hash = createHash("sha256").update(`${route}\n`);
  feed(hash, body);
  return hash.digest("hex");
}

/**
 * The `Idempotency-Key` header, or undefined when absent.
 * @throws ApiError 400 when it is empty, too long or not visible ASCII.
 */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim();
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ApiError(
      400,
      "Idempotency-Key must be 1 to 255 visible ASCII characters without spaces (a UUID is a good key)",
    );
  }
  return key;
}
