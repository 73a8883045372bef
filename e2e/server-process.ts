import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildNeeded } from "../server/build-freshness";

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface ProductServer {
  baseUrl: string;
  dataDir: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not answer /healthz within 120 s; see ${logFile}`);
}

/**
 * Starts the built product through its real entry (server/main.ts, production mode) on a fresh data
 * directory and a free port: PGlite, whatever DATABASE_URL the shell has, so every run starts at setup.
 */
export async function startProduct(logFile: string): Promise<ProductServer> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("no production build: run `pnpm build` before the e2e tests");
  }
  const stale = buildNeeded(ROOT);
  if (stale !== undefined) console.warn(`e2e: warning: testing an older build (${stale}); run \`pnpm build\` first`);
  const dataDir = mkdtempSync(path.join(tmpdir(), "vizflow-e2e-"));
  const port = await freePort();
  // DATABASE_URL is dropped so the run gets its own PGlite, fresh like a first install.
  const { DATABASE_URL: _url, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    VIZFLOW_DATA_DIR: dataDir,
  };
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server", "main.ts")], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHealth(baseUrl, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error("the server process has no pid");
  return { baseUrl, dataDir, pid: child.pid, logFile, stop };
}
