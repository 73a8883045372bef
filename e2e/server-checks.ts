import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { journey } from "./harness";
import { assert } from "./expect";

export const engineRoutesJourney = journey(
  "/healthz and /v2/* are answered by the engine handler, outside Next",
  async ({ baseUrl }) => {
    const health = await fetch(`${baseUrl}/healthz`);
    assert(health.status === 200, `/healthz answered ${health.status}`);
    assert(JSON.stringify(await health.json()) === '{"status":"ok"}', "/healthz body is not {status:ok}");

    const api = await fetch(`${baseUrl}/v2/process`, { method: "POST", body: "{}" });
    const body = (await api.json()) as { status?: { code?: number; text?: string } };
    // No API token: the engine's own JSON error, not a Next page.
    assert(
      api.status === 401 && body.status?.code === 401,
      `/v2/process answered ${api.status} ${JSON.stringify(body)}`,
    );
    assert(api.headers.get("x-powered-by") === null, "a Next header leaked onto the engine route");
  },
);

/**
 * Two PGlite instances on one directory would each keep their own copy of the catalog open. Counting the
 * server's open descriptors of pg_class's file (relfilenode 1259) tells how many instances hold the database.
 */
export function pgliteInstanceCheck(pid: () => number, dataDir: () => string) {
  return journey("the server process holds one PGlite instance, shared by the server entry and Next", () => {
    const fdDir = `/proc/${pid()}/fd`;
    const pgliteDir = path.join(dataDir(), "pglite");
    const catalogOpens = readdirSync(fdDir)
      .map((fd) => {
        try {
          return readlinkSync(path.join(fdDir, fd));
        } catch {
          return "";
        }
      })
      .filter((target) => target.startsWith(`${pgliteDir}/base/`) && target.endsWith("/1259"));
    assert(catalogOpens.length === 1, `pg_class is open ${catalogOpens.length} times: ${catalogOpens.join(", ")}`);
    return Promise.resolve();
  });
}

/**
 * After the journeys have signed in (better-auth has long been created): the start log said once which
 * auth base URL is used and where it came from, and better-auth never warned that none was set.
 */
export function serverLogCheck(logFile: () => string) {
  return journey("the server log names the auth base URL once, and better-auth warns of no missing base URL", () => {
    const log = readFileSync(logFile(), "utf8");
    const lines = log.split("\n").filter((line) => line.startsWith("auth: base URL "));
    assert(lines.length === 1, `the log has ${lines.length} auth base URL lines: ${lines.join(" | ")}`);
    assert(/\((derived from HOST and PORT|from BETTER_AUTH_URL)/.test(lines[0] ?? ""), `no source in: ${lines[0]}`);
    assert(!/Base URL is not set/i.test(log), "better-auth warned that its base URL is not set");
    return Promise.resolve();
  });
}
