import { createAuthClient } from "better-auth/react";

/** better-auth's browser client: sign-up, sign-in, sign-out and `useSession`, against /api/auth. */
export const authClient = createAuthClient();
