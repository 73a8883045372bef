import { DataError } from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { fieldErrorsOf } from "./trpc";

describe("fieldErrorsOf", () => {
  test("collects zod issues by field path", () => {
    const parsed = z
      .object({ name: z.string().min(1, "Enter a name."), members: z.array(z.object({ role: z.enum(["a"]) })) })
      .safeParse({ name: "", members: [{ role: "b" }] });
    const error = new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
    expect(fieldErrorsOf(error)).toEqual({ name: ["Enter a name."], "members.0.role": [expect.any(String)] });
  });

  test("puts a data error on the field it names", () => {
    const error = new TRPCError({ code: "BAD_REQUEST", cause: new DataError("BAD_REQUEST", "Used.", "token") });
    expect(fieldErrorsOf(error)).toEqual({ token: ["Used."] });
  });

  test("gives no field errors for a refusal about no field", () => {
    expect(fieldErrorsOf(new TRPCError({ code: "FORBIDDEN", message: "No." }))).toEqual({});
    expect(fieldErrorsOf(new TRPCError({ code: "NOT_FOUND", cause: new DataError("NOT_FOUND", "gone") }))).toEqual({});
  });
});
