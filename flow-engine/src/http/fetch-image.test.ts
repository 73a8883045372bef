import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedImageFetcher, ImageFetchError } from "./fetch-image.js";

let server: Server;
let base: string;
const signal = new AbortController().signal;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/small") res.end(Buffer.alloc(100, 1));
    else if (req.url === "/big") res.end(Buffer.alloc(5000, 1));
    else if (req.url === "/slow") setTimeout(() => res.end("late"), 2000);
    else if (req.url === "/to-private") res.writeHead(301, { location: "http://10.1.2.3/x" }).end();
    else if (req.url?.startsWith("/signed-to-private?")) {
      res.writeHead(302, { location: "http://10.1.2.3/x.jpg?X-Amz-Signature=second-secret" }).end();
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function failure(promise: Promise<unknown>): Promise<ImageFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ImageFetchError)) throw new Error(`expected an ImageFetchError, got ${String(error)}`);
  return error;
}

describe("guardedImageFetcher", () => {
  const relaxed = guardedImageFetcher({ allowedAddresses: ["127.0.0.1"], maxBytes: 1000, timeoutMs: 500 });

  it("fetches from an allowed address, within the byte limit", async () => {
    expect((await relaxed(`${base}/small`, signal)).length).toBe(100);
  });

  it("refuses more bytes than the limit (413), a slow server (408), an HTTP error (422)", async () => {
    expect((await failure(relaxed(`${base}/big`, signal))).status).toBe(413);
    expect((await failure(relaxed(`${base}/slow`, signal))).status).toBe(408);
    expect((await failure(relaxed(`${base}/missing`, signal))).message).toContain("HTTP 404");
  });

  it("checks every redirect hop", async () => {
    const error = await failure(relaxed(`${base}/to-private`, signal));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/10\.1\.2\.3: it is a private address \(reached by a redirect/);
  });

  it("names URLs by origin and path only: a query string (a signature, a token) never reaches the message", async () => {
    const missing = await failure(relaxed(`${base}/missing.jpg?token=first-secret#part`, signal));
    expect(missing.message).toBe(`the server answered HTTP 404 for ${base}/missing.jpg?[query removed]`);
    const redirected = await failure(relaxed(`${base}/signed-to-private?sig=first-secret`, signal));
    expect(redirected.message).toContain(
      `(reached by a redirect from ${base}/signed-to-private?[query removed] to http://10.1.2.3/x.jpg?[query removed])`,
    );
    const userInfo = await failure(relaxed(`http://user:password@127.0.0.1:1/a.png?k=first-secret`, signal));
    for (const error of [missing, redirected, userInfo]) {
      expect(error.message).not.toMatch(/secret|password/);
    }
  });

  it("refuses a name when any of its addresses is forbidden, and other schemes", async () => {
    const fetcher = guardedImageFetcher({
      resolve: () =>
        Promise.resolve([
          { address: "93.184.216.34", family: 4 },
          { address: "192.168.0.10", family: 4 },
        ]),
    });
    const error = await failure(fetcher("http://images.example/cat.jpg", signal));
    expect(error.message).toBe(
      'images are not fetched from 192.168.0.10 ("images.example" resolves to 192.168.0.10): it is a private address',
    );
    expect((await failure(fetcher("file:///etc/passwd", signal))).status).toBe(400);
    expect((await failure(fetcher("not a url", signal))).status).toBe(400);
  });

  it("refuses loopback when not relaxed", async () => {
    const strict = guardedImageFetcher();
    expect((await failure(strict(`${base}/small`, signal))).message).toContain("loopback");
  });
});
