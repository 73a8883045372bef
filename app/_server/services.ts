import { getDatabase, type Database } from "@vizflow/db";
import { createAuth, type Auth } from "./auth";

/** What every request handler needs: the database and the auth library bound to it. */
export interface Services {
  readonly database: Database;
  readonly auth: Auth;
}

export async function createServices(database: Database): Promise<Services> {
  return { database, auth: await createAuth(database) };
}

const SHARED = Symbol.for("vizflow.services");
type SharedHolder = { [SHARED]?: Promise<Services> };

/** The process-wide services, on `globalThis` like the database so every Next bundle shares them. */
export function getServices(): Promise<Services> {
  const holder = globalThis as SharedHolder;
  holder[SHARED] ??= getDatabase()
    .then(createServices)
    .catch((error: unknown) => {
      delete holder[SHARED];
      throw error;
    });
  return holder[SHARED];
}
