// Prints one closing line over every test run of `pnpm test` (vitest projects and e2e), so a
// reader of CI output sees the whole count: "tests: N passed, M failed, K skipped".
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface Counts {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests?: number;
  numTodoTests?: number;
}

const dir = ".artifacts";
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir).filter((f) => /^results-.*\.json$/.test(f))) {
  const counts = JSON.parse(readFileSync(join(dir, file), "utf8")) as Counts;
  passed += counts.numPassedTests;
  failed += counts.numFailedTests;
  skipped += (counts.numPendingTests ?? 0) + (counts.numTodoTests ?? 0);
  console.log(`${file.replace(/^results-|\.json$/g, "")}: ${counts.numPassedTests} passed, ${counts.numFailedTests} failed`);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
