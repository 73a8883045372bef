import { describe, expect, it } from "vitest";
import { isEngineRequest, placeholderEngine } from "./engine";

describe("isEngineRequest", () => {
  it.each(["/healthz", "/v2", "/v2/process", "/v2/flows/abc/process"])("sends %s to the engine", (path) => {
    expect(isEngineRequest(path)).toBe(true);
  });

  it.each(["/", "/v2x", "/v20/process", "/api/trpc/setup.status", "/w/abc/flows", "/healthzz"])(
    "leaves %s to Next",
    (path) => {
      expect(isEngineRequest(path)).toBe(false);
    },
  );
});

describe("placeholderEngine", () => {
  it("reports health", async () => {
    const response = await placeholderEngine(new Request("http://localhost/healthz"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers the API with a JSON 404 in the API's error shape", async () => {
    const response = await placeholderEngine(new Request("http://localhost/v2/process", { method: "POST" }));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = (await response.json()) as { status: { code: number; text: string } };
    expect(body.status.code).toBe(404);
    expect(body.status.text).toContain("POST /v2/process");
  });
});
