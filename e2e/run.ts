import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { ARTIFACTS, camera, type Journey, type JourneyContext } from "./harness";
import { annotateJourney } from "./journeys/annotate";
import { apiTokenJourney } from "./journeys/api-tokens";
import { batchTestJourney } from "./journeys/batch-test";
import { branchingJourney } from "./journeys/branching";
import { crowdedPhotoJourney } from "./journeys/crowded-photo";
import { flowEditorJourney, staleSaveJourney } from "./journeys/flow-editor";
import { operatorJourney } from "./journeys/instance";
import { inviteJourney, acceptJourney, reusedInvitationJourney } from "./journeys/invitation";
import { manageJourney, signInJourney } from "./journeys/manage";
import { realModelsJourney } from "./journeys/real-models";
import { phoneJourney, secondWorkspaceJourney, setupJourney } from "./journeys/setup-and-workspaces";
import { servicesJourney } from "./journeys/services";
import { imagenetLabelsJourney } from "./journeys/imagenet-labels";
import { tasksJourney } from "./journeys/tasks";
import { trainingDataJourney } from "./journeys/training-data";
import { travelJourney } from "./journeys/travel";
import { realTravelJourney } from "./journeys/travel-real";
import { engineRoutesJourney, pgliteInstanceCheck, serverLogCheck } from "./server-checks";
import { startProduct, type ProductServer } from "./server-process";

// Chromium from Debian; never a downloaded browser. The flags keep it quiet and offline.
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function main(): Promise<number> {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const logFile = path.join(ARTIFACTS, "server.log");

  let server: ProductServer | undefined;
  const journeys: Journey[] = [
    setupJourney,
    secondWorkspaceJourney,
    inviteJourney,
    acceptJourney,
    reusedInvitationJourney,
    operatorJourney,
    manageJourney,
    signInJourney,
    phoneJourney,
    tasksJourney,
    trainingDataJourney,
    imagenetLabelsJourney,
    apiTokenJourney,
    flowEditorJourney,
    staleSaveJourney,
    branchingJourney,
    servicesJourney,
    travelJourney,
    crowdedPhotoJourney,
    batchTestJourney,
    realModelsJourney,
    realTravelJourney,
    annotateJourney,
    engineRoutesJourney,
    pgliteInstanceCheck(
      () => server?.pid ?? 0,
      () => server?.dataDir ?? "",
    ),
    serverLogCheck(() => logFile),
  ];

  // E2E_ONLY=words runs the setup journey (everything else needs its owner) and the journeys named so;
  // "words|other words" runs those named by any of them (for journeys that need an earlier one's state).
  const only = process.env.E2E_ONLY?.toLowerCase().split("|").filter(Boolean);
  if (only?.length)
    journeys.splice(0, journeys.length, ...journeys.filter((j, i) => i === 0 || only.some((w) => j.name.includes(w))));

  let passed = 0;
  let failed = 0;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    server = await startProduct(logFile);
    console.log(`e2e: product at ${server.baseUrl}, data in ${server.dataDir}`);
    const shared = new Map<string, string>();
    for (const [index, current] of journeys.entries()) {
      const contexts: BrowserContext[] = [];
      const context: JourneyContext = {
        baseUrl: server.baseUrl,
        browser,
        shared,
        shot: camera(index + 1, current.name),
        newContext: async (storageState) => {
          const created = await browser.newContext({
            viewport: { width: 1280, height: 800 },
            permissions: ["clipboard-read", "clipboard-write"],
            ...(storageState === undefined ? {} : { storageState: JSON.parse(storageState) as never }),
          });
          created.setDefaultTimeout(15_000);
          contexts.push(created);
          return created;
        },
      };
      const started = Date.now();
      try {
        await current.run(context);
        passed += 1;
        console.log(`  ✓ ${current.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failed += 1;
        const page = contexts.at(-1)?.pages().at(-1);
        if (page !== undefined) await context.shot(page, "failure").catch(() => undefined);
        console.log(
          `  ✗ ${current.name}\n    ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      } finally {
        await Promise.all(contexts.map((created) => created.close()));
      }
    }
  } catch (error) {
    failed += 1;
    console.log(`  ✗ could not run the journeys: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await browser.close();
    await server?.stop();
    if (server !== undefined) rmSync(server.dataDir, { recursive: true, force: true });
  }

  if (failed > 0) {
    const log = readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
    console.log(`\n--- last lines of ${path.relative(process.cwd(), logFile)} ---\n${log}`);
  }
  console.log(`screenshots: ${path.relative(process.cwd(), ARTIFACTS)}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  // The same counts for `pnpm test`'s closing summary (scripts/summarize-tests.ts).
  writeFileSync(
    path.join(path.dirname(ARTIFACTS), "results-e2e.json"),
    JSON.stringify({ numPassedTests: passed, numFailedTests: failed }),
  );
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
