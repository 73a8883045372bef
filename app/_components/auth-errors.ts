/** What better-auth's client returns in `error` (the fields we read from it). */
export interface AuthError {
  code?: string | undefined;
  message?: string | undefined;
  status?: number | undefined;
}

export interface AuthFormErrors {
  email?: string;
  password?: string;
  name?: string;
  /** A problem that belongs to no single field. */
  form?: string;
}

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Puts a better-auth error code next to the field it is about, in words a person can act on.
 * Unknown codes keep the server's message at form level rather than being dropped.
 */
export function authFormErrors(error: AuthError): AuthFormErrors {
  switch (error.code) {
    case "USER_ALREADY_EXISTS":
    case "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL":
      return { email: "An account with this email already exists. Sign in instead, or use another email." };
    case "INVALID_EMAIL":
      return { email: "Enter a valid email address, like name@example.com." };
    case "PASSWORD_TOO_SHORT":
      return { password: `Password is too short: use at least ${PASSWORD_MIN_LENGTH} characters.` };
    case "PASSWORD_TOO_LONG":
      return { password: "Password is too long: use at most 128 characters." };
    case "INVALID_PASSWORD":
      return { password: "Enter a password." };
    case "INVALID_EMAIL_OR_PASSWORD":
      return { password: "The email or the password is wrong." };
    default:
      if (error.status === 429) return { form: "Too many attempts. Wait a minute and try again." };
      return { form: error.message ?? "Something went wrong. Try again." };
  }
}
