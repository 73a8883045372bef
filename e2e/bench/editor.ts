/**
 * `pnpm bench:editor`: opens a 300-node flow in the built product in Chromium and reports how long the
 * canvas takes to become interactive and the frame times while panning. Needs `pnpm build` first.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { ARTIFACTS } from "../harness";
import { startProduct } from "../server-process";

const NODES = Number(process.env.BENCH_NODES ?? 300);

/** A valid tree of Lists and Conditions, `count` nodes with the input, three children per node. */
export function wideTree(count: number): FlowGraph {
  const graph: FlowGraph = { schema: 1, nodes: [], edges: [] };
  graph.nodes.push({ id: "n0", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } });
  for (let i = 1; i < count; i++) {
    const parent = Math.floor((i - 1) / 3);
    const depth = Math.floor(Math.log(2 * i + 1) / Math.log(3));
    graph.nodes.push({
      id: `n${i}`,
      action: "core/list@1",
      config: { mode: i % 2 === 0 ? "sequence" : "parallel" },
      position: { x: (i % 60) * 240, y: depth * 160 + Math.floor(i / 60) * 40 },
      label: `List ${i}`,
    });
    graph.edges.push({ id: `e${i}`, source: `n${parent}`, sourceHandle: "next", target: `n${i}`, order: (i - 1) % 3 });
  }
  return graph;
}

async function trpc<T>(page: Page, baseUrl: string, procedure: string, input: unknown): Promise<T> {
  const response = await page.request.post(`${baseUrl}/api/trpc/${procedure}`, {
    data: input,
    headers: { origin: baseUrl },
  });
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (body.result === undefined) throw new Error(`${procedure}: ${body.error?.message ?? response.status()}`);
  return body.result.data;
}

function stats(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0 };
}

async function main(): Promise<void> {
  const server = await startProduct(path.join(ARTIFACTS, "bench-editor-server.log"));
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    // Setup through the API signs this context in as the owner (the session cookie lands in it).
    const { workspaceId } = await trpc<{ workspaceId: string }>(page, server.baseUrl, "setup.complete", {
      name: "Bench Owner",
      email: "bench@example.com",
      password: "bench-password-1",
      workspaceName: "Bench",
    });
    const { id } = await trpc<{ id: string }>(page, server.baseUrl, "flow.create", { workspaceId, name: "Bench" });
    await trpc(page, server.baseUrl, "flow.saveDraft", { workspaceId, flowId: id, graph: wideTree(NODES) });

    // Warm the route once so the measurement is the editor, not the first compile of the page's chunks.
    await page.goto(`${server.baseUrl}/w/${workspaceId}/flows/${id}`);
    await page.locator(".react-flow__node").first().waitFor({ timeout: 60_000 });

    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      await page.goto(`${server.baseUrl}/w/${workspaceId}/flows/${id}`);
      await page.locator(".react-flow__node").first().waitFor({ timeout: 60_000 });
      // Interactive: a click on a node selects it and its settings open.
      const inView = await page.evaluate<string>(`(() => {
        const pane = document.querySelector(".react-flow__pane").getBoundingClientRect();
        const nodes = [...document.querySelectorAll(".react-flow__node")].slice(1);
        const node = nodes.find((n) => {
          const r = n.getBoundingClientRect();
          return r.left > pane.left && r.right < pane.right && r.top > pane.top && r.bottom < pane.bottom;
        });
        return node ? node.getAttribute("data-id") : "";
      })()`);
      await page.locator(`.react-flow__node[data-id="${inView}"]`).click();
      await page.locator("[data-config-panel]").waitFor();
      runs.push(Date.now() - started);
    }

    const pane = await page.locator(".react-flow__pane").boundingBox();
    if (!pane) throw new Error("no canvas");
    // A string, not a function: tsx would wrap a function in helpers that do not exist in the page.
    await page.evaluate(`(() => {
      window.__frames = [];
      window.__stop = false;
      let last = performance.now();
      const tick = (now) => {
        window.__frames.push(now - last);
        last = now;
        if (!window.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    const cx = pane.x + pane.width / 2;
    const cy = pane.y + pane.height / 2;
    for (let round = 0; round < 4; round++) {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx - 500, cy - 200, { steps: 60 });
      await page.mouse.move(cx, cy, { steps: 60 });
      await page.mouse.up();
    }
    const frames = await page.evaluate<number[]>(
      "(() => { window.__stop = true; return window.__frames.slice(1); })()",
    );
    const rendered = await page.locator(".react-flow__node").count();
    const interactive = stats(runs);
    const frame = stats(frames);
    console.log(`bench:editor — ${NODES}-node flow in Chromium (headless, ${rendered} nodes rendered in view)`);
    console.log(
      `  time to interactive (load → node click selects): ${runs.join(", ")} ms (median ${interactive.p50} ms)`,
    );
    console.log(
      `  panning: ${frames.length} frames, p50 ${frame.p50.toFixed(1)} ms, p95 ${frame.p95.toFixed(1)} ms, max ${frame.max.toFixed(1)} ms (≈${(1000 / Math.max(frame.p50, 0.001)).toFixed(0)} fps median)`,
    );
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

await main();
