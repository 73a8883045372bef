import type { SessionUser } from "./auth";
import type { Services } from "./services";

export interface Context extends Services {
  /** The request's headers: better-auth reads the session cookie from them. */
  readonly headers: Headers;
  /** Headers added to the response (better-auth's Set-Cookie after setup signs the owner in). */
  readonly resHeaders: Headers;
  /** The signed-in user, or null. */
  readonly user: SessionUser | null;
}

export async function createContext(options: {
  readonly services: Services;
  readonly headers: Headers;
  readonly resHeaders: Headers;
}): Promise<Context> {
  const session = await options.services.auth.api.getSession({ headers: options.headers });
  return { ...options.services, headers: options.headers, resHeaders: options.resHeaders, user: session?.user ?? null };
}
