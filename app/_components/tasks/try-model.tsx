"use client";

import { useEffect, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { useWorkspace } from "../shell/workspace-context";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError } from "../ui/field";
import { Select } from "../ui/select";

interface VersionOption {
  id: string;
  version: number;
  active: boolean;
}

const COLOURS = ["#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2"];

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result.replace(/^data:[^,]*,/, "") : "");
    reader.onerror = () => reject(reader.error ?? new Error("the file could not be read"));
    reader.readAsDataURL(file);
  });
}

/** Drop an image, run a model version on it in the server's runtime, see labels or boxes with timing. */
export function TryModel({ taskId, versions }: { taskId: string; versions: readonly VersionOption[] }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const active = versions.find((v) => v.active);
  const [picked, setVersionId] = useState("");
  // The active version until the user picks one (also after versions load or change).
  const versionId = versions.some((v) => v.id === picked) ? picked : (active?.id ?? versions[0]?.id ?? "");
  const [image, setImage] = useState<{ url: string; name: string } | undefined>();
  const [dragging, setDragging] = useState(false);
  const run = useMutation(trpc.modelVersion.try.mutationOptions());

  useEffect(() => () => (image === undefined ? undefined : URL.revokeObjectURL(image.url)), [image]);

  const tryFile = async (file: File | undefined) => {
    if (!file) return;
    setImage({ url: URL.createObjectURL(file), name: file.name });
    run.mutate({ workspaceId: workspace.id, taskId, modelVersionId: versionId, image: await toBase64(file) });
  };

  const result = run.data;
  const prediction = result?.prediction;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Try a model</CardTitle>
        <CardDescription>Drop an image to run a model version on it. The image is not stored.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {versions.length === 0 ? (
          <p className="text-sm text-muted-foreground">Upload a model version first.</p>
        ) : (
          <>
            <label className="flex items-center gap-2 text-sm">
              Version
              <Select
                value={versionId}
                onChange={(e) => setVersionId(e.target.value)}
                className="sm:w-56"
                aria-label="Version to try"
              >
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    v{v.version}
                    {v.active ? " (active)" : ""}
                  </option>
                ))}
              </Select>
            </label>
            <label
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => {
                e.preventDefault();
                setDragging(false);
                void tryFile(e.dataTransfer.files[0]);
              }}
              className={`flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed px-4 py-8 text-sm text-muted-foreground ${dragging ? "border-primary bg-primary/5" : ""}`}
            >
              <span>Drop an image here, or click to choose one</span>
              <input
                type="file"
                accept="image/*"
                className="sr-only"
                aria-label="Image to try"
                onChange={(e) => void tryFile(e.target.files?.[0])}
              />
            </label>
          </>
        )}
        <FormError message={run.error?.message} />
        {run.isPending && <p className="text-sm text-muted-foreground">Running the model…</p>}
        {image !== undefined && result !== undefined && prediction !== undefined && (
          <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_18rem]" data-testid="try-result">
            <div className="relative w-full max-w-xl self-start">
              <img src={image.url} alt={image.name} className="block w-full rounded-md" />
              {prediction.type === "detection" && (
                <svg
                  viewBox={`0 0 ${result.width} ${result.height}`}
                  className="absolute inset-0 h-full w-full"
                  preserveAspectRatio="none"
                  aria-label="Detected objects"
                >
                  {prediction.result.map((o, i) => {
                    const [x1, y1, x2, y2] = o.bound_box;
                    const colour = COLOURS[i % COLOURS.length];
                    // The image fills at most ~576 px across: about 14 px text whatever its own size.
                    const font = Math.max(result.width, result.height) / 40;
                    return (
                      <g key={i} data-object={o.name}>
                        {/* A white outline under the coloured one keeps boxes visible on any image. */}
                        <rect
                          x={x1}
                          y={y1}
                          width={x2 - x1}
                          height={y2 - y1}
                          fill="none"
                          stroke="white"
                          strokeWidth={4}
                          vectorEffect="non-scaling-stroke"
                        />
                        <rect
                          x={x1}
                          y={y1}
                          width={x2 - x1}
                          height={y2 - y1}
                          fill="none"
                          stroke={colour}
                          strokeWidth={2}
                          vectorEffect="non-scaling-stroke"
                        />
                        <text
                          x={x1 + font / 3}
                          y={y1 + font * 1.1}
                          fill={colour}
                          fontSize={font}
                          fontWeight={600}
                          stroke="white"
                          strokeWidth={font / 8}
                          paintOrder="stroke"
                        >
                          {o.name} {(o.prob * 100).toFixed(0)}%
                        </text>
                      </g>
                    );
                  })}
                </svg>
              )}
            </div>
            <div className="grid content-start gap-3 text-sm">
              <p className="text-muted-foreground">
                v{result.version} · {result.width}×{result.height} px · model {result.timing.modelMs.toFixed(0)} ms ·
                total {result.timing.totalMs.toFixed(0)} ms
              </p>
              <p className="text-muted-foreground" data-try-cost>
                Cost {result.credits} credit{result.credits === 1 ? "" : "s"} · {result.balance} left this period
              </p>
              <PredictionList prediction={prediction} />
            </div>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

type Prediction =
  | {
      type: "categorization";
      result: { best_label: { name: string; prob: number }; labels: { name: string; prob: number }[] };
    }
  | { type: "tagging"; result: { labels: { name: string; prob: number }[] } }
  | { type: "regression"; result: number }
  | { type: "detection"; result: { name: string; prob: number; bound_box: [number, number, number, number] }[] };

function PredictionList({ prediction }: { prediction: Prediction }) {
  if (prediction.type === "regression") {
    return (
      <p className="text-2xl font-semibold" data-testid="prediction-value">
        {prediction.result.toFixed(3)}
      </p>
    );
  }
  const rows =
    prediction.type === "detection"
      ? prediction.result.map((o) => ({ name: o.name, prob: o.prob }))
      : prediction.result.labels.slice(0, 10);
  if (rows.length === 0) {
    return (
      <p className="text-muted-foreground">
        {prediction.type === "detection" ? "No objects found." : "No label over the threshold."}
      </p>
    );
  }
  return (
    <ul className="grid gap-2" aria-label="Prediction">
      {rows.map((row, i) => (
        <li key={i} className="grid gap-1" data-label={row.name}>
          <div className="flex justify-between gap-2">
            <span className="truncate font-medium">{row.name}</span>
            <span className="tabular-nums text-muted-foreground">{(row.prob * 100).toFixed(1)}%</span>
          </div>
          <div className="h-1.5 overflow-hidden rounded-full bg-muted">
            <div className="h-full bg-primary" style={{ width: `${Math.round(row.prob * 100)}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}
