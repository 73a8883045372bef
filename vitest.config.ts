import { defineConfig } from "vitest/config";

// Two projects: fast unit tests beside the code, and integration tests (`*.int.test.ts`) that
// open a database: PGlite by default, real PostgreSQL when DATABASE_URL is set.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{sdk,db,flow-engine,plugins,app,server,scripts}/**/*.test.{ts,tsx}"],
          exclude: ["**/node_modules/**", "**/*.int.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["{sdk,db,flow-engine,plugins,app,server,scripts}/**/*.int.test.ts"],
          exclude: ["**/node_modules/**"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One PGlite instance costs ~750 MB; keep files from running all at once on 2 cores.
          maxWorkers: 2,
        },
      },
    ],
  },
});
