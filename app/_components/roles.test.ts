import { describe, expect, it } from "vitest";
import { hasRole, roleLabel } from "./roles";

describe("hasRole", () => {
  it("orders roles viewer < editor < admin < owner", () => {
    expect(hasRole("owner", "admin")).toBe(true);
    expect(hasRole("admin", "admin")).toBe(true);
    expect(hasRole("editor", "admin")).toBe(false);
    expect(hasRole("viewer", "editor")).toBe(false);
  });

  it("grants nothing for an unknown or missing role", () => {
    expect(hasRole("superuser", "viewer")).toBe(false);
    expect(hasRole(undefined, "viewer")).toBe(false);
  });
});

describe("roleLabel", () => {
  it("capitalises known roles and passes unknown ones through", () => {
    expect(roleLabel("editor")).toBe("Editor");
    expect(roleLabel("robot")).toBe("robot");
  });
});
