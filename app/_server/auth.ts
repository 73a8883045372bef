import { randomBytes } from "node:crypto";
import {
  acceptInvitation,
  DataError,
  findInvitationByToken,
  getOrCreateInstanceSetting,
  hasAnyUser,
  invitationRefusal,
  isSignUpOpen,
  type Database,
} from "@vizflow/db";
import { betterAuth, type BetterAuthOptions } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { getMigrations } from "better-auth/db/migration";
import { INVITATION_HEADER } from "../_lib/invitation-header";
import { authBaseUrl, type AuthBaseUrl } from "./auth-base-url";

/** Passwords shorter than this are refused (by the forms, by setup, and by better-auth itself). */
export const PASSWORD_MIN_LENGTH = 10;

/**
 * Whether a sign-up over HTTP may create an account. After setup, accounts come by invitation (the
 * request carries a valid invitation's token) unless the instance operator opened sign-up.
 */
async function checkSignUp(database: Database, invitationToken: string | undefined): Promise<void> {
  if (!(await hasAnyUser(database.db))) {
    throw new APIError("FORBIDDEN", {
      code: "SETUP_REQUIRED",
      message: "This instance is not set up yet: open /setup to create the owner account first.",
    });
  }
  if (await isSignUpOpen(database.db)) return;
  if (invitationToken === undefined) {
    throw new APIError("FORBIDDEN", {
      code: "SIGN_UP_BY_INVITATION",
      message:
        "Sign-up on this instance is by invitation only: ask an admin of a workspace for an invitation link, or the instance operator to open sign-up.",
    });
  }
  const invitation = await findInvitationByToken(database.db, invitationToken);
  if (invitation === undefined) {
    throw new APIError("FORBIDDEN", {
      code: "INVITATION_NOT_FOUND",
      message: "This invitation link is not valid: check that you copied all of it, or ask for a new one.",
    });
  }
  if (invitation.state !== "valid") {
    throw new APIError("FORBIDDEN", { code: "INVITATION_NOT_VALID", message: invitationRefusal(invitation.state) });
  }
}

function sameHostOrigins(request?: Request): string[] {
  // The Host header a browser always sends; the request's own URL where a caller built it without one.
  const host = request?.headers.get("host") ?? (request && URL.canParse(request.url) ? new URL(request.url).host : "");
  return host ? [`http://${host}`, `https://${host}`] : [];
}

function authOptions(database: Database, secret: string, base: AuthBaseUrl) {
  const pinned = base.source === "BETTER_AUTH_URL";
  return {
    appName: "Vizflow",
    database: { db: database.db, type: "postgres" },
    secret,
    baseURL: base.url,
    // Without a pinned URL, also trust the host the browser itself addressed (its Host header): the origin
    // check still refuses other sites, and works on whatever host and port the instance is reached by.
    trustedOrigins: pinned ? undefined : sameHostOrigins,
    advanced: {
      // Secure cookies only behind https: the embedded default often runs on plain http on a LAN
      // address, where browsers drop Secure cookies.
      useSecureCookies: pinned && base.url.startsWith("https://"),
      // better-auth skips the origin check under NODE_ENV=test; keep it on so tests see what users get.
      disableOriginCheck: false,
    },
    emailAndPassword: { enabled: true, minPasswordLength: PASSWORD_MIN_LENGTH, autoSignIn: true },
    hooks: {
      // The first account must come through /setup, which also makes it the owner of the first
      // workspace and the instance operator: a sign-up over HTTP before that would take the instance
      // without owning anything. After setup, a sign-up needs an invitation unless the operator opened
      // sign-up. (Setup itself calls better-auth's server API, which carries no request.)
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-up/email" || ctx.request === undefined) return;
        await checkSignUp(database, ctx.headers?.get(INVITATION_HEADER) ?? undefined);
      }),
      // The invitation a sign-up came with is spent on the new account (one link, one account): its
      // member joins the workspace at once.
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-up/email" || ctx.request === undefined) return;
        const token = ctx.headers?.get(INVITATION_HEADER) ?? undefined;
        const userId = ctx.context.newSession?.user.id;
        if (token === undefined || userId === undefined) return;
        try {
          await acceptInvitation(database.db, { token, userId });
        } catch (error) {
          // Used up meanwhile (or never valid, with sign-up open): the account stands without the workspace.
          if (!(error instanceof DataError)) throw error;
          console.warn(`sign-up: ${userId} signed up with an invitation that could not be accepted: ${error.message}`);
        }
      }),
    },
    telemetry: { enabled: false },
  } satisfies BetterAuthOptions;
}

/**
 * The better-auth instance over `database`, with its tables created or brought up to date. The
 * schema step runs under the same lock as our own migrations so that app servers starting at once
 * on one PostgreSQL do not race. The cookie secret comes from BETTER_AUTH_SECRET, or is generated
 * once and kept in the database so every app server of an instance shares it.
 */
export async function createAuth(database: Database) {
  const secret =
    process.env.BETTER_AUTH_SECRET ||
    (await getOrCreateInstanceSetting(database.db, "auth_secret", () => randomBytes(32).toString("base64url")));
  const base = authBaseUrl();
  const options = authOptions(database, secret, base);
  await database.withLock("migrations", async () => {
    const { runMigrations } = await getMigrations(options);
    await runMigrations();
  });
  return betterAuth(options);
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;
export type SessionUser = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>["user"];
