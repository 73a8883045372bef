/**
 * The first message per input field of a failed tRPC call (from the server's `errorFormatter`), for
 * showing next to the field. Errors of any other shape give no field errors.
 */
export function fieldErrors(error: unknown): Record<string, string | undefined> {
  if (typeof error !== "object" || error === null) return {};
  const data = (error as { data?: { fieldErrors?: unknown } | null }).data;
  const byField = data?.fieldErrors;
  if (typeof byField !== "object" || byField === null) return {};
  const result: Record<string, string | undefined> = {};
  for (const [field, messages] of Object.entries(byField)) {
    if (Array.isArray(messages) && typeof messages[0] === "string") result[field] = messages[0];
  }
  return result;
}
