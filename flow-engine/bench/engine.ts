/**
 * `pnpm bench:engine` (a benchmark, not a test): images per second of the flow YOLOX -> Object Selector
 * -> MobileNetV2 run (a) by FlowEngine over the ONNX runtime's worker pool and (b) written directly
 * against onnxruntime-node and sharp on the JS thread, one record at a time and with 4 in flight.
 *
 * Both paths run in this one process, in alternating rounds (engine then direct, then direct then
 * engine, ...) so that load from elsewhere on the machine hits both alike; the ratio is the median of
 * each round pair's ratio. Before timing, every photo goes through both paths once and their objects,
 * boxes and labels are compared, so the two do the same work.
 *
 *   pnpm bench:engine [rounds]      (default 7 rounds per mode)
 *   BENCH_WORKERS=1 BENCH_INTRA_THREADS=2 pnpm bench:engine   (another inference pool, to compare)
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { PerformanceObserver } from "node:perf_hooks";
import { DEFAULT_SESSION_OPTIONS } from "../src/runtime/inference/inference-pool.js";
import { realModelsDir } from "../src/testing/real-models.js";
import { DirectPipeline, type ObjectFilter } from "./direct-pipeline.js";
import { EnginePipeline } from "./engine-pipeline.js";
import { differences, loadAverage, median, summary, throughput } from "./measure.js";

const PHOTOS = [
  "imgs/yolox_dog.jpg",
  "imgs/ortex_wolves.jpg",
  "imgs/ortex_horse-cart.jpg",
  "imgs/ortex_test_object_detection_0.jpg",
  "imgs/ortex_test_object_detection_1.jpg",
  "imgs/ortex_dog.jpg",
  "imgs/ortex_cat.jpg",
  "fastestdet/0.jpg",
  "fastestdet/1.jpg",
  "fastestdet/2.jpg",
];

const MODES = [
  { name: "one at a time", key: "one", inFlight: 1, passes: 1, target: 0.95 },
  { name: "4 in flight", key: "four", inFlight: 4, passes: 2, target: 1.15 },
] as const;

/** Milliseconds the JS thread spent in garbage collection (both paths allocate there). */
const gcMs = { total: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs.total += entry.duration;
}).observe({ entryTypes: ["gc"] });

const FILTER: ObjectFilter = { minProb: 0.3, maxObjects: 10 };

const rounds = Number(process.argv[2] ?? 7);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`rounds must be a whole number of at least 1, got "${process.argv[2]}"`);
  process.exit(2);
}

const dir = realModelsDir();
if (!dir) {
  console.error(
    "bench:engine needs the real models and photos in ../shared/models (next to the repository); it is absent",
  );
  process.exit(1);
}

const photos = PHOTOS.map((name) => {
  const bytes = readFileSync(`${dir}${name}`);
  return { name, bytes: new Uint8Array(bytes), base64: bytes.toString("base64") };
});
type Photo = (typeof photos)[number];
const cpus = availableParallelism();

console.log(
  `bench:engine  ${photos.length} photos, ${rounds} rounds per mode, ${cpus} cores, load average ${loadAverage()}`,
);
// Overrides to compare pool configurations; the defaults are what the product runs.
const workers = Number(process.env.BENCH_WORKERS ?? 0);
const intra = Number(process.env.BENCH_INTRA_THREADS ?? 0);
const engine = await EnginePipeline.create(dir, FILTER, {
  pool: {
    ...(workers > 0 ? { size: workers } : {}),
    ...(intra > 0 ? { sessionOptions: { intraOpNumThreads: intra } } : {}),
  },
});
const direct = await DirectPipeline.create(dir, FILTER);
const threads = intra > 0 ? intra : DEFAULT_SESSION_OPTIONS.intraOpNumThreads;
console.log(
  `engine: ${engine.runtime.pool.size} inference workers x ${threads} intra-op threads; ` +
    `direct: sessions on the JS thread, ${DEFAULT_SESSION_OPTIONS.intraOpNumThreads} intra-op threads`,
);
const paths = {
  engine: (photo: Photo) => engine.process(photo.base64),
  direct: (photo: Photo) => direct.process(photo.bytes),
};

let mismatches = 0;
let objects = 0;
for (const photo of photos) {
  const [a, b] = [await paths.engine(photo), await paths.direct(photo)];
  objects += b.length;
  const diff = differences(a, b);
  if (diff.length > 0) {
    mismatches++;
    console.log(`  mismatch on ${photo.name}: ${diff.join("; ")}`);
  }
}
console.log(
  `same detections and labels: ${photos.length - mismatches}/${photos.length} photos match (mismatches: ${mismatches}), ${objects} objects`,
);

/** The median engine/direct ratio of each mode, for the summary line. */
const figures: string[] = [];
for (const mode of MODES) {
  const items = Array.from({ length: mode.passes }, () => photos).flat();
  const run = (path: keyof typeof paths) => throughput(items, mode.inFlight, paths[path]);
  await run("engine");
  await run("direct");
  const results = { engine: [] as number[], direct: [] as number[] };
  const cpu = { engine: 0, direct: 0 };
  const gc = { engine: 0, direct: 0 };
  const ratios: number[] = [];
  const loadBefore = loadAverage();
  const statsBefore = engine.runtime.pool.stats();
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (["engine", "direct"] as const) : (["direct", "engine"] as const);
    for (const path of order) {
      const before = process.cpuUsage();
      const gcBefore = gcMs.total;
      results[path].push(await run(path));
      const used = process.cpuUsage(before);
      cpu[path] += (used.user + used.system) / 1000;
      gc[path] += gcMs.total - gcBefore;
    }
    ratios.push((results.engine[r] as number) / (results.direct[r] as number));
  }
  const stats = engine.runtime.pool.stats();
  const runs = stats.runs - statsBefore.runs;
  const ratio = median(ratios);
  figures.push(`${mode.key}=${ratio.toFixed(3)}`);
  console.log(`\n${mode.name} (${items.length} images per round, load average ${loadBefore} -> ${loadAverage()})`);
  const cpuPerImage = (path: keyof typeof cpu) =>
    `${(cpu[path] / (items.length * rounds)).toFixed(0)} ms CPU per image ` +
    `(${(gc[path] / (items.length * rounds)).toFixed(1)} ms of it GC on the JS thread)`;
  console.log(
    `  engine  ${summary(results.engine)} images/s   ${cpuPerImage("engine")}   median (min-max) of ${rounds} rounds`,
  );
  console.log(`  direct  ${summary(results.direct)} images/s   ${cpuPerImage("direct")}`);
  console.log(
    `  engine / direct  ${summary(ratios, 3)}  target >= ${mode.target}: ${ratio >= mode.target ? "met" : "MISSED"}`,
  );
  console.log(
    `  engine inference: ${(runs / (items.length * rounds)).toFixed(2)} session runs per image, ` +
      `${((stats.runMs - statsBefore.runMs) / runs).toFixed(1)} ms per run inside the workers`,
  );
}

await engine.close();
await direct.close();
// The last line, for scripts: the median engine/direct ratio one at a time and with 4 in flight.
console.log(`bench:engine ${figures.join(" ")}`);
