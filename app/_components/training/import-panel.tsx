"use client";

import { useRef, useState } from "react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { Select } from "../ui/select";
import { ProgressBar } from "../tasks/progress-bar";
import { formatBytes, uploadForm } from "../tasks/upload";
import { planImportBatches, type ImportBatch, type PickedFile } from "./import-batches";
import { filesOfDrop, filesOfInput } from "./pick-files";
import { FORMATS_BY_TYPE, type TaskTypeName } from "./training-format";

/** What the import route answers for one batch (see app/_server/training-routes.ts). */
interface ImportAnswer {
  import: {
    format: string;
    added: number;
    duplicates: number;
    inTestSet: number;
    perLabel: Record<string, number>;
    unlabelled: number;
    newLabels: string[];
    ignored: string[];
  };
}

interface Problem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

/** One refused batch: nothing of it was added; each problem names its file. */
interface Refusal {
  batch: string;
  message: string;
  problems: Problem[];
}

interface Totals {
  added: number;
  duplicates: number;
  inTestSet: number;
  unlabelled: number;
  newLabels: string[];
  ignored: string[];
  refusals: Refusal[];
  batches: number;
  done: number;
  /** The person pressed Stop: the batches after `done` were not sent. */
  stopped: boolean;
}

const EMPTY: Totals = {
  added: 0,
  duplicates: 0,
  inTestSet: 0,
  unlabelled: 0,
  newLabels: [],
  ignored: [],
  refusals: [],
  batches: 0,
  done: 0,
  stopped: false,
};

function where(p: Problem): string {
  if (p.file === "") return "";
  return p.line !== undefined ? `${p.file} line ${p.line}` : p.field !== undefined ? `${p.file} (${p.field})` : p.file;
}

/**
 * Bringing images into the set: files, a whole folder or zips, picked or dropped, uploaded in batches
 * one after the other (the tab stays responsive with thousands), with the totals and every refusal.
 */
export function ImportPanel({
  workspaceId,
  taskId,
  taskType,
  onImported,
}: {
  workspaceId: string;
  taskId: string;
  taskType: TaskTypeName;
  onImported: () => void;
}) {
  const [format, setFormat] = useState("");
  const [progress, setProgress] = useState<{ sent: number; total: number; batch: string } | null>(null);
  const [totals, setTotals] = useState<Totals | null>(null);
  const [dragging, setDragging] = useState(false);
  const [pickError, setPickError] = useState<string | undefined>();
  const abort = useRef<AbortController | null>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const running = progress !== null;

  async function upload(picked: PickedFile[]) {
    setPickError(undefined);
    const batches = planImportBatches(picked);
    if (batches.length === 0) {
      setPickError(
        picked.length === 0
          ? "Nothing was picked."
          : `None of the ${picked.length} files is an image, a zip or a layout file (.xml, .txt, .json, .csv).`,
      );
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    const total = batches.reduce((sum, b) => sum + b.bytes, 0);
    let sent = 0;
    let sum: Totals = { ...EMPTY, batches: batches.length };
    setTotals(sum);
    try {
      for (const batch of batches) {
        if (controller.signal.aborted) break;
        setProgress({ sent, total, batch: batch.name });
        const result = await sendBatch(batch, (fraction) =>
          setProgress({ sent: sent + fraction * batch.bytes, total, batch: batch.name }),
        );
        // Stopped by the person: the batch in flight is not a refusal, and nothing after it goes up.
        if (controller.signal.aborted) {
          sum = { ...sum, stopped: true };
          setTotals(sum);
          break;
        }
        sent += batch.bytes;
        sum = add(sum, batch, result);
        setTotals(sum);
        if (result.ok) onImported();
      }
    } finally {
      abort.current = null;
      setProgress(null);
    }
  }

  function sendBatch(batch: ImportBatch, onProgress: (fraction: number) => void) {
    const form = new FormData();
    // Fields before files: the server reads them first and streams the files.
    if (format !== "") form.append("format", format);
    for (const f of batch.files) form.append("file", f.file, f.path);
    return uploadForm<ImportAnswer>(
      `/api/workspaces/${workspaceId}/tasks/${taskId}/training-images`,
      form,
      onProgress,
      abort.current?.signal,
    );
  }

  return (
    <Card data-import-panel>
      <CardHeader>
        <CardTitle>Import images</CardTitle>
        <CardDescription>
          Files, a whole folder or zips: a folder per label, a CSV or JSON list, COCO, Pascal VOC or YOLO. Images the
          set already has are recognised and not stored twice.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div
          data-drop-zone
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            if (running) return;
            filesOfDrop(e.dataTransfer).then(upload, (error: unknown) =>
              setPickError(`The dropped files could not be read: ${String(error)}`),
            );
          }}
          className={cn(
            "flex flex-col items-center gap-3 rounded-lg border border-dashed px-4 py-6 text-center text-sm",
            dragging ? "border-primary bg-primary/5" : "bg-muted/40",
          )}
        >
          <p className="text-muted-foreground">Drop images, folders or zips here, or</p>
          <div className="flex flex-wrap justify-center gap-2">
            <Button variant="outline" disabled={running} onClick={() => filesInput.current?.click()}>
              Choose files or zips
            </Button>
            <Button variant="outline" disabled={running} onClick={() => folderInput.current?.click()}>
              Choose a folder
            </Button>
          </div>
          <input
            ref={filesInput}
            id="training-files"
            aria-label="Images or zips to import"
            type="file"
            multiple
            accept="image/*,.zip,.xml,.txt,.json,.csv,.names,.yaml,.yml"
            className="hidden"
            onChange={(e) => {
              const picked = filesOfInput(e.target.files);
              e.target.value = "";
              void upload(picked);
            }}
          />
          <input
            ref={(el) => {
              folderInput.current = el;
              // React does not know the attribute; the browser needs it to pick a folder.
              el?.setAttribute("webkitdirectory", "");
            }}
            id="training-folder"
            aria-label="Folder to import"
            type="file"
            multiple
            className="hidden"
            onChange={(e) => {
              const picked = filesOfInput(e.target.files);
              e.target.value = "";
              void upload(picked);
            }}
          />
        </div>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label htmlFor="import-format" className="text-muted-foreground">
            Layout
          </label>
          <Select
            id="import-format"
            className="w-48"
            value={format}
            disabled={running}
            onChange={(e) => setFormat(e.target.value)}
          >
            <option value="">Detect from the files</option>
            {FORMATS_BY_TYPE[taskType].map((f) => (
              <option key={f.id} value={f.id}>
                {f.title}
              </option>
            ))}
          </Select>
        </div>
        <FormError message={pickError} />
        {progress !== null && (
          <div className="grid gap-2">
            <ProgressBar
              fraction={progress.total === 0 ? 1 : progress.sent / progress.total}
              label={`Uploading ${progress.batch} (${formatBytes(Math.round(progress.sent))} of ${formatBytes(progress.total)})`}
            />
            <div>
              <Button variant="outline" size="sm" onClick={() => abort.current?.abort()}>
                Stop
              </Button>
            </div>
          </div>
        )}
        {totals !== null && <ImportSummary totals={totals} running={running} />}
      </CardContent>
    </Card>
  );
}

function add(sum: Totals, batch: ImportBatch, result: Awaited<ReturnType<typeof uploadForm<ImportAnswer>>>): Totals {
  if (!result.ok) {
    const problems = (result.error.problems ?? []) as unknown as Problem[];
    return {
      ...sum,
      done: sum.done + 1,
      refusals: [...sum.refusals, { batch: batch.name, message: result.error.message, problems }],
    };
  }
  const r = result.body.import;
  return {
    ...sum,
    done: sum.done + 1,
    added: sum.added + r.added,
    duplicates: sum.duplicates + r.duplicates,
    inTestSet: sum.inTestSet + r.inTestSet,
    unlabelled: sum.unlabelled + r.unlabelled,
    newLabels: [...new Set([...sum.newLabels, ...r.newLabels])],
    ignored: [...sum.ignored, ...r.ignored],
  };
}

function ImportSummary({ totals, running }: { totals: Totals; running: boolean }) {
  return (
    <div data-import-summary className="grid gap-2 rounded-md border p-3 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-medium">
          {running ? "Importing" : totals.stopped ? "Stopped" : "Imported"}: batch {totals.done} of {totals.batches}
        </span>
        <Badge data-import-added>{totals.added} added</Badge>
        <Badge data-import-duplicates>
          {totals.duplicates} duplicate{totals.duplicates === 1 ? "" : "s"}
        </Badge>
        {totals.unlabelled > 0 && <Badge>{totals.unlabelled} without an annotation</Badge>}
        {totals.inTestSet > 0 && <Badge>{totals.inTestSet} left out: in a test set</Badge>}
        {totals.refusals.length > 0 && (
          <Badge className="border-destructive/40 bg-destructive/10 text-destructive">
            {totals.refusals.length} batch{totals.refusals.length === 1 ? "" : "es"} refused
          </Badge>
        )}
      </p>
      {totals.newLabels.length > 0 && (
        <p className="text-muted-foreground">New labels from the data: {totals.newLabels.join(", ")}</p>
      )}
      {totals.ignored.length > 0 && (
        <p className="text-muted-foreground">
          Skipped (not images or layout files): {totals.ignored.slice(0, 5).join(", ")}
          {totals.ignored.length > 5 ? ` and ${totals.ignored.length - 5} more` : ""}
        </p>
      )}
      {totals.refusals.map((r, i) => (
        <div key={i} role="alert" data-import-refusal className="rounded-md bg-destructive/10 p-2 text-destructive">
          <p className="font-medium">
            {r.batch} was refused, nothing of it was added: {r.message}
          </p>
          {r.problems.length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {r.problems.map((p, j) => (
                <li key={j}>
                  {where(p) !== "" && <span className="font-mono text-xs">{where(p)}: </span>}
                  {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}
