import { describe, expect, it } from "vitest";

import { decodeBase64, parseRecord } from "./record-input.js";

describe("record input", () => {
  it("decodes base64 with or without padding, whitespace or a data-URL prefix", () => {
    const bytes = (text: string) => {
      const decoded = decodeBase64(text);
      return decoded.ok ? Buffer.from(decoded.bytes).toString() : decoded.reason;
    };
    expect(bytes("aGVsbG8=")).toBe("hello");
    expect(bytes("aGVsbG8")).toBe("hello");
    expect(bytes("aGVs\nbG8=")).toBe("hello");
    expect(bytes("data:image/png;base64,aGVsbG8=")).toBe("hello");
    expect(bytes("aGVsbG8*")).toMatch(/not valid base64/);
    expect(bytes("a")).toMatch(/not valid base64/);
    expect(bytes("  ")).toBe("_base64 is empty");
  });

  it("echoes every caller field but the image bytes", () => {
    const parsed = parseRecord({ _id: 1, _base64: "aGVsbG8=", shop: "x" }, 1000);
    expect(parsed).toMatchObject({ ok: true, echo: { _id: 1, shop: "x" } });
    expect(parsed.echo).not.toHaveProperty("_base64");
  });

  it("refuses images over the byte limit before decoding them", () => {
    const parsed = parseRecord({ _base64: "A".repeat(10_000) }, 1000);
    expect(parsed).toMatchObject({
      ok: false,
      status: { code: 413, text: "the image is larger than the limit of 1000 bytes" },
    });
  });

  it("says what is wrong with a malformed record", () => {
    expect(parseRecord({ _base64: 5 }, 1000)).toMatchObject({
      ok: false,
      status: { code: 400, text: "_base64 must be a string" },
    });
    expect(parseRecord({ _url: "" }, 1000)).toMatchObject({
      ok: false,
      status: { code: 400, text: "_url must be a non-empty string" },
    });
    expect(parseRecord([], 1000)).toMatchObject({ ok: false, status: { code: 400 } });
  });
});
