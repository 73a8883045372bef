import { describe, expect, test } from "vitest";
import { ApiError } from "./errors.js";
import { idempotencyKeyOf, MAX_BODY_DEPTH, nestedDeeperThan, parseJsonObject, requestHash } from "./request-body.js";

function nested(depth: number): string {
  return `{"records":[{"x":${"[".repeat(depth)}${"]".repeat(depth)}}]}`;
}

describe("parseJsonObject", () => {
  test("a body nested exactly 64 levels is accepted, 65 is refused with 400", () => {
    // The body is level 1, records 2, the record 3, its field's arrays 4 and on.
    expect(() => parseJsonObject(nested(MAX_BODY_DEPTH - 3))).not.toThrow();
    expect(() => parseJsonObject(nested(MAX_BODY_DEPTH - 2))).toThrow(/more than 64 levels deep/);
  });

  test("20,000 and 1,000,000 levels are refused without overflowing the stack", () => {
    for (const depth of [20_000, 1_000_000]) {
      let error: unknown;
      try {
        parseJsonObject(nested(depth));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
    }
    const objects = `{"a":${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}}`;
    expect(() => parseJsonObject(objects)).toThrow(/levels deep/);
  });

  test("invalid JSON and non-objects still get their own messages", () => {
    expect(() => parseJsonObject("{ records: [")).toThrow(/not valid JSON/);
    expect(() => parseJsonObject("[1]")).toThrow(/must be a JSON object/);
  });

  test("nestedDeeperThan counts arrays and objects alike", () => {
    expect(nestedDeeperThan({ a: [{ b: [] }] }, 4)).toBe(false);
    expect(nestedDeeperThan({ a: [{ b: [] }] }, 3)).toBe(true);
    expect(nestedDeeperThan({ a: "[[[[", b: 1 }, 1)).toBe(false);
  });
});

describe("requestHash", () => {
  test("the same body in another key order is the same request; another value, route or mode is not", () => {
    const a = requestHash("/v2/flows/f/process?async=false", { records: [{ _id: 1, x: "y" }], version: 2 });
    expect(requestHash("/v2/flows/f/process?async=false", { version: 2, records: [{ x: "y", _id: 1 }] })).toBe(a);
    expect(requestHash("/v2/flows/f/process?async=false", { version: 2, records: [{ x: "z", _id: 1 }] })).not.toBe(a);
    expect(requestHash("/v2/flows/f/process?async=true", { version: 2, records: [{ x: "y", _id: 1 }] })).not.toBe(a);
    expect(requestHash("/v2/flows/f/process?async=false", { version: 2, records: [{ x: "y", _id: "1" }] })).not.toBe(a);
    // Strings are length-prefixed: no two different bodies concatenate to the same text.
    expect(requestHash("r", { a: "b", c: "" })).not.toBe(requestHash("r", { a: "", c: "b" }));
  });
});

describe("idempotencyKeyOf", () => {
  test("absent, valid and invalid keys", () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(idempotencyKeyOf(" 4f6c-key ")).toBe("4f6c-key");
    expect(() => idempotencyKeyOf("")).toThrow(/Idempotency-Key must be/);
    expect(() => idempotencyKeyOf("has space")).toThrow(/Idempotency-Key must be/);
    expect(() => idempotencyKeyOf("k".repeat(256))).toThrow(/Idempotency-Key must be/);
  });
});
