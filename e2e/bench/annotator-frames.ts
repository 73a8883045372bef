/**
 * `pnpm bench:annotate-frames`: the annotator with 300 boxes on one large photo in Chromium (the component
 * harness of e2e/annotator, no product server), and the frame times while a box is dragged with the mouse.
 *
 * Two figures per frame during the drag:
 * - frame work (`frame_ms`): from the frame's pointer event to the end of that frame's rendering on the
 *   main thread (React's render of the move, style, layout, paint), measured by a task posted from the
 *   frame's last requestAnimationFrame callback, which runs once the frame is rendered;
 * - frame interval: requestAnimationFrame to requestAnimationFrame, which Chromium holds at the display's
 *   ~16.7 ms however little a frame costs, so it shows dropped frames (intervals of 33 ms and more).
 */
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { currentAnnotation, launchChromium, openSet, screenPoint } from "../annotator/driver";
import { startAnnotatorHarness } from "../annotator/harness-server";

export interface FrameFigures {
  boxes: number;
  image: string;
  frames: number;
  frameMsP50: number;
  frameMsP95: number;
  frameMsMax: number;
  intervalMsP50: number;
  intervalMsP95: number;
  /** Intervals longer than 1.5 display frames: frames Chromium had to skip. */
  droppedFrames: number;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

// A string, not a function: tsx would wrap a function in helpers that do not exist in the page.
const INSTRUMENT = `(() => {
  const m = { work: [], intervals: [], pendingSince: null, stop: false, last: 0 };
  window.__frames = m;
  // Bubbling on window: runs after React's listener, so this frame callback comes after the annotator's.
  window.addEventListener("pointermove", () => {
    if (m.stop || m.pendingSince !== null) return;
    m.pendingSince = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        m.work.push(performance.now() - m.pendingSince);
        m.pendingSince = null;
      };
      channel.port2.postMessage(0);
    });
  });
  const tick = (now) => {
    if (m.last > 0 && m.dragging) m.intervals.push(now - m.last);
    m.last = now;
    if (!m.stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Opens the harness (its own server and, unless given, its own Chromium) and measures dragging one box. */
export async function measureAnnotatorFrames(
  options: { browser?: Browser; port?: number; boxes?: number; rounds?: number } = {},
): Promise<FrameFigures> {
  const boxes = options.boxes ?? 300;
  const harness = await startAnnotatorHarness({ port: options.port ?? 0, boxes });
  const browser = options.browser ?? (await launchChromium());
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await openSet(page, harness.baseUrl, "bench");
    const rendered = await page.locator("[data-box-index]").count();
    if (rendered !== boxes) throw new Error(`expected ${boxes} boxes on the page, found ${rendered}`);
    const before = await currentAnnotation(page);
    const target = before?.kind === "boxes" ? before.boxes[Math.floor(boxes / 2)] : undefined;
    if (target === undefined) throw new Error("the bench image has no boxes");
    const [x0, y0, x1, y1] = target.box;
    const start = await screenPoint(page, [(x0 + x1) / 2, (y0 + y1) / 2]);

    await page.evaluate(INSTRUMENT);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.evaluate("window.__frames.dragging = true");
    const rounds = options.rounds ?? 4;
    for (let round = 0; round < rounds; round++) {
      await page.mouse.move(start.x + 300, start.y + 120, { steps: 60 });
      await page.mouse.move(start.x - 250, start.y - 80, { steps: 60 });
      await page.mouse.move(start.x, start.y + 10, { steps: 40 });
    }
    await page.evaluate("window.__frames.dragging = false");
    await page.mouse.up();
    const { work, intervals } = await page.evaluate<{ work: number[]; intervals: number[] }>(
      "(() => { window.__frames.stop = true; return { work: window.__frames.work, intervals: window.__frames.intervals }; })()",
    );
    // The drag really moved the box (10 px down on screen), so the frames measured did the work.
    const after = await currentAnnotation(page);
    const moved = after?.kind === "boxes" ? after.boxes[Math.floor(boxes / 2)]?.box : undefined;
    if (moved === undefined || moved[1] === y0)
      throw new Error(`the drag did not move the box: ${JSON.stringify(moved)}`);
    if (work.length < 100) throw new Error(`only ${work.length} frames with a move were measured; need 100`);
    const image = await page.locator("h1").innerText();
    await context.close();
    return {
      boxes,
      image,
      frames: work.length,
      frameMsP50: quantile(work, 0.5),
      frameMsP95: quantile(work, 0.95),
      frameMsMax: quantile(work, 1),
      intervalMsP50: quantile(intervals, 0.5),
      intervalMsP95: quantile(intervals, 0.95),
      droppedFrames: intervals.filter((ms) => ms > 25).length,
    };
  } finally {
    if (options.browser === undefined) await browser.close();
    await harness.stop();
  }
}

async function main(): Promise<void> {
  const figures = await measureAnnotatorFrames({
    port: Number(process.env.ANNOTATOR_PORT ?? 0),
    boxes: Number(process.env.BENCH_BOXES ?? 300),
  });
  const ms = (value: number) => value.toFixed(1);
  console.log(`bench:annotate-frames — ${figures.image}, dragging one box in Chromium (headless)`);
  console.log(
    `  frame work (pointer event → frame rendered): ${figures.frames} frames, p50 ${ms(figures.frameMsP50)} ms, p95 ${ms(figures.frameMsP95)} ms, max ${ms(figures.frameMsMax)} ms`,
  );
  console.log(
    `  frame interval (rAF to rAF): p50 ${ms(figures.intervalMsP50)} ms, p95 ${ms(figures.intervalMsP95)} ms, ${figures.droppedFrames} dropped`,
  );
  console.log(`bench:annotate-frames frame_ms_p50=${ms(figures.frameMsP50)} frame_ms_p95=${ms(figures.frameMsP95)}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
