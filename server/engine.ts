/** A fetch-style request handler: the shape of the engine's HTTP API, served here and by the standalone engine. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Requests that belong to the engine and must never enter Next's request pipeline. */
export function isEngineRequest(pathname: string): boolean {
  return pathname === "/healthz" || pathname === "/metrics" || pathname === "/v2" || pathname.startsWith("/v2/");
}
