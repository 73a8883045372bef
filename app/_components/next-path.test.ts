import { describe, expect, it } from "vitest";
import { safeNextPath, signInPath } from "./next-path";

describe("safeNextPath", () => {
  it("keeps a path inside the app", () => {
    expect(safeNextPath("/invite/abc?x=1")).toBe("/invite/abc?x=1");
  });

  it.each(["https://evil.example", "//evil.example/x", "/\\evil.example", "invite/abc", ""])(
    "refuses %j, which could leave the site",
    (next) => {
      expect(safeNextPath(next)).toBeUndefined();
    },
  );

  it("treats a missing value as no destination", () => {
    expect(safeNextPath(null)).toBeUndefined();
  });
});

describe("signInPath", () => {
  it("encodes the destination", () => {
    expect(signInPath("/invite/a b")).toBe("/sign-in?next=%2Finvite%2Fa%20b");
    expect(signInPath(undefined)).toBe("/sign-in");
  });
});
