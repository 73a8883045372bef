/**
 * An async job whose worker is killed mid-job is retried by another engine and billed once.
 * Two processes share one database: real PostgreSQL only, skipped without DATABASE_URL.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken, createDatabase, getCreditAccount, LocalBlobStore, type Database } from "@vizflow/db";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "@vizflow/db/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { colourImage, seedWorkspace, type SeededWorkspace } from "../http/test-fixture.js";
import { startEngineProcess, type EngineProcess } from "./engine-process.js";

const postgres = process.env.DATABASE_URL;

describe.skipIf(!postgres)("async jobs across engine processes", () => {
  let target: TestDatabaseUrl;
  let database: Database;
  let modelsDir: string;
  let seeded: SeededWorkspace;
  let key: string;
  let imageServer: Server;
  let imageUrl: string;
  /** The first fetch of the image hangs (the worker is killed meanwhile); later ones answer. */
  let firstFetch: () => void;
  const firstFetchSeen = new Promise<void>((resolve) => (firstFetch = resolve));
  let fetches = 0;
  const engines: EngineProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    target = await createTestDatabaseUrl();
    database = await createDatabase({ url: target.url });
    modelsDir = await mkdtemp(path.join(tmpdir(), "vizflow-jobs-"));
    seeded = await seedWorkspace(database, new LocalBlobStore(modelsDir), { credits: 50 });
    key = (await createApiToken(database.db, seeded.id, { name: "jobs", createdBy: "u" })).key;
    const png = Buffer.from(await colourImage([0, 0, 255]), "base64");
    imageServer = createServer((_req, res) => {
      fetches++;
      if (fetches === 1) {
        firstFetch();
        return; // never answers: the worker dies waiting
      }
      res.writeHead(200, { "content-type": "image/png" }).end(png);
    });
    await new Promise<void>((resolve) => imageServer.listen(0, "127.0.0.1", resolve));
    imageUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}/blue.png`;
    env = {
      DATABASE_URL: target.url,
      VIZFLOW_MODELS_DIR: modelsDir,
      // Queued payloads go to <data dir>/job-payloads: keep them in the test's folder.
      VIZFLOW_DATA_DIR: modelsDir,
      VIZFLOW_INFERENCE_WORKERS: "1",
      VIZFLOW_FETCH_ALLOW: "127.0.0.1",
      VIZFLOW_JOB_EXPIRE_SECONDS: "3",
      VIZFLOW_JOB_MAINTENANCE_SECONDS: "1",
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(engines.map((e) => e.stop()));
    imageServer?.closeAllConnections();
    imageServer?.close();
    await database?.close();
    await target?.drop();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  test("the job completes on a second engine after the first is killed mid-job, billed once", async () => {
    const first = await startEngineProcess(env);
    engines.push(first);
    const queued = await fetch(`${first.url}/v2/flows/${seeded.colourFlow}/process?async=true`, {
      method: "POST",
      headers: { authorization: `Token ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ records: [{ _id: "b", _url: imageUrl }] }),
    });
    expect(queued.status).toBe(202);
    const { job_id: jobId } = (await queued.json()) as { job_id: string };
    await firstFetchSeen;
    first.child.kill("SIGKILL");
    await first.stop();

    const second = await startEngineProcess(env);
    engines.push(second);
    let body: { job?: { state: string }; records?: { _id: string; colour?: { best_label: { name: string } } }[] } = {};
    for (let i = 0; i < 120 && body.job?.state !== "completed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      body = (await (
        await fetch(`${second.url}/v2/jobs/${jobId}`, { headers: { authorization: `Token ${key}` } })
      ).json()) as typeof body;
    }
    expect(body.job?.state).toBe("completed");
    expect(body.records?.[0]).toMatchObject({ _id: "b", colour: { best_label: { name: "blue" } } });
    expect(fetches).toBe(2);
    expect(await getCreditAccount(database.db, seeded.id)).toMatchObject({ used: 1, held: 0 });
    const usage = await database.db
      .selectFrom("usage_event")
      .selectAll()
      .where("workspace_id", "=", seeded.id)
      .execute();
    expect(usage.map((u) => [u.id, u.credits])).toEqual([[jobId, 1]]);
  }, 120_000);
});
