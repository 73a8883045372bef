/**
 * The base URL better-auth builds its links on, decided once from the environment: `BETTER_AUTH_URL` when the
 * operator pinned the public URL, else the address `pnpm start` listens on. better-auth then never warns that
 * none is set, and the start log says which one is used (no better-auth import here: the server entry reads it).
 */

/** The URL better-auth builds its links on, and where it came from (the start log says which). */
export interface AuthBaseUrl {
  readonly url: string;
  /** `BETTER_AUTH_URL`, or derived from `HOST` and `PORT`. */
  readonly source: "BETTER_AUTH_URL" | "HOST and PORT";
}

/**
 * BETTER_AUTH_URL when the operator pinned the public URL; otherwise the address `pnpm start` listens on
 * (HOST and PORT, as the server reads them: all interfaces are shown as localhost), so better-auth always
 * has a base URL and never warns that it has none.
 */
export function authBaseUrl(env: Readonly<Record<string, string | undefined>> = process.env): AuthBaseUrl {
  const pinned = env.BETTER_AUTH_URL?.trim();
  if (pinned) {
    if (!URL.canParse(pinned) || !/^https?:$/.test(new URL(pinned).protocol)) {
      throw new Error(
        `BETTER_AUTH_URL must be an http or https URL such as https://vizflow.example.com, got "${pinned}"`,
      );
    }
    return { url: pinned, source: "BETTER_AUTH_URL" };
  }
  const host =
    env.HOST === undefined || env.HOST === "" || env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  const port = env.PORT === undefined || env.PORT === "" ? "3000" : env.PORT;
  return { url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`, source: "HOST and PORT" };
}

/** The start log's line about the base URL: which one and from where (`pnpm start` prints it once). */
export function describeAuthBaseUrl(base: AuthBaseUrl): string {
  return base.source === "BETTER_AUTH_URL"
    ? `auth: base URL ${base.url} (from BETTER_AUTH_URL)`
    : `auth: base URL ${base.url} (derived from HOST and PORT; sign-in also works on any other host the browser uses for this server; set BETTER_AUTH_URL to pin the public URL)`;
}
