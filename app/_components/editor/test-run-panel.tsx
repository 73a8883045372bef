"use client";

import { useState, type DragEvent } from "react";
import { Button } from "../ui/button";
import { FormError } from "../ui/field";
import { Input } from "../ui/input";
import { boxesOf } from "./test-outcomes";

export interface TestResult {
  record: Record<string, unknown> | undefined;
  statistics: { credits: number; processing_time_ms: number };
  /** Credits left after the run. */
  balance?: number;
}

const COLOURS = ["#f97316", "#0ea5e9", "#a855f7", "#22c55e"];

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error("the file could not be read"));
    reader.readAsDataURL(blob);
  });
}

/** Choose an image (drop, pick, or URL), run the draft on it, and see the boxes and the JSON response. */
export function TestRunPanel({
  running,
  error,
  result,
  onRun,
}: {
  running: boolean;
  error: string | undefined;
  result: TestResult | undefined;
  onRun: (dataUrl: string) => void;
}) {
  const [image, setImage] = useState<string | undefined>();
  const [url, setUrl] = useState("");
  const [loadError, setLoadError] = useState<string | undefined>();
  const [over, setOver] = useState(false);

  const take = async (blob: Blob) => {
    if (!blob.type.startsWith("image/")) {
      setLoadError(`That file is ${blob.type || "not an image"}; choose a JPEG, PNG or WebP image.`);
      return;
    }
    setLoadError(undefined);
    setImage(await readAsDataUrl(blob));
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void take(file);
  };
  const fetchUrl = async () => {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      await take(await response.blob());
    } catch (cause) {
      setLoadError(
        `Could not load ${url}: ${cause instanceof Error ? cause.message : String(cause)}. Sites that do not allow it cannot be read from the browser; download the image and drop the file here.`,
      );
    }
  };

  const record = result?.record;
  const width = typeof record?._width === "number" ? record._width : undefined;
  const height = typeof record?._height === "number" ? record._height : undefined;
  const boxes = record ? boxesOf(record) : [];
  // Captions and strokes scale with the image, so they read the same on a thumbnail and on a photo.
  const unit = Math.max(width ?? 0, height ?? 0) / 100;
  return (
    <div className="grid gap-3">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`relative grid place-items-center rounded-lg border-2 border-dashed p-2 text-center text-xs text-muted-foreground ${over ? "border-primary bg-primary/5" : ""}`}
        data-test-image-drop
      >
        {image === undefined ? (
          <p className="py-6">Drop an image here, or choose a file.</p>
        ) : (
          <div className="relative w-full">
            <img src={image} alt="Test image" className="block w-full rounded" />
            {width !== undefined && height !== undefined && (
              <svg
                viewBox={`0 0 ${width} ${height}`}
                className="absolute inset-0 h-full w-full"
                aria-label="Detected objects"
                role="img"
              >
                {boxes.map((b, i) => (
                  <g key={i} data-box={b.caption}>
                    <rect
                      x={b.box[0]}
                      y={b.box[1]}
                      width={b.box[2] - b.box[0]}
                      height={b.box[3] - b.box[1]}
                      fill="none"
                      stroke={COLOURS[b.depth % COLOURS.length]}
                      strokeWidth={unit * 0.6}
                      strokeDasharray={b.depth > 0 ? `${unit * 2} ${unit}` : undefined}
                    />
                    <text
                      x={b.box[0] + unit}
                      y={b.box[1] > unit * 5 ? b.box[1] - unit : b.box[1] + unit * 4}
                      fontSize={unit * 3.5}
                      fill={COLOURS[b.depth % COLOURS.length]}
                      stroke="white"
                      strokeWidth={unit * 0.5}
                      paintOrder="stroke"
                    >
                      {b.caption}
                    </text>
                  </g>
                ))}
              </svg>
            )}
          </div>
        )}
      </div>
      <div className="flex gap-2">
        <label className="inline-flex h-8 cursor-pointer items-center rounded-md border px-3 text-xs font-medium hover:bg-accent">
          Choose image
          <input
            type="file"
            accept="image/*"
            className="sr-only"
            aria-label="Choose a test image"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void take(file);
            }}
          />
        </label>
        <Button size="sm" disabled={image === undefined} pending={running} onClick={() => image && onRun(image)}>
          Run test
        </Button>
      </div>
      <div className="flex gap-2">
        <Input
          className="h-8"
          placeholder="…or paste an image URL"
          aria-label="Image URL"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <Button size="sm" variant="outline" disabled={url.trim() === ""} onClick={() => void fetchUrl()}>
          Load
        </Button>
      </div>
      <FormError message={loadError ?? error} />
      {record && (
        <section className="grid gap-2" aria-label="Test result">
          <div className="flex flex-wrap gap-2 text-xs">
            <span
              className={`rounded px-1.5 ${(record._status as { code?: number } | undefined)?.code === 200 ? "bg-emerald-100 text-emerald-800" : "bg-destructive/10 text-destructive"}`}
            >
              {(record._status as { code?: number; text?: string } | undefined)?.code}{" "}
              {(record._status as { text?: string } | undefined)?.text}
            </span>
            <span>{boxes.length} boxes</span>
            <span data-test-cost>
              cost {result?.statistics.credits} credits
              {result?.balance === undefined ? "" : ` · ${result.balance} left`}
            </span>
            <span>{result?.statistics.processing_time_ms} ms</span>
          </div>
          <details open>
            <summary className="cursor-pointer text-xs font-medium">JSON response</summary>
            <pre className="max-h-72 overflow-auto rounded bg-muted p-2 text-[11px]" data-test-json>
              {JSON.stringify(record, null, 2)}
            </pre>
          </details>
        </section>
      )}
    </div>
  );
}
