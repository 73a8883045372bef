"use client";

import { useEffect, useState } from "react";
import { labelListDifferences } from "@vizflow/sdk";
import { Button } from "../ui/button";
import type { AdapterFields } from "./adapter-fields";
import { LabelLines } from "./label-list-field";
import { outputClassCount, readOnnxOutline, type OnnxOutline } from "./onnx-outline";
import type { TaskType } from "./task-types";

/** What the upload dialog knows of the chosen file's class count. */
export type ModelClasses =
  | { readonly state: "none" }
  | { readonly state: "reading" }
  | { readonly state: "unknown"; readonly why: string }
  | { readonly state: "known"; readonly count: number; readonly output: string };

/**
 * Before upload: the model's class count (read from the chosen file) against the labels its outputs will
 * get (Output classes, or else the task's labels), and Output classes against the task's labels (which
 * are missing, which the task lacks), so that a mismatch is seen before the server refuses it.
 */
export function OutputClassesCheck({
  outputClasses,
  taskLabels,
  model,
  onUseTaskLabels,
}: {
  /** Output classes as read from the box; empty when the box is empty. */
  outputClasses: readonly string[];
  taskLabels: readonly string[];
  model: ModelClasses;
  onUseTaskLabels: () => void;
}) {
  const given = outputClasses.length > 0;
  const labels = given ? outputClasses : taskLabels;
  const source = given ? "Output classes list" : "the task has";
  const { missing, extra } = labelListDifferences(outputClasses, taskLabels);
  const sameAsTask =
    given && outputClasses.length === taskLabels.length && outputClasses.every((c, i) => c === taskLabels[i]);
  return (
    <div className="grid gap-2 text-xs" data-testid="output-classes-check">
      {model.state === "reading" && <p className="text-muted-foreground">Reading the model&apos;s outputs…</p>}
      {model.state === "unknown" && <p className="text-muted-foreground">{model.why}</p>}
      {model.state === "known" &&
        (model.count === labels.length ? (
          <p className="text-emerald-700 dark:text-emerald-400" data-testid="class-count">
            ✓ The model outputs {model.count} classes (output “{model.output}”) and {source} {labels.length} labels.
          </p>
        ) : (
          <p
            className="rounded-md border border-destructive/40 bg-destructive/5 p-2 text-destructive"
            role="alert"
            data-testid="class-count"
          >
            The model outputs {model.count} classes (output “{model.output}”) but {source} {labels.length} label
            {labels.length === 1 ? "" : "s"}.{" "}
            {given
              ? "List one class per output, in output order."
              : `Give the task one label per output (in output order), or list the model's ${model.count} classes in Output classes.`}
          </p>
        ))}
      {given && sameAsTask && (
        <p className="text-muted-foreground">
          Output classes are the task&apos;s labels in the same order: the box can stay empty.{" "}
          <Button type="button" size="sm" variant="ghost" onClick={onUseTaskLabels}>
            Empty it
          </Button>
        </p>
      )}
      {given && extra.length > 0 && (
        <div
          className="grid gap-1 rounded-md border border-destructive/40 bg-destructive/5 p-2"
          data-testid="extra-classes"
        >
          <p className="text-destructive">
            {extra.length} output class{extra.length === 1 ? " is not a label" : "es are not labels"} of the task (the
            upload is refused: each output class must be one of the task&apos;s labels):
          </p>
          <LabelLines names={extra} className="max-h-28 bg-background" limit={200} numbered={false} />
        </div>
      )}
      {given && missing.length > 0 && (
        <div className="grid gap-1 rounded-md border p-2" data-testid="missing-classes">
          <p className="text-muted-foreground">
            {missing.length} label{missing.length === 1 ? "" : "s"} of the task {missing.length === 1 ? "is" : "are"} in
            no output class (this model never predicts {missing.length === 1 ? "it" : "them"}):
          </p>
          <LabelLines names={missing} className="max-h-28" limit={200} numbered={false} />
        </div>
      )}
    </div>
  );
}

/** The chosen file's inputs and outputs, read in the browser (undefined: none chosen or still reading). */
function useOnnxOutline(file: File | undefined): OnnxOutline | "unreadable" | "reading" | undefined {
  const [outline, setOutline] = useState<{ file: File; outline: OnnxOutline | "unreadable" } | undefined>();
  useEffect(() => {
    if (file === undefined) return;
    let current = true;
    readOnnxOutline(file).then(
      (read) => {
        if (current) setOutline({ file, outline: read ?? "unreadable" });
      },
      () => {
        if (current) setOutline({ file, outline: "unreadable" });
      },
    );
    return () => {
      current = false;
    };
  }, [file]);
  if (file === undefined) return undefined;
  return outline?.file === file ? outline.outline : "reading";
}

const CLASS_DECODERS = new Set(["softmax", "sigmoid", "identity"]);

/** The chosen file's class count for the check under Output classes, when the decoder reads classes. */
export function useModelClasses(file: File | undefined, fields: AdapterFields, taskType: TaskType): ModelClasses {
  return classesOf(useOnnxOutline(file), file, fields, taskType);
}

function classesOf(
  outline: OnnxOutline | "unreadable" | "reading" | undefined,
  file: File | undefined,
  fields: AdapterFields,
  taskType: TaskType,
): ModelClasses {
  if (file === undefined || taskType === "regression" || !CLASS_DECODERS.has(fields.decoder)) return { state: "none" };
  if (outline === "reading" || outline === undefined) return { state: "reading" };
  const unknown = "The model's class count could not be read from this file; it is checked when you upload.";
  if (outline === "unreadable") return { state: "unknown", why: unknown };
  let name: string | undefined;
  try {
    const params = JSON.parse(fields.params) as { output?: unknown } | null;
    if (typeof params?.output === "string") name = params.output;
  } catch {
    // The decoder parameters' own error is shown on upload; the first output is the default.
  }
  const count = outputClassCount(outline, name);
  const output = name ?? outline.outputs[0]?.name ?? "";
  return count === undefined ? { state: "unknown", why: unknown } : { state: "known", count, output };
}
