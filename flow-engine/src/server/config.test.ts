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
