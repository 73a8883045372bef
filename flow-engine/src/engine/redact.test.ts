import { describe, expect, test } from "vitest";
import { redactText, redactUrl } from "./redact.js";

describe("redactUrl", () => {
  test("keeps origin and path, drops user info, query and fragment", () => {
    expect(redactUrl("https://u:p@cdn.example:8443/a/b.jpg?sig=s3cr3t#x")).toBe(
      "https://cdn.example:8443/a/b.jpg?[query removed]",
    );
    expect(redactUrl("http://cdn.example/a.png")).toBe("http://cdn.example/a.png");
    expect(redactUrl("not a url?token=s3cr3t")).toBe("not a url?[query removed]");
  });
});

describe("redactText", () => {
  test("redacts every URL in a message and removes base64", () => {
    const base64 = "iVBORw0KGgo".padEnd(120, "Q");
    const text = `fetch of https://a.example/x.jpg?token=s3cr3t failed; body data:image/png;base64,${base64} and ${base64}`;
    const redacted = redactText(text);
    expect(redacted).toBe(
      "fetch of https://a.example/x.jpg?[query removed] failed; body [base64 removed] and [base64 removed]",
    );
  });

  test("leaves ordinary words and short identifiers alone", () => {
    const text = "node crop failed: job 3f1c2d4e-8b9a-4c1d-9e2f-0a1b2c3d4e5f timed out after 900 s";
    expect(redactText(text)).toBe(text);
  });
});
