import { describe, expect, it } from "vitest";
import { authFormErrors } from "./auth-errors";

describe("authFormErrors", () => {
  it("puts a duplicate email under the email field", () => {
    const errors = authFormErrors({ code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", message: "User already exists." });
    expect(errors.email).toMatch(/already exists/);
    expect(errors.password).toBeUndefined();
    expect(errors.form).toBeUndefined();
  });

  it("puts a short password under the password field and names the minimum length", () => {
    expect(authFormErrors({ code: "PASSWORD_TOO_SHORT" }).password).toMatch(/at least 10 characters/);
  });

  it("reports wrong credentials at the password field without saying which one was wrong", () => {
    const errors = authFormErrors({ code: "INVALID_EMAIL_OR_PASSWORD" });
    expect(errors.password).toBe("The email or the password is wrong.");
    expect(errors.email).toBeUndefined();
  });

  it("keeps the server's message for codes it does not know", () => {
    expect(authFormErrors({ code: "SOMETHING_NEW", message: "Server says no" })).toEqual({ form: "Server says no" });
  });

  it("explains rate limiting", () => {
    expect(authFormErrors({ status: 429 }).form).toMatch(/Too many attempts/);
  });
});
