/**
 * Builds the annotator harness page (esbuild for the code, Tailwind through PostCSS for the styles, the
 * same as the app's) and serves it with its fixture and photos from a small static server.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import tailwind from "@tailwindcss/postcss";
import { build } from "esbuild";
import postcss from "postcss";
import { ARTIFACTS } from "../harness";
import { fixtures, generatedSvg } from "./fixture";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const OUT = path.join(path.dirname(ARTIFACTS), "annotator-harness");

export interface AnnotatorHarness {
  baseUrl: string;
  stop(): Promise<void>;
}

async function bundle(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [path.join(import.meta.dirname, "page.tsx")],
    bundle: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    // Production React: the benchmark measures what users get, not the development checks.
    define: { "process.env.NODE_ENV": '"production"' },
    minify: true,
    sourcemap: false,
    outfile: path.join(OUT, "page.js"),
    logLevel: "warning",
  });
  // The app's theme (globals.css) with Tailwind looking only at the annotator and the UI kit.
  const globals = readFileSync(path.join(ROOT, "app", "globals.css"), "utf8").replace(/^@import "tailwindcss";/m, "");
  const source = [
    '@import "tailwindcss" source(none);',
    '@source "../../app/_components/annotator";',
    '@source "../../app/_components/ui";',
    '@source "../../e2e/annotator";',
    globals,
  ].join("\n");
  const from = path.join(OUT, "input.css");
  const css = await postcss([tailwind({ base: ROOT })]).process(source, { from });
  writeFileSync(path.join(OUT, "page.css"), css.css);
  writeFileSync(
    path.join(OUT, "index.html"),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Annotator harness</title>' +
      '<link rel="stylesheet" href="/page.css"></head><body><div id="root"></div>' +
      '<script type="module" src="/page.js"></script></body></html>',
  );
}

/** Builds the page and serves it on `port` (0: any free one) at 127.0.0.1. */
export async function startAnnotatorHarness(
  options: { port?: number; boxes?: number } = {},
): Promise<AnnotatorHarness> {
  await bundle();
  const { photos, sets } = fixtures(options.boxes ?? 300);
  const files: Record<string, string> = {
    "/": "index.html",
    "/index.html": "index.html",
    "/page.js": "page.js",
    "/page.css": "page.css",
  };
  const types: Record<string, string> = { html: "text/html", js: "text/javascript", css: "text/css" };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://harness");
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      response.end(body);
    };
    const file = files[url.pathname];
    if (file !== undefined)
      return send(200, types[file.split(".").pop() ?? ""] ?? "text/plain", readFileSync(path.join(OUT, file)));
    if (url.pathname === "/favicon.ico") return send(204, "text/plain", "");
    if (url.pathname === "/fixture.json") {
      const set = sets[url.searchParams.get("set") ?? "flow"];
      return set ? send(200, "application/json", JSON.stringify(set)) : send(404, "text/plain", "no such set");
    }
    const name = /^\/photos\/([a-z0-9-]+\.jpg)$/.exec(url.pathname)?.[1];
    const photo = name === undefined ? undefined : photos.get(name);
    if (photo === undefined) return send(404, "text/plain", "not found");
    if (photo.file !== undefined) return send(200, "image/jpeg", readFileSync(photo.file));
    return send(200, "image/svg+xml", generatedSvg(photo.width, photo.height, name?.length ?? 1));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
