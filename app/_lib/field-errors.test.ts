import { describe, expect, test } from "vitest";
import { fieldErrors } from "./field-errors";

describe("fieldErrors", () => {
  test("takes the first message of each field from a tRPC error's data", () => {
    const error = { message: "bad", data: { fieldErrors: { name: ["Enter a name.", "Too short."], email: ["Bad."] } } };
    expect(fieldErrors(error)).toEqual({ name: "Enter a name.", email: "Bad." });
  });

  test("gives nothing for errors of other shapes", () => {
    expect(fieldErrors(new Error("Failed to fetch"))).toEqual({});
    expect(fieldErrors(null)).toEqual({});
    expect(fieldErrors({ data: null })).toEqual({});
    expect(fieldErrors({ data: { fieldErrors: { name: "not a list" } } })).toEqual({});
  });
});
