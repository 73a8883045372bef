import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "./context";
import { appRouter } from "./routers/_app";
import type { Services } from "./services";

/** Serves a tRPC request under /api/trpc (the route handler, and tests through real HTTP shapes). */
export function handleTrpcRequest(req: Request, services: Services | (() => Promise<Services>)): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
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
