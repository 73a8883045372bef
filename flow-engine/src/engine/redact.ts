/**
 * What may be said of an image outside the request that carried it: an image URL by its origin and path
 * only (a query string often holds a signature or token that grants the image itself), and no base64.
 * Used for `_status` texts, log lines, failed jobs' errors and stored answers.
 */

/** Shown in place of a URL's query string. */
export const QUERY_REDACTED = "?[query removed]";

/** `url` as origin and path (no user info, no query, no fragment); unparsable input cut at its `?`. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === "string" ? new URL(url) : url;
  } catch {
    const raw = String(url);
    const cut = raw.search(/[?#]/);
    const head = (cut === -1 ? raw : raw.slice(0, cut)).slice(0, 120);
    return cut === -1 ? head : `${head}${QUERY_REDACTED}`;
  }
  const base = parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : `${parsed.protocol}`;
  return `${base}${parsed.pathname}${parsed.search === "" ? "" : QUERY_REDACTED}`;
}

const URLS = /\bhttps?:\/\/[^\s"'<>)]+/gi;
const DATA_URLS = /\bdata:[\w/+.-]*;base64,[A-Za-z0-9+/=]*/gi;
/** A run of base64 this long is an image (or a secret), not words. */
const BASE64_RUNS = /[A-Za-z0-9+/]{64,}={0,2}/g;

/** `text` with every URL redacted (`redactUrl`) and base64 (data URLs, long runs) removed. */
export function redactText(text: string): string {
  return text
    .replace(DATA_URLS, "[base64 removed]")
    .replace(URLS, (url) => redactUrl(url))
    .replace(BASE64_RUNS, "[base64 removed]");
}
