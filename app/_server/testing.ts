import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Database } from "@vizflow/db";
import { createTestDatabase } from "@vizflow/db/testing";
import { createContext } from "./context";
import { handleTrpcRequest } from "./http";
import { createModelServices, pluginDecoders, setModelServices, type ModelServices } from "./model-services";
import { createCaller } from "./routers/_app";
import { createServices, type Services } from "./services";

// Helpers for integration tests: a database of their own (PGlite, or a fresh PostgreSQL database when
// DATABASE_URL is set), accounts created through better-auth, and callers acting as those accounts.

export interface TestServices extends Services {
  close(): Promise<void>;
}

export async function createTestServices(): Promise<TestServices> {
  const database = await createTestDatabase();
  try {
    return { ...(await createServices(database)), close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * Model services over a temporary folder of the test's own (`<dir>/blobs`, `<dir>/test-images`), used for
 * `database` from now on, knowing the configured plugins' decoders; the test removes `dir` when it is done.
 */
export async function useTestModelServices(
  database: Database,
  name: string,
): Promise<{ models: ModelServices; dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), `vizflow-${name}-`));
  const models = createModelServices(database, {
    blobDir: path.join(dir, "blobs"),
    testImageDir: path.join(dir, "test-images"),
    decoders: await pluginDecoders(),
  });
  setModelServices(database, models);
  return { models, dir };
}

export type Caller = ReturnType<typeof createCaller>;

export interface TestUser {
  readonly id: string;
  readonly email: string;
  /** Request headers carrying the user's session cookie. */
  readonly headers: Headers;
  readonly caller: Caller;
}

let counter = 0;

/** Signs up a new account through better-auth and returns a caller acting as it. */
export async function signUp(services: Services, name = "User"): Promise<TestUser> {
  const email = `${name.toLowerCase()}-${++counter}@example.com`;
  const result = await services.auth.api.signUpEmail({
    body: { name, email, password: "correct horse battery" },
    returnHeaders: true,
  });
  const headers = cookieHeaders(result.headers);
  return { id: result.response.user.id, email, headers, caller: await callerFor(services, headers) };
}

/** Request headers that send back the cookies a response set. */
export function cookieHeaders(response: Headers): Headers {
  const cookie = response
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return new Headers({ cookie });
}

export async function callerFor(services: Services, headers: Headers = new Headers()): Promise<Caller> {
  return createCaller(await createContext({ services, headers, resHeaders: new Headers() }));
}

/** Calls a procedure over the tRPC HTTP handler, as the browser does, and returns status, headers and body. */
export async function httpCall(
  services: Services,
  procedure: string,
  input: unknown,
  options: { readonly kind?: "query" | "mutation"; readonly headers?: Headers } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const base = `http://localhost/api/trpc/${procedure}`;
  const request =
    options.kind === "query"
      ? new Request(`${base}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: options.headers })
      : new Request(base, {
          method: "POST",
          headers: { "content-type": "application/json", ...Object.fromEntries(options.headers ?? []) },
          body: JSON.stringify(input),
        });
  const response = await handleTrpcRequest(request, services);
  return { status: response.status, headers: response.headers, body: await response.json() };
}
