/**
 * Fetches a record's `_url` with an SSRF guard: the host name is resolved here, every address it
 * resolves to is checked, and the connection is pinned to the checked address (no second lookup that
 * could answer differently). Redirects are followed by hand and each hop is checked the same way.
 * Byte and time limits bound what one URL can cost.
 */
import { lookup } from "node:dns/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { redactText, redactUrl } from "../engine/redact.js";
import type { FetchImage } from "../engine/sources.js";
import { forbiddenAddressKind } from "./address-guard.js";

export interface FetchImageOptions {
  /** Largest image in bytes (default 20 MiB). */
  maxBytes?: number;
  /** Time for the whole fetch, redirects included (default 10 s). */
  timeoutMs?: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  /**
   * Addresses exempt from the guard, exactly as resolved (e.g. `127.0.0.1` for a test image server).
   * Empty in production.
   */
  allowedAddresses?: readonly string[];
  /** Name resolution (tests may answer for names of their own). */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

/** A refused or failed fetch; `status` becomes the record's `_status.code`. */
export class ImageFetchError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ImageFetchError";
  }
}

const defaultResolve = (hostname: string) => lookup(hostname, { all: true, verbatim: true });

export function guardedImageFetcher(options: FetchImageOptions = {}): FetchImage {
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRedirects = options.maxRedirects ?? 5;
  const allowed = new Set(options.allowedAddresses ?? []);
  const resolve = options.resolve ?? defaultResolve;

  async function checkedAddress(url: URL): Promise<{ address: string; family: number }> {
    const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
    let addresses: { address: string; family: number }[];
    if (isIP(hostname)) {
      addresses = [{ address: hostname, family: isIP(hostname) }];
    } else {
      try {
        addresses = await resolve(hostname);
      } catch {
        throw new ImageFetchError(422, `the host name "${hostname}" could not be resolved`);
      }
      if (addresses.length === 0) throw new ImageFetchError(422, `the host name "${hostname}" has no addresses`);
    }
    // Every address is checked, not just the first: the connection could otherwise fall back to another.
    for (const { address } of addresses) {
      if (allowed.has(address)) continue;
      const kind = forbiddenAddressKind(address);
      if (kind !== undefined) {
        const via = isIP(hostname) ? "" : ` ("${hostname}" resolves to ${address})`;
        throw new ImageFetchError(403, `images are not fetched from ${address}${via}: it is ${kind}`);
      }
    }
    return addresses[0] as { address: string; family: number };
  }

  function get(url: URL, pinned: { address: string; family: number }, signal: AbortSignal): Promise<IncomingMessage> {
    const pin: LookupFunction = (_host, lookupOptions, callback) => {
      if (lookupOptions.all) callback(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolvePromise, reject) => {
      const request = client.get(url, { lookup: pin, signal, headers: { accept: "image/*" } }, resolvePromise);
      request.on("error", reject);
    });
  }

  async function readBody(response: IncomingMessage): Promise<Uint8Array> {
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      throw new ImageFetchError(413, `the image at _url is ${declared} bytes, more than the limit of ${maxBytes}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        throw new ImageFetchError(413, `the image at _url is more than the limit of ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks, size));
  }

  return async (rawUrl, requestSignal) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new ImageFetchError(400, `_url "${redactUrl(rawUrl)}" is not a valid URL`);
    }
    // Messages name URLs by origin and path only: they reach `_status.text`, logs and stored answers.
    const first = url.href;
    const signal = AbortSignal.any([requestSignal, AbortSignal.timeout(timeoutMs)]);
    try {
      for (let hop = 0; ; hop++) {
        if (url.protocol !== "http:" && url.protocol !== "https:") {
          throw new ImageFetchError(400, `only http and https image URLs are fetched, not ${url.protocol}`);
        }
        const response = await get(url, await checkedAddress(url), signal).catch((error: unknown) => {
          if (error instanceof ImageFetchError) throw error;
          throw new ImageFetchError(422, `${url.host} could not be reached: ${redactText((error as Error).message)}`);
        });
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location !== undefined) {
          response.resume();
          if (hop >= maxRedirects) throw new ImageFetchError(422, `more than ${maxRedirects} redirects`);
          try {
            url = new URL(location, url);
          } catch {
            throw new ImageFetchError(422, `the server redirected to an invalid URL "${redactUrl(location)}"`);
          }
          continue;
        }
        if (status < 200 || status >= 300) {
          response.resume();
          throw new ImageFetchError(422, `the server answered HTTP ${status} for ${redactUrl(url)}`);
        }
        return await readBody(response);
      }
    } catch (error) {
      if (signal.aborted && !requestSignal.aborted) {
        throw new ImageFetchError(408, `fetching the image took longer than ${timeoutMs} ms`);
      }
      if (error instanceof ImageFetchError && url.href !== first) {
        throw new ImageFetchError(
          error.status,
          `${error.message} (reached by a redirect from ${redactUrl(first)} to ${redactUrl(url)})`,
        );
      }
      throw error;
    }
  };
}
