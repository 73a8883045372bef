"use client";

import { Fragment, useEffect, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { FlowGraph } from "@vizflow/sdk";
import { useTRPC } from "@/_lib/trpc";
import type { AppRouter } from "../../_server/routers/_app";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { formErrorMessage } from "../trpc-errors";
import { batchProblem, chunksOf, collectImages, fieldSummary, toBase64, type BatchImage } from "./batch-images";

type BatchAnswer = inferRouterOutputs<AppRouter>["flowEditor"]["testBatch"];
type ImageResult = Extract<BatchAnswer, { ok: true }>["images"][number];

interface Chosen extends BatchImage {
  /** An object URL for the thumbnail (revoked when the choice changes). */
  url: string;
}

/** Calls that run at the same time: the engine runs each call's images concurrently already. */
const PARALLEL_CALLS = 2;
const number = new Intl.NumberFormat("en");

/** "Batch test" in the test-run tab: the draft on up to 100 images (files, a folder or zips), one row each. */
export function BatchTest({
  workspaceId,
  flowId,
  graph,
  titleOf,
}: {
  workspaceId: string;
  flowId: string;
  /** The draft as it is when the run starts. */
  graph: () => FlowGraph;
  titleOf: (nodeId: string) => string;
}) {
  const trpc = useTRPC();
  const testBatch = useMutation(trpc.flowEditor.testBatch.mutationOptions());
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [skipped, setSkipped] = useState<string[]>([]);
  const [results, setResults] = useState<(ImageResult | undefined)[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [balance, setBalance] = useState<number | undefined>();
  const [expanded, setExpanded] = useState<number | undefined>();

  useEffect(() => () => chosen.forEach((c) => URL.revokeObjectURL(c.url)), [chosen]);

  const choose = async (list: FileList | null) => {
    if (!list) return;
    const { images, skipped: left } = await collectImages([...list]);
    setChosen(images.map((i) => ({ ...i, url: URL.createObjectURL(new Blob([i.bytes.slice()])) })));
    setSkipped(left);
    setResults([]);
    setError(undefined);
    setExpanded(undefined);
  };

  const run = async () => {
    const draft = graph();
    setRunning(true);
    setError(undefined);
    setResults([]);
    const found: (ImageResult | undefined)[] = [];
    const queue = chunksOf(chosen.map((image, index) => ({ ...image, index })));
    let stop = false;
    const worker = async () => {
      for (let chunk = queue.shift(); chunk && !stop; chunk = queue.shift()) {
        try {
          const answer = await testBatch.mutateAsync({
            workspaceId,
            flowId,
            graph: draft,
            images: chunk.map((image) => toBase64(image.bytes)),
          });
          if (!answer.ok) {
            stop = true;
            setError(`Fix the ${answer.problems.length} problem(s) first: ${answer.problems[0]?.message ?? ""}`.trim());
            return;
          }
          chunk.forEach((image, i) => (found[image.index] = answer.images[i]));
          setResults([...found]);
          setBalance(answer.balance);
        } catch (cause) {
          // Out of credits, or the server refused: what ran is kept, the rest does not run.
          stop = true;
          setError(formErrorMessage(cause, []));
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_CALLS }, worker));
    setRunning(false);
  };

  const problem = chosen.length > 0 || skipped.length > 0 ? batchProblem(chosen.length) : undefined;
  const done = results.filter((r) => r !== undefined);
  const failed = done.filter((r) => r.status.code >= 300);
  const credits = done.reduce((sum, r) => sum + r.credits, 0);
  return (
    <>
      <Button size="sm" variant="outline" onClick={() => setOpen(true)} data-batch-open>
        Batch test…
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        // The dialog's own max-w-md would win over a plain max-w class (cn does not merge classes).
        className="max-w-5xl!"
        title="Batch test"
        description={`Run the draft on up to 100 images: choose files, a folder, or zips. Billed like a test run (failed images cost nothing); images are not stored.`}
        footer={
          <>
            <Button variant="outline" onClick={() => setOpen(false)}>
              Close
            </Button>
            <Button
              disabled={chosen.length === 0 || problem !== undefined}
              pending={running}
              onClick={() => void run()}
            >
              Run on {chosen.length} image{chosen.length === 1 ? "" : "s"}
            </Button>
          </>
        }
      >
        <div className="grid min-w-0 gap-3 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <FilePick label="Choose images or zips" onPick={(files) => void choose(files)} />
            <FilePick label="Choose a folder" folder onPick={(files) => void choose(files)} />
            <span className="text-muted-foreground" data-batch-count>
              {chosen.length === 0 ? "No images chosen." : `${chosen.length} image${chosen.length === 1 ? "" : "s"}`}
            </span>
          </div>
          {skipped.length > 0 && <p className="text-xs text-muted-foreground">Left out: {skipped.join("; ")}</p>}
          <FormError message={problem ?? error} />
          {done.length > 0 && (
            <p data-batch-summary>
              {running ? `Ran ${done.length} of ${chosen.length} images` : `${done.length} images`} ·{" "}
              {done.length - failed.length} succeeded · {failed.length} failed · cost {number.format(credits)} credit
              {credits === 1 ? "" : "s"}
              {balance === undefined ? "" : ` · ${number.format(balance)} left`}
            </p>
          )}
          {done.length > 0 && <NodeTotals results={done} titleOf={titleOf} />}
          {chosen.length > 0 && (
            <div className="max-h-[50vh] overflow-auto rounded border">
              <table className="w-full text-xs" aria-label="Batch test results">
                <thead className="sticky top-0 bg-card text-left text-muted-foreground">
                  <tr>
                    <th className="p-2 font-medium">Image</th>
                    <th className="p-2 font-medium">Outcome</th>
                    <th className="p-2 font-medium">Fields written</th>
                    <th className="p-2 text-right font-medium">Credits</th>
                    <th className="p-2 text-right font-medium">Time</th>
                    <th className="p-2" />
                  </tr>
                </thead>
                <tbody className="divide-y">
                  {chosen.map((image, i) => (
                    <ResultRow
                      key={image.name}
                      image={image}
                      result={results[i]}
                      expanded={expanded === i}
                      onToggle={() => setExpanded(expanded === i ? undefined : i)}
                      titleOf={titleOf}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </Dialog>
    </>
  );
}

/** Each node over the whole batch: how often it ran, its mean time per image, the credits it cost. */
function NodeTotals({ results, titleOf }: { results: ImageResult[]; titleOf: (nodeId: string) => string }) {
  const totals = new Map<string, { runs: number; images: number; timeMs: number; credits: number; failures: number }>();
  for (const result of results) {
    for (const n of result.nodes) {
      const t = totals.get(n.nodeId) ?? { runs: 0, images: 0, timeMs: 0, credits: 0, failures: 0 };
      totals.set(n.nodeId, {
        runs: t.runs + n.runs,
        images: t.images + 1,
        timeMs: t.timeMs + n.timeMs,
        // What was billed: a failed image's nodes cost nothing.
        credits: t.credits + (result.status.code < 300 ? n.credits : 0),
        failures: t.failures + n.failures,
      });
    }
  }
  return (
    <details className="rounded border px-2 py-1 text-xs" data-batch-nodes>
      <summary className="cursor-pointer font-medium">Per node</summary>
      <table className="mt-1 w-full">
        <thead className="text-left text-muted-foreground">
          <tr>
            <th className="font-medium">Node</th>
            <th className="text-right font-medium">Runs</th>
            <th className="text-right font-medium">Mean time per image</th>
            <th className="text-right font-medium">Credits</th>
            <th className="text-right font-medium">Failed runs</th>
          </tr>
        </thead>
        <tbody>
          {[...totals].map(([nodeId, t]) => (
            <tr key={nodeId}>
              <td>{titleOf(nodeId)}</td>
              <td className="text-right tabular-nums">{t.runs}</td>
              <td className="text-right tabular-nums">{(t.timeMs / t.images).toFixed(1)} ms</td>
              <td className="text-right tabular-nums">{t.credits}</td>
              <td className="text-right tabular-nums">{t.failures}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function FilePick({
  label,
  folder,
  onPick,
}: {
  label: string;
  folder?: boolean;
  onPick: (files: FileList | null) => void;
}) {
  // `webkitdirectory` is not in React's input props, yet every current browser supports it.
  const folderProps = folder ? { webkitdirectory: "", directory: "" } : {};
  return (
    <label className="inline-flex h-8 cursor-pointer items-center rounded-md border px-3 text-xs font-medium hover:bg-accent">
      {label}
      <input
        type="file"
        multiple
        accept={folder ? undefined : "image/*,.zip,application/zip"}
        className="sr-only"
        aria-label={label}
        onChange={(e) => onPick(e.target.files)}
        {...folderProps}
      />
    </label>
  );
}

function ResultRow({
  image,
  result,
  expanded,
  onToggle,
  titleOf,
}: {
  image: Chosen;
  result: ImageResult | undefined;
  expanded: boolean;
  onToggle: () => void;
  titleOf: (nodeId: string) => string;
}) {
  const ok = result !== undefined && result.status.code < 300;
  const fields = result ? Object.entries(result.fields) : [];
  const nodeErrors = result?.nodes.filter((n) => n.error !== undefined) ?? [];
  // An image that could not be read ran no node: it has no time and no node breakdown.
  const ms = result?.nodes.length ? result.nodes.reduce((sum, n) => sum + n.timeMs, 0) : undefined;
  return (
    <Fragment>
      <tr data-batch-row={image.name} data-outcome={result ? (ok ? "ok" : "failed") : "pending"}>
        <td className="p-2">
          <div className="flex items-center gap-2">
            <img src={image.url} alt="" className="size-10 shrink-0 rounded object-cover" />
            <span className="min-w-32 [overflow-wrap:anywhere]">{image.name}</span>
          </div>
        </td>
        <td className="p-2">
          {result === undefined ? (
            <span className="text-muted-foreground">not run</span>
          ) : (
            <div className="grid gap-0.5">
              <span
                className={`w-fit rounded px-1.5 ${ok ? "bg-emerald-100 text-emerald-800" : "bg-destructive/10 text-destructive"}`}
              >
                {result.status.code} {ok ? "OK" : "failed"}
              </span>
              {!ok && <span className="text-destructive">{result.status.text}</span>}
              {nodeErrors.map((n) => (
                <span key={n.nodeId} className="text-destructive">
                  {titleOf(n.nodeId)}: {n.error}
                </span>
              ))}
            </div>
          )}
        </td>
        <td className="p-2">
          {fields.length === 0 && result ? (
            <span className="text-muted-foreground">nothing</span>
          ) : (
            <dl className="grid grid-cols-[auto_1fr] gap-x-2">
              {fields.map(([name, value]) => (
                <Fragment key={name}>
                  <dt className="font-mono text-muted-foreground">{name}</dt>
                  <dd className="break-words">{fieldSummary(value)}</dd>
                </Fragment>
              ))}
            </dl>
          )}
        </td>
        <td className="p-2 text-right tabular-nums">{result?.credits ?? ""}</td>
        <td className="p-2 text-right tabular-nums whitespace-nowrap">
          {ms === undefined ? "" : `${ms.toFixed(0)} ms`}
        </td>
        <td className="p-2 text-right">
          {result && result.nodes.length > 0 && (
            <button type="button" className="text-xs underline" aria-expanded={expanded} onClick={onToggle}>
              {expanded ? "Hide nodes" : "Nodes"}
            </button>
          )}
        </td>
      </tr>
      {expanded && result && (
        <tr>
          <td colSpan={6} className="bg-muted/50 p-2">
            <table className="w-full" aria-label={`Nodes of ${image.name}`}>
              <thead className="text-left text-muted-foreground">
                <tr>
                  <th className="font-medium">Node</th>
                  <th className="text-right font-medium">Runs</th>
                  <th className="text-right font-medium">Time</th>
                  <th className="text-right font-medium">Credits</th>
                  <th className="pl-3 font-medium">Error</th>
                </tr>
              </thead>
              <tbody>
                {result.nodes.map((n) => (
                  <tr key={n.nodeId}>
                    <td>{titleOf(n.nodeId)}</td>
                    <td className="text-right tabular-nums">{n.runs}</td>
                    <td className="text-right tabular-nums">{n.timeMs.toFixed(1)} ms</td>
                    <td className="text-right tabular-nums">{n.credits}</td>
                    <td className="pl-3 text-destructive">
                      {n.error ?? ""}
                      {n.failures > 1 ? ` (${n.failures} runs failed)` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </Fragment>
  );
}
