/**
 * Starts a standalone engine server as a child process (for tests and the benchmark) and waits until it
 * listens; its URL comes from its own "engine listening" log line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "main.ts");

export interface EngineProcess {
  url: string;
  child: ChildProcess;
  /** Log lines it wrote so far (parsed JSON). */
  logs: Record<string, unknown>[];
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

export function startEngineProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<EngineProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the engine did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    let buffered = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        logs.push(parsed);
        if (parsed.msg === "engine listening" && typeof parsed.url === "string") {
          clearTimeout(timer);
          resolve({
            url: parsed.url,
            child,
            logs,
            stderr: () => stderr,
            async stop() {
              if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
              await exited;
            },
          });
        }
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the engine exited with code ${code} before listening: ${stderr}`));
    });
  });
}
