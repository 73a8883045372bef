/** Reads one record of a request: its image source and the caller's fields to echo back. */
import type { RecordStatus } from "@vizflow/sdk";

export type RecordSource = { kind: "base64"; bytes: Uint8Array } | { kind: "url"; url: string };

export type ParsedRecord =
  | { ok: true; echo: Record<string, unknown>; source: RecordSource }
  | { ok: false; echo: Record<string, unknown>; status: RecordStatus };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL_PREFIX = /^data:[^,]*;base64,/;

/** Strict base64 (standard alphabet, optional padding, whitespace ignored, an optional data-URL prefix). */
export function decodeBase64(text: string): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
  const body = text.startsWith("data:") ? text.replace(DATA_URL_PREFIX, "") : text;
  // Fast path: padded standard base64 without whitespace (what encoders write) re-encodes to itself; the
  // comparison costs a fifth of the pattern test below on a photo's megabytes.
  const bytes = Buffer.from(body, "base64");
  if (body.length > 0 && bytes.toString("base64") === body) return { ok: true, bytes };
  const compact = body.replace(/\s+/g, "");
  if (compact.length === 0) return { ok: false, reason: "_base64 is empty" };
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    return { ok: false, reason: "_base64 is not valid base64 (standard alphabet A-Z a-z 0-9 + /, optional = padding)" };
  }
  // A Buffer is a Uint8Array: no second copy of what may be megabytes.
  return { ok: true, bytes: Buffer.from(compact, "base64") };
}

/** Checks a record's shape; the image itself is decoded later. */
export function parseRecord(raw: unknown, maxImageBytes: number): ParsedRecord {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, echo: {}, status: { code: 400, text: "a record must be a JSON object with _url or _base64" } };
  }
  const { _base64, ...echo } = raw as Record<string, unknown>;
  const url = echo._url;
  const fail = (code: number, text: string): ParsedRecord => ({ ok: false, echo, status: { code, text } });
  if (_base64 !== undefined && url !== undefined)
    return fail(400, "a record must have either _url or _base64, not both");
  if (_base64 !== undefined) {
    if (typeof _base64 !== "string") return fail(400, "_base64 must be a string");
    // Base64 is 4/3 of the bytes; refuse before decoding what could not fit anyway.
    if (_base64.length > Math.ceil(maxImageBytes / 3) * 4 + 1024) {
      return fail(413, `the image is larger than the limit of ${maxImageBytes} bytes`);
    }
    const decoded = decodeBase64(_base64);
    if (!decoded.ok) return fail(400, decoded.reason);
    if (decoded.bytes.length > maxImageBytes)
      return fail(413, `the image is larger than the limit of ${maxImageBytes} bytes`);
    return { ok: true, echo, source: { kind: "base64", bytes: decoded.bytes } };
  }
  if (url !== undefined) {
    if (typeof url !== "string" || url.length === 0) return fail(400, "_url must be a non-empty string");
    return { ok: true, echo, source: { kind: "url", url } };
  }
  return fail(400, "a record needs an image: send _url or _base64");
}
