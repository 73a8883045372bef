import { fieldErrors } from "@/_lib/field-errors";

/**
 * The message to show above a form for a tRPC error that no field of this form explains
 * (a domain error, a lost connection). Undefined while a field shows the problem already.
 */
export function formErrorMessage(error: unknown, fields: readonly string[]): string | undefined {
  if (error === null || error === undefined) return undefined;
  const byField = fieldErrors(error);
  if (fields.some((field) => byField[field] !== undefined)) return undefined;
  if (error instanceof Error && error.message !== "") {
    if (error.message === "Failed to fetch") return "Could not reach the server. Check your connection and try again.";
    return error.message;
  }
  return "Something went wrong. Try again.";
}

/** The tRPC error code (NOT_FOUND, FORBIDDEN, UNAUTHORIZED, ...) carried by a client error, if any. */
export function trpcErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== "object" || data === null || !("code" in data)) return undefined;
  const code = (data as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
