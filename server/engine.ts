/** A fetch-style request handler: the shape of the engine's HTTP API, served here and by the standalone engine. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Requests that belong to the engine and must never enter Next's request pipeline. */
export function isEngineRequest(pathname: string): boolean {
  return pathname === "/healthz" || pathname === "/v2" || pathname.startsWith("/v2/");
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/**
 * Stands in for the engine until it exists: the process is healthy, and the HTTP API answers every
 * route with the API's own error shape so a caller learns that nothing is deployed here yet.
 */
export const placeholderEngine: FetchHandler = (request) => {
  const { pathname } = new URL(request.url);
  if (pathname === "/healthz") return json(200, { status: "ok" });
  return json(404, {
    status: { code: 404, text: `${request.method} ${pathname} is not available: this server runs no flow engine yet` },
  });
};
