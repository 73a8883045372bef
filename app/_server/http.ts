import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "./context";
import { appRouter } from "./routers/_app";
import type { Services } from "./services";

const MB = 1024 * 1024;

/** The largest request body of a tRPC call: a flow graph (at most 5 MB as JSON) and its other input. */
export const TRPC_BODY_LIMIT = 6 * MB;

/** Procedures that carry an image (base64 of up to 20 MB, with the graph for a test run) get more. */
const IMAGE_BODY_LIMIT = 34 * MB;
const IMAGE_PROCEDURES = new Set(["flowEditor.testRun", "modelVersion.try"]);

/** The body limit of a request: the largest of its procedures' (a batch names several, comma-separated). */
export function bodyLimitOf(url: string): number {
  const { pathname } = new URL(url);
  const procedures = decodeURIComponent(pathname.slice(pathname.lastIndexOf("/") + 1)).split(",");
  return procedures.some((p) => IMAGE_PROCEDURES.has(p)) ? IMAGE_BODY_LIMIT : TRPC_BODY_LIMIT;
}

function tooLarge(limit: number): TRPCError {
  return new TRPCError({
    code: "PAYLOAD_TOO_LARGE",
    message: `The request is larger than ${limit / MB} MB, the most this accepts; send less (a smaller flow or image).`,
  });
}

/**
 * The request with its body cut off at `limit` bytes: a declared Content-Length over it is refused before
 * reading, and a body that streams past it fails with PAYLOAD_TOO_LARGE, which tRPC answers as 413.
 */
function limitBody(req: Request, limit: number): Request {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? "");
  let size = 0;
  const counted = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        if (Number.isFinite(declared) && declared > limit) controller.error(tooLarge(limit));
      },
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body: counted,
    duplex: "half",
  } as RequestInit);
}

/** Serves a tRPC request under /api/trpc (the route handler, and tests through real HTTP shapes). */
export function handleTrpcRequest(req: Request, services: Services | (() => Promise<Services>)): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: limitBody(req, bodyLimitOf(req.url)),
    router: appRouter,
    createContext: async ({ resHeaders }) =>
      createContext({
        services: typeof services === "function" ? await services() : services,
        headers: req.headers,
        resHeaders,
      }),
    onError({ error, path }) {
      // Refusals are the client's to show; only faults belong in the server log.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error);
    },
  });
}
