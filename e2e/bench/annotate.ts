/**
 * `pnpm bench:annotate` (issue 12's benchmark, not a test): imports the 3,068 images of
 * `../shared/datasets/clothing/train` (a folder per label) through the training-image HTTP route of a
 * server process of its own, as one stored zip with a workspace token, and reports images per second and
 * the server's peak memory (VmHWM); then the annotator's median frame time while dragging a box among 300
 * (`annotator-frames.ts`, when that part is there). The last line is
 * `bench:annotate import_per_s=<n> peak_rss_mb=<n> frame_ms_p50=<n>`.
 *
 * BENCH_IMPORT=files sends the images as multipart files in batches of BENCH_BATCH (default 500), as a
 * browser folder upload would, instead of one zip.
 */
import { measureAnnotatorFrames } from "./annotator-frames";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { zipSync } from "fflate";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DATASET = path.resolve(ROOT, "../shared/datasets/clothing/train");
const PORT = Number(process.env.BENCH_PORT ?? 3201);

interface Started {
  port: number;
  workspaceId: string;
  taskId: string;
  token: string;
}

function memoryOf(pid: number): { hwmMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { hwmMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
}

/** The dataset's files as `label/file` with their bytes, in a stable order. */
function datasetFiles(): [string, Uint8Array<ArrayBuffer>][] {
  const out: [string, Uint8Array<ArrayBuffer>][] = [];
  for (const label of readdirSync(DATASET).sort()) {
    const folder = path.join(DATASET, label);
    for (const file of readdirSync(folder).sort()) {
      out.push([`${label}/${file}`, new Uint8Array(readFileSync(path.join(folder, file)))]);
    }
  }
  return out;
}

async function upload(server: Started, body: FormData): Promise<{ added: number; duplicates: number }> {
  const response = await fetch(
    `http://127.0.0.1:${server.port}/api/workspaces/${server.workspaceId}/tasks/${server.taskId}/training-images`,
    { method: "POST", headers: { authorization: `Token ${server.token}` }, body },
  );
  const text = await response.text();
  if (response.status !== 201) throw new Error(`import answered ${response.status}: ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { import: { added: number; duplicates: number } }).import;
}

async function benchImport(): Promise<{ perSecond: number; peakMb: number }> {
  const files = datasetFiles();
  const labels = readdirSync(DATASET).sort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "vizflow-bench-annotate-"));
  const { DATABASE_URL: _url, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "e2e/bench/import-server.ts")], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: "production",
      VIZFLOW_DATA_DIR: dataDir,
      PORT: String(PORT),
      BENCH_LABELS: labels.join(","),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const lines = createInterface({ input: child.stdout });
    const server = await new Promise<Started>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the import server exited with ${code}`)));
      lines.on("line", (line) => {
        if (line.startsWith("{")) resolve(JSON.parse(line) as Started);
      });
    });
    const before = memoryOf(child.pid as number);
    const mode = process.env.BENCH_IMPORT === "files" ? "files" : "zip";
    const bodies: FormData[] = [];
    if (mode === "zip") {
      const zip = zipSync(Object.fromEntries(files), { level: 0 });
      const form = new FormData();
      form.append("file", new Blob([zip as Uint8Array<ArrayBuffer>]), "clothing-train.zip");
      bodies.push(form);
      console.log(`import: one stored zip of ${files.length} images, ${(zip.length / 1e6).toFixed(1)} MB`);
    } else {
      const batch = Number(process.env.BENCH_BATCH ?? 500);
      for (let start = 0; start < files.length; start += batch) {
        const form = new FormData();
        for (const [name, bytes] of files.slice(start, start + batch)) form.append("file", new Blob([bytes]), name);
        bodies.push(form);
      }
      console.log(`import: ${files.length} images as files in ${bodies.length} requests of up to ${batch}`);
    }
    const started = performance.now();
    let added = 0;
    for (const body of bodies) added += (await upload(server, body)).added;
    const seconds = (performance.now() - started) / 1000;
    if (added !== files.length) throw new Error(`the import added ${added} images, not ${files.length}`);
    const after = memoryOf(child.pid as number);
    const perSecond = added / seconds;
    console.log(
      `import: ${added} images in ${seconds.toFixed(2)} s = ${perSecond.toFixed(1)} images/s; server RSS ` +
        `${before.rssMb.toFixed(0)} MB before, peak (VmHWM) ${after.hwmMb.toFixed(0)} MB`,
    );
    return { perSecond, peakMb: after.hwmMb };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The annotator's median frame time while dragging a box among 300 (`annotator-frames.ts`). */
async function benchFrames(): Promise<number> {
  const figures = await measureAnnotatorFrames();
  console.log(
    `annotator: frame work p50 ${figures.frameMsP50.toFixed(2)} ms, p95 ${figures.frameMsP95.toFixed(2)} ms, ` +
      `display interval p50 ${figures.intervalMsP50.toFixed(1)} ms, ${figures.droppedFrames} dropped, ` +
      `while dragging a box among ${figures.boxes}`,
  );
  return figures.frameMsP50;
}

async function main(): Promise<void> {
  let importFigures: { perSecond: number; peakMb: number } | undefined;
  if (existsSync(DATASET)) importFigures = await benchImport();
  else console.log(`import: skipped, ${DATASET} is absent`);
  const frame = await benchFrames();
  const fmt = (n: number | undefined, digits: number) => (n === undefined ? "NA" : n.toFixed(digits));
  console.log(
    `bench:annotate import_per_s=${fmt(importFigures?.perSecond, 1)} peak_rss_mb=${fmt(importFigures?.peakMb, 0)} frame_ms_p50=${fmt(frame, 2)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
