import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { buildNeeded } from "./build-freshness.js";
import { main, projectRoot } from "./main.js";

// `pnpm start`: build when the sources are newer than the last build, then serve in production mode.
const reason = buildNeeded(projectRoot);
if (reason !== undefined) {
  console.log(`Building Vizflow (${reason})…`);
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const build = spawnSync(process.execPath, [nextBin, "build", "--webpack"], {
    cwd: projectRoot,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (build.status !== 0) {
    console.error(`next build failed (exit ${build.status ?? build.signal ?? "unknown"}); not starting.`);
    process.exit(build.status ?? 1);
  }
}

main(false).catch((error: unknown) => {
  console.error("Vizflow could not start:", error);
  process.exit(1);
});
