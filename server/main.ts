import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { closeDatabase, getDatabase } from "@vizflow/db";
import { closeGracefully, installedPlugins } from "@vizflow/flow-engine";
import { closeAssembledEngine, drainAssembledEngine, getAssembledEngine } from "../app/_server/engine.js";
import { embeddedEngineHandler } from "../app/_server/engine-api.js";
import { authBaseUrl, describeAuthBaseUrl } from "../app/_server/auth-base-url.js";
import { isEngineRequest, type FetchHandler } from "./engine.js";

// The flow engine's HTTP API: the same fetch handler the standalone engine server serves.
const engine: FetchHandler = embeddedEngineHandler;

type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;

export interface ServerOptions {
  dev: boolean;
  port: number;
  host: string;
  /** The Next.js project root (where `app/` and `.next/` live). */
  dir: string;
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Starts the embedded product in one process: the engine's HTTP API (`/v2/*`, `/healthz`, `/metrics`) straight on
 * node:http, everything else through Next. The database opens (and migrates) before the port opens, and the
 * instance is process-wide, so Next's bundled code uses the same PGlite.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  await getDatabase();
  // Plugins load before the port opens: an unreadable config file refuses the start; a broken plugin is
  // disabled alone (the assembly logs it) and its flows say why.
  await installedPlugins();
  // The engine as the standalone server assembles it: a bad setting refuses the start, and the job worker and
  // the stale-hold sweeper run from the start, not from the first call.
  await getAssembledEngine();
  // The accounts' base URL (better-auth's, read again by Next's bundle when it creates the auth): a bad
  // BETTER_AUTH_URL refuses the start, and the log says once which URL is used and where it came from.
  console.log(describeAuthBaseUrl(authBaseUrl()));

  // Next picks its mode up from NODE_ENV in places the `dev` flag does not reach; load it only after this is set.
  (process.env as Record<string, string>).NODE_ENV = options.dev ? "development" : "production";
  // A self-hosted product should not report usage to the framework's vendor unless its operator opts in.
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  const { default: next } = await import("next");
  // webpack, not Turbopack: see next.config.js for why.
  const app = next({ dev: options.dev, dir: options.dir, hostname: options.host, port: options.port, webpack: true });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  // overrideGlobalObjects would swap the global Request/Response that Next itself relies on.
  const engineListener = getRequestListener(engine, { overrideGlobalObjects: false });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const pathname = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const handled = isEngineRequest(pathname) ? engineListener(req, res) : nextHandler(req, res);
    handled.catch((error: unknown) => {
      // The path only: a query string may carry a signature (signed image links).
      console.error(`request ${req.method ?? "?"} ${pathname} failed:`, error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal Server Error");
    });
  });
  // Dev mode serves hot reloading over WebSocket upgrades.
  const withUpgrade = app as { getUpgradeHandler?: () => UpgradeHandler };
  if (options.dev && withUpgrade.getUpgradeHandler !== undefined) {
    const upgrade = withUpgrade.getUpgradeHandler();
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;

  return {
    server,
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`,
    async close() {
      // The engine drains first: calls that arrive meanwhile get 503, those in flight finish and settle.
      await drainAssembledEngine();
      await closeGracefully(server);
      await app.close();
      await closeAssembledEngine();
      await closeDatabase();
    },
  };
}

/** PORT and HOST from the environment, as the README documents them. */
export function optionsFromEnvironment(dev: boolean): ServerOptions {
  const rawPort = process.env.PORT ?? "3000";
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${rawPort}"`);
  }
  return { dev, port, host: process.env.HOST ?? "0.0.0.0", dir: projectRoot };
}

/**
 * Runs the server until SIGINT/SIGTERM, then drains the engine (new calls get 503, those in flight finish
 * and settle) and closes the server, Next and the database in order.
 */
export async function main(dev: boolean): Promise<void> {
  const running = await startServer(optionsFromEnvironment(dev));
  console.log(`Vizflow ${dev ? "(development) " : ""}is listening on ${running.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("shutdown failed:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main(process.argv.includes("--dev")).catch((error: unknown) => {
    console.error("Vizflow could not start:", error);
    process.exit(1);
  });
}
