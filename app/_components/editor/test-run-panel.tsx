"use client";

import { useState, type DragEvent } from "react";
import { Button } from "../ui/button";
import { FormError } from "../ui/field";
import { Input } from "../ui/input";
import { BoxedImage } from "./boxed-image";
import { boxesOf, type DrawnBox } from "./test-outcomes";

export interface TestResult {
  record: Record<string, unknown> | undefined;
  statistics: { credits: number; processing_time_ms: number };
  /** Credits left after the run. */
  balance?: number;
}

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
  onPickBox,
}: {
  running: boolean;
  error: string | undefined;
  result: TestResult | undefined;
  onRun: (dataUrl: string) => void;
  /** A box was clicked: show what ran on that object. */
  onPickBox?: ((box: DrawnBox) => void) | undefined;
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
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-3">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`relative rounded-lg border-2 border-dashed p-2 text-center text-xs text-muted-foreground ${over ? "border-primary bg-primary/5" : ""}`}
        data-test-image-drop
      >
        {image === undefined ? (
          <p className="py-6">Drop an image here, or choose a file.</p>
        ) : (
          <BoxedImage image={image} record={record} onPickBox={onPickBox} />
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
        <section className="grid grid-cols-[minmax(0,1fr)] gap-2" aria-label="Test result">
          <div className="flex flex-wrap gap-2 text-xs">
            <span
              className={`rounded px-1.5 ${(record._status as { code?: number } | undefined)?.code === 200 ? "bg-emerald-100 text-emerald-800" : "bg-destructive/10 text-destructive"}`}
            >
              {(record._status as { code?: number; text?: string } | undefined)?.code}{" "}
              {(record._status as { text?: string } | undefined)?.text}
            </span>
            <span>{record ? boxesOf(record).length : 0} boxes</span>
            <span data-test-cost>
              cost {result?.statistics.credits} credit{result?.statistics.credits === 1 ? "" : "s"}
              {result?.balance === undefined ? "" : ` · ${result.balance} left`}
            </span>
            <span>{result?.statistics.processing_time_ms} ms</span>
          </div>
          <details open>
            <summary className="cursor-pointer text-xs font-medium">JSON response</summary>
            <pre
              className="max-h-72 max-w-full overflow-auto whitespace-pre-wrap rounded bg-muted p-2 text-[11px] wrap-anywhere"
              data-test-json
            >
              {JSON.stringify(record, null, 2)}
            </pre>
          </details>
        </section>
      )}
    </div>
  );
}
