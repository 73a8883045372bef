import { describe, expect, test } from "vitest";
import { withoutImages } from "./stored-response.js";

const png = "iVBORw0KGgo" + "A".repeat(400);

describe("withoutImages", () => {
  test("drops base64 fields, data URLs, long base64 strings and schema-marked fields, and lists them", () => {
    const body = {
      records: [
        {
          _id: "r1",
          note: "short text stays",
          text: "A long OCR text with spaces ".repeat(20),
          redacted: { mime: "image/png", width: 4, height: 3, base64: png, hidden: 1 },
          thumb: `data:image/jpeg;base64,${png}`,
          echoed: png,
          picture: "abc",
          list: ["x", `data:image/png;base64,${png}`],
          _status: { code: 200, text: "OK" },
        },
      ],
      statistics: { credits: 1, processing_time_ms: 3 },
      status: { code: 200, text: "OK" },
    };
    const stored = withoutImages(body, new Set(["picture"])) as typeof body & { images_removed: string[] };
    const record = stored.records[0]!;
    expect(record.redacted).toEqual({ mime: "image/png", width: 4, height: 3, base64: null, hidden: 1 });
    expect(record.thumb).toBeNull();
    expect(record.echoed).toBeNull();
    expect(record.picture).toBeNull();
    expect(record.list).toEqual(["x", null]);
    expect(record.note).toBe("short text stays");
    expect(record.text).toBe(body.records[0]!.text);
    expect(stored.images_removed).toEqual([
      "records[0].redacted.base64",
      "records[0].thumb",
      "records[0].echoed",
      "records[0].picture",
      "records[0].list[1]",
    ]);
    expect(JSON.stringify(stored)).not.toContain("AAAAAAAA");
    // The answer that goes out keeps its images: only the stored copy loses them.
    expect(body.records[0]!.redacted.base64).toBe(png);
  });

  test("an echoed _url keeps its origin and path: the query string (a signature) is not stored", () => {
    const body = {
      records: [
        { _url: "https://bucket.example/a/cat.jpg?X-Amz-Signature=abc123&X-Amz-Expires=600", _status: { code: 200 } },
        { _url: "https://images.example/dog.png", _status: { code: 200 } },
      ],
    };
    const stored = withoutImages(body) as typeof body;
    expect(stored.records.map((r) => r._url)).toEqual([
      "https://bucket.example/a/cat.jpg?[query removed]",
      "https://images.example/dog.png",
    ]);
    expect(JSON.stringify(stored)).not.toContain("abc123");
  });

  test("an answer without images is stored as it is, without images_removed", () => {
    const body = { records: [{ _id: 1, colour: { best_label: { name: "red" } } }], status: { code: 200 } };
    expect(withoutImages(body)).toEqual(body);
  });
});
