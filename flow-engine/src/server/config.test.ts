import { describe, expect, it } from "vitest";
import { engineConfigFromEnv } from "./config.js";

describe("the engine's memory settings", () => {
  it("defaults to a 256-megapixel budget, 128 per request, a 10 s wait and 128 requests in flight", () => {
    const config = engineConfigFromEnv({});
    expect(config.pixelBudget).toEqual({ megapixels: 256, waitMs: 10_000 });
    expect(config.engineLimits.maxPixelsPerRequest).toBe(128_000_000);
    expect(config.limits.maxInFlight).toBe(128);
  });

  it("sizes the requests in flight from the budget unless they are set", () => {
    expect(engineConfigFromEnv({ VIZFLOW_DECODE_BUDGET_MEGAPIXELS: "60" }).limits.maxInFlight).toBe(30);
    expect(engineConfigFromEnv({ VIZFLOW_DECODE_BUDGET_MEGAPIXELS: "4" }).limits.maxInFlight).toBe(8);
    expect(
      engineConfigFromEnv({ VIZFLOW_DECODE_BUDGET_MEGAPIXELS: "60", VIZFLOW_MAX_IN_FLIGHT: "500" }).limits.maxInFlight,
    ).toBe(500);
    // A smaller budget lowers the per-request default with it.
    expect(engineConfigFromEnv({ VIZFLOW_DECODE_BUDGET_MEGAPIXELS: "60" }).engineLimits.maxPixelsPerRequest).toBe(
      60_000_000,
    );
  });

  it("refuses a per-request total over the budget, and bad numbers, saying which", () => {
    expect(() =>
      engineConfigFromEnv({ VIZFLOW_DECODE_BUDGET_MEGAPIXELS: "60", VIZFLOW_MAX_REQUEST_MEGAPIXELS: "100" }),
    ).toThrow("VIZFLOW_MAX_REQUEST_MEGAPIXELS (100) must not exceed VIZFLOW_DECODE_BUDGET_MEGAPIXELS (60)");
    expect(() => engineConfigFromEnv({ VIZFLOW_DECODE_BUDGET_MEGAPIXELS: "0" })).toThrow(
      'VIZFLOW_DECODE_BUDGET_MEGAPIXELS must be a whole number from 1 to 1000000, got "0"',
    );
    expect(() => engineConfigFromEnv({ VIZFLOW_DECODE_WAIT_MS: "soon" })).toThrow(/VIZFLOW_DECODE_WAIT_MS/);
  });
});

describe("the lifetime of queued jobs' records", () => {
  it("is 24 h by default, set by VIZFLOW_JOB_PAYLOAD_TTL_SECONDS, and must outlast an attempt", () => {
    expect(engineConfigFromEnv({}).jobs.payloadTtlSeconds).toBe(86_400);
    expect(engineConfigFromEnv({ VIZFLOW_JOB_PAYLOAD_TTL_SECONDS: "3600" }).jobs.payloadTtlSeconds).toBe(3600);
    expect(() =>
      engineConfigFromEnv({ VIZFLOW_JOB_PAYLOAD_TTL_SECONDS: "600", VIZFLOW_JOB_EXPIRE_SECONDS: "900" }),
    ).toThrow("VIZFLOW_JOB_PAYLOAD_TTL_SECONDS (600) must be longer than VIZFLOW_JOB_EXPIRE_SECONDS (900)");
    expect(() => engineConfigFromEnv({ VIZFLOW_JOB_PAYLOAD_TTL_SECONDS: "10" })).toThrow(
      'VIZFLOW_JOB_PAYLOAD_TTL_SECONDS must be a whole number from 60 to 2592000, got "10"',
    );
  });
});
