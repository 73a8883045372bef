import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildNeeded } from "./build-freshness";

describe("buildNeeded", () => {
  let root: string;
  const touch = (file: string, secondsAgo: number) => {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, "x");
    const time = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(full, time, time);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "vizflow-build-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("asks for a build when there is none", () => {
    touch("app/page.tsx", 100);
    expect(buildNeeded(root)).toBe("no production build yet");
  });

  it("accepts a build newer than every source", () => {
    touch("app/page.tsx", 100);
    touch("db/src/index.ts", 90);
    touch(".next/BUILD_ID", 10);
    expect(buildNeeded(root)).toBeUndefined();
  });

  it("asks for a build when a workspace package changed after it", () => {
    touch("app/page.tsx", 100);
    touch(".next/BUILD_ID", 50);
    touch("db/src/migrations/new.ts", 5);
    expect(buildNeeded(root)).toBe("sources changed since the last build");
  });

  it("ignores node_modules, which installs touch without changing our sources", () => {
    touch(".next/BUILD_ID", 50);
    touch("plugins/core/node_modules/dep/index.js", 1);
    expect(buildNeeded(root)).toBeUndefined();
  });
});
