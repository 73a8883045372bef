import { describe, expect, test } from "vitest";
import { authBaseUrl, describeAuthBaseUrl } from "./auth-base-url";

describe("authBaseUrl", () => {
  test("is BETTER_AUTH_URL when set, and the start log says so", () => {
    const base = authBaseUrl({ BETTER_AUTH_URL: "https://vizflow.example.com", PORT: "3000" });
    expect(base).toEqual({ url: "https://vizflow.example.com", source: "BETTER_AUTH_URL" });
    expect(describeAuthBaseUrl(base)).toBe("auth: base URL https://vizflow.example.com (from BETTER_AUTH_URL)");
  });

  test("is derived from HOST and PORT otherwise (all interfaces shown as localhost), and the log says so", () => {
    expect(authBaseUrl({})).toEqual({ url: "http://localhost:3000", source: "HOST and PORT" });
    expect(authBaseUrl({ HOST: "0.0.0.0", PORT: "8443" }).url).toBe("http://localhost:8443");
    expect(authBaseUrl({ HOST: "192.168.1.20", PORT: "3000" }).url).toBe("http://192.168.1.20:3000");
    expect(authBaseUrl({ HOST: "::1", PORT: "3000" }).url).toBe("http://[::1]:3000");
    expect(describeAuthBaseUrl(authBaseUrl({ PORT: "3001" }))).toMatch(
      /^auth: base URL http:\/\/localhost:3001 \(derived from HOST and PORT; .*set BETTER_AUTH_URL to pin the public URL\)$/,
    );
  });

  test("refuses a BETTER_AUTH_URL that is not an http(s) URL, naming it", () => {
    expect(() => authBaseUrl({ BETTER_AUTH_URL: "vizflow.example.com" })).toThrow(
      'BETTER_AUTH_URL must be an http or https URL such as https://vizflow.example.com, got "vizflow.example.com"',
    );
  });
});
