/** The API's error shape, `{ status: { code, text } }`, with the HTTP status it goes out with. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra top-level fields of the error body (e.g. the credit balance of a 402). */
    readonly extra: Record<string, unknown> = {},
    /** Extra response headers (e.g. `Retry-After` of a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": JSON_CONTENT_TYPE, ...headers },
  });
}

export function errorResponse(error: ApiError): Response {
  return jsonResponse(
    error.status,
    { status: { code: error.status, text: error.message }, ...error.extra },
    error.headers,
  );
}
