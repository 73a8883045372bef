/** What kind of refusal a data operation met; the API layer maps these onto its own error codes. */
export type DataErrorCode = "NOT_FOUND" | "FORBIDDEN" | "CONFLICT" | "BAD_REQUEST";

/** A refusal a user can act on: a code, a message, and the input field it concerns, if any. */
export class DataError extends Error {
  override readonly name = "DataError";

  constructor(
    readonly code: DataErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
