import { describe, expect, it } from "vitest";
import { isEngineRequest } from "./engine";

describe("isEngineRequest", () => {
  it.each(["/healthz", "/metrics", "/v2", "/v2/process", "/v2/flows/abc/process"])("sends %s to the engine", (path) => {
    expect(isEngineRequest(path)).toBe(true);
  });

  it.each(["/", "/v2x", "/v20/process", "/api/trpc/setup.status", "/w/abc/flows", "/healthzz", "/metricsx"])(
    "leaves %s to Next",
    (path) => {
      expect(isEngineRequest(path)).toBe(false);
    },
  );
});
