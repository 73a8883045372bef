/**
 * Bounded memory under a flood of large images: a standalone engine process with a small decoded-pixel
 * budget, 20 concurrent requests of ten 7000x7000 (49-megapixel) JPEGs. Its resident memory, sampled from
 * /proc while the flood runs, stays under its idle size + the budget's bytes (3 per pixel) + the request
 * bodies it holds + a margin; every request ends in 200 or 503 (with `Retry-After`), and a 503 bills nothing.
 * Needs real PostgreSQL (the engine is another process) and Linux's /proc: skipped otherwise.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken, createDatabase, getCreditAccount, LocalBlobStore, type Database } from "@vizflow/db";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "@vizflow/db/testing";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { deployed, graph, seedWorkspace, type SeededWorkspace } from "../http/test-fixture.js";
import { startEngineProcess, type EngineProcess } from "./engine-process.js";

const postgres = process.env.DATABASE_URL;
const BUDGET_MEGAPIXELS = 60;
const WAIT_MS = 1500;
/**
 * What the engine's memory may hold besides decoded pixels and bodies: V8's heap growth, libvips' cache
 * and working buffers, and what the allocator keeps after freeing.
 */
const MARGIN_MB = 250;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

/** A 7000x7000 JPEG of smooth noise (about 450 KB): it does not compress to nothing, nor decode to less. */
async function largeJpeg(): Promise<Buffer> {
  const noise = await sharp({
    create: {
      width: 30,
      height: 30,
      channels: 3,
      background: { r: 0, g: 0, b: 0 },
      noise: { type: "gaussian", mean: 128, sigma: 50 },
    },
  })
    .png()
    .toBuffer();
  return sharp(noise).resize(7000, 7000, { kernel: "cubic" }).jpeg({ quality: 30 }).toBuffer();
}

interface Outcome {
  status: number;
  retryAfter: string | null;
  credits: number | undefined;
  text: string | undefined;
}

describe.skipIf(!postgres || !existsSync("/proc/self/status"))("the engine's memory under large images", () => {
  let target: TestDatabaseUrl;
  let database: Database;
  let modelsDir: string;
  let seeded: SeededWorkspace;
  let fullSizeFlow: string;
  let key: string;
  let engine: EngineProcess;
  let jpeg: Buffer;

  beforeAll(async () => {
    target = await createTestDatabaseUrl();
    database = await createDatabase({ url: target.url });
    modelsDir = await mkdtemp(path.join(tmpdir(), "vizflow-memory-"));
    seeded = await seedWorkspace(database, new LocalBlobStore(modelsDir), { credits: 100_000 });
    // A nested flow is not shrunk on load (its inner flow could crop): its images decode at full size.
    fullSizeFlow = await deployed(
      database,
      seeded.id,
      "Nested colour",
      graph([["nest", "core/nested-flow@1", { flow: seeded.colourFlow, version: 1 }]], [["in", "next", "nest"]]),
    );
    key = (await createApiToken(database.db, seeded.id, { name: "load", createdBy: "u" })).key;
    jpeg = await largeJpeg();
    engine = await startEngineProcess({
      DATABASE_URL: target.url,
      VIZFLOW_MODELS_DIR: modelsDir,
      VIZFLOW_INFERENCE_WORKERS: "1",
      VIZFLOW_LOG_LEVEL: "warn",
      VIZFLOW_DECODE_BUDGET_MEGAPIXELS: String(BUDGET_MEGAPIXELS),
      VIZFLOW_DECODE_WAIT_MS: String(WAIT_MS),
    });
  }, 120_000);

  afterAll(async () => {
    await engine?.stop();
    await database?.close();
    await target?.drop();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  async function flood(flowId: string, requests: number, imagesPerRequest: number) {
    const body = JSON.stringify({
      records: Array.from({ length: imagesPerRequest }, (_, i) => ({ id: i, _base64: jpeg.toString("base64") })),
    });
    const pid = engine.child.pid as number;
    // One small request first: sessions loaded and the heap grown as for any request, then the idle size.
    const warm = await call(flowId, JSON.stringify({ records: [{ _base64: jpeg.toString("base64") }] }));
    expect(warm.status).toBe(200);
    const idle = rssMb(pid);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 25);
    try {
      const outcomes = await Promise.all(Array.from({ length: requests }, () => call(flowId, body)));
      return { outcomes, idle, peak, bodyMb: body.length / 2 ** 20, warmCredits: warm.credits ?? 0 };
    } finally {
      clearInterval(sampler);
    }
  }

  async function call(flowId: string, body: string): Promise<Outcome> {
    const response = await fetch(`${engine.url}/v2/flows/${flowId}/process`, {
      method: "POST",
      headers: { authorization: `Token ${key}`, "content-type": "application/json" },
      body,
    });
    const json = (await response.json()) as { statistics?: { credits: number }; status?: { text: string } };
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      credits: json.statistics?.credits,
      text: json.status?.text,
    };
  }

  async function expectBilledExactly(outcomes: Outcome[], alsoPaid: number) {
    const paid = alsoPaid + outcomes.filter((o) => o.status === 200).reduce((sum, o) => sum + (o.credits ?? 0), 0);
    const account = await getCreditAccount(database.db, seeded.id);
    expect(account).toMatchObject({ used: paid, held: 0 });
    const refused = await database.db
      .selectFrom("usage_event")
      .select((eb) => [eb.fn.countAll<number>().as("rows"), eb.fn.sum<number>("credits").as("credits")])
      .where("workspace_id", "=", seeded.id)
      .where("status", "=", 503)
      .executeTakeFirstOrThrow();
    expect(Number(refused.rows)).toBe(outcomes.filter((o) => o.status === 503).length);
    expect(Number(refused.credits ?? 0)).toBe(0);
  }

  function expectOutcomes(outcomes: Outcome[], recordsPerRequest: number) {
    for (const o of outcomes) {
      expect([200, 503], `a request answered ${o.status}: ${o.text}`).toContain(o.status);
      if (o.status === 503) {
        expect(Number(o.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(o.text).toMatch(/the engine is busy/);
      } else {
        expect(o.credits).toBe(recordsPerRequest);
      }
    }
    expect(outcomes.some((o) => o.status === 200)).toBe(true);
  }

  test("20 concurrent requests of ten 49-megapixel JPEGs: shrunk on load, within the budget, 200 or 503", async () => {
    const { outcomes, idle, peak, bodyMb, warmCredits } = await flood(seeded.colourFlow, 20, 10);
    expectOutcomes(outcomes, 10);
    // Every body in flight is held as text, parsed JSON and decoded bytes: about 3 times its size.
    const bound = idle + BUDGET_MEGAPIXELS * 3 + 20 * bodyMb * 3 + MARGIN_MB;
    console.log(
      `shrunk: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (bound ${bound.toFixed(0)} MB), ` +
        `${outcomes.filter((o) => o.status === 503).length} of 20 got 503`,
    );
    expect(peak).toBeLessThan(bound);
    await expectBilledExactly(outcomes, warmCredits);
  }, 180_000);

  test("full-size decodes (a flow that cannot shrink) take the budget one request at a time", async () => {
    const before = await getCreditAccount(database.db, seeded.id);
    const { outcomes, idle, peak, bodyMb } = await flood(fullSizeFlow, 6, 1);
    expectOutcomes(outcomes, 1);
    const bound = idle + BUDGET_MEGAPIXELS * 3 + 6 * bodyMb * 3 + MARGIN_MB;
    console.log(
      `full size: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (bound ${bound.toFixed(0)} MB), ` +
        `${outcomes.filter((o) => o.status === 503).length} of 6 got 503`,
    );
    expect(peak).toBeLessThan(bound);
    const after = await getCreditAccount(database.db, seeded.id);
    // The warm-up request above paid 1 too.
    expect(after.used - before.used).toBe(1 + outcomes.filter((o) => o.status === 200).length);
    expect(after.held).toBe(0);
  }, 180_000);

  test("a request whose images decode to more than the per-request total gets 413 naming both", async () => {
    const image = jpeg.toString("base64");
    const outcome = await call(fullSizeFlow, JSON.stringify({ records: [{ _base64: image }, { _base64: image }] }));
    expect(outcome.status).toBe(413);
    expect(outcome.text).toContain("98.0 megapixels in all, more than the limit of 60.0 megapixels per request");
  }, 60_000);
});
