import { describe, expect, test } from "vitest";
import { isRole, roleAtLeast } from "./roles.js";

describe("roleAtLeast", () => {
  test("orders owner > admin > editor > viewer", () => {
    expect(roleAtLeast("owner", "admin")).toBe(true);
    expect(roleAtLeast("admin", "admin")).toBe(true);
    expect(roleAtLeast("editor", "admin")).toBe(false);
    expect(roleAtLeast("viewer", "editor")).toBe(false);
    expect(roleAtLeast("viewer", "viewer")).toBe(true);
  });

  test("isRole accepts only the four roles", () => {
    expect(["owner", "admin", "editor", "viewer"].every(isRole)).toBe(true);
    expect(isRole("superuser")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
