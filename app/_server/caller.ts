import { headers } from "next/headers";
import { createContext } from "./context";
import { createCaller } from "./routers/_app";
import { getServices } from "./services";

/**
 * tRPC procedures for server components (redirects, first render), as the requesting user. Cookies
 * cannot be set from a server component, so use it for reads.
 */
export async function serverCaller() {
  const context = await createContext({
    services: await getServices(),
    headers: new Headers(await headers()),
    resHeaders: new Headers(),
  });
  return createCaller(context);
}
