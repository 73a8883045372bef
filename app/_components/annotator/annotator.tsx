"use client";

import { useCallback, useEffect, useRef } from "react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { keyAction, keyBelongsToTarget, type KeyTarget } from "./annotator-keys";
import { annotationOf, boxesOf, isProposed } from "./annotator-state";
import { AnnotatorStage } from "./annotator-stage";
import { LabelPicker, ShortcutLegend, ValueField } from "./annotator-panel";
import { useAnnotator } from "./use-annotator";
import type { AnnotatorProps, TrainingAnnotation } from "./types";

export type { AnnotatorImage, AnnotatorProps, TrainingAnnotation } from "./types";

const STATUS_TEXT = { unlabelled: "Unlabelled", labelled: "Labelled", verified: "Verified" } as const;

/**
 * The keyboard-first annotator for one task's images: categories, tags, values or boxes. It makes no
 * server calls: edits go out through `onChange` (one call per edit), moving through `onIndexChange`.
 * The keys work anywhere on the page except while typing in a field; the legend lists them.
 */
export function Annotator(props: AnnotatorProps) {
  const { taskType, labels, images, index, readOnly = false } = props;
  // The value field's "start typing" (focus, and begin with the digit pressed), set by the field.
  const startValue = useRef<((text: string | undefined) => void) | null>(null);
  const focusValue = useCallback((text: string | undefined) => startValue.current?.(text), []);
  const { state, dispatch } = useAnnotator(props, focusValue);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // A dialog open over the page has the keys to itself.
      if (event.defaultPrevented || document.querySelector("dialog[open]") !== null) return;
      const action = keyAction(event, taskType, keyBelongsToTarget(event.key, event.target as KeyTarget | null));
      if (action === undefined) return;
      event.preventDefault();
      dispatch(action);
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.key === " ") dispatch({ type: "space", down: false });
    };
    const onBlur = () => dispatch({ type: "space", down: false });
    window.addEventListener("keydown", onKeyDown);
    window.addEventListener("keyup", onKeyUp);
    window.addEventListener("blur", onBlur);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("keyup", onKeyUp);
      window.removeEventListener("blur", onBlur);
    };
  }, [dispatch, taskType]);

  const image = images[index];
  if (image === undefined) {
    return <p className="rounded-md border p-6 text-sm text-muted-foreground">No images to annotate.</p>;
  }
  // Until the state has taken in another image (a layout effect away), the old image's selection and
  // drag do not belong to this one.
  const shown = state.imageId === image.id ? state : { ...state, selected: null, drag: null, armed: false };
  const annotation = annotationOf(state, image);
  const proposed = isProposed(state, image);
  const boxes = boxesOf(annotation);
  const selected = shown.selected !== null ? boxes[shown.selected] : undefined;

  return (
    <div data-annotator className="flex flex-col gap-3 lg:flex-row">
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <Button
            variant="outline"
            size="sm"
            disabled={index === 0}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => dispatch({ type: "navigate", delta: -1 })}
            aria-label="Previous image"
          >
            ←
          </Button>
          <span data-image-position className="tabular-nums text-muted-foreground">
            {index + 1} / {images.length}
          </span>
          <Button
            variant="outline"
            size="sm"
            disabled={index + 1 >= images.length}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => dispatch({ type: "navigate", delta: 1 })}
            aria-label="Next image"
          >
            →
          </Button>
          <span className="min-w-0 truncate font-medium" title={image.fileName}>
            {image.fileName}
          </span>
          <span className="text-xs text-muted-foreground">
            {image.width}×{image.height}
          </span>
          {image.status !== undefined && <Badge data-status={image.status}>{STATUS_TEXT[image.status]}</Badge>}
        </div>
        <AnnotatorStage
          image={image}
          labels={labels}
          boxes={boxes}
          proposed={proposed}
          detection={taskType === "detection"}
          readOnly={readOnly}
          state={shown}
          dispatch={dispatch}
          height={props.height ?? "min(72vh, 900px)"}
        />
        <p data-annotation-summary className={cn("text-sm", annotation === null && "text-muted-foreground")}>
          {summary(annotation, selected?.label)}
        </p>
      </div>
      <aside className="flex w-full shrink-0 flex-col gap-4 lg:w-72">
        {/* Beside the image, not above it: a proposal coming or going never moves the image. */}
        {proposed && (
          <section
            data-proposal
            aria-label="Model proposal"
            className="grid gap-2 rounded-md border border-dashed border-amber-500 bg-amber-50 p-2 text-amber-900"
          >
            <p className="text-sm font-medium">Proposed by a model</p>
            <p className="text-xs">
              {readOnly ? "No member has accepted it yet." : "Accept it as it is, edit it, or reject it."}
            </p>
            {!readOnly && (
              <div className="flex gap-2">
                <Button
                  size="sm"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => dispatch({ type: "acceptProposal" })}
                >
                  Accept (A)
                </Button>
                <Button
                  size="sm"
                  variant="outline"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => dispatch({ type: "rejectProposal" })}
                >
                  Reject (X)
                </Button>
              </div>
            )}
          </section>
        )}
        {taskType === "regression" ? (
          <ValueField
            imageId={image.id}
            value={annotation?.kind === "value" ? annotation.value : null}
            startRef={startValue}
            readOnly={readOnly}
            onCommit={(value) => dispatch({ type: "setValue", value })}
            onCommitAndNext={(value) => {
              dispatch({ type: "setValue", value });
              dispatch({ type: "confirmAndNext" });
            }}
          />
        ) : (
          <LabelPicker
            taskType={taskType}
            labels={labels}
            annotation={annotation}
            selectedLabel={selected?.label}
            nextLabel={shown.nextLabel}
            readOnly={readOnly}
            onPick={(label) => dispatch({ type: "pickLabel", label })}
            onNegative={() => dispatch({ type: "toggleNegative" })}
          />
        )}
        <section aria-label="Keyboard shortcuts" className="rounded-md border p-2">
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted-foreground">Keys</h3>
          <ShortcutLegend taskType={taskType} readOnly={readOnly} />
        </section>
      </aside>
    </div>
  );
}

function summary(annotation: TrainingAnnotation | null, selectedLabel: string | undefined): string {
  if (annotation === null) return "Not annotated yet.";
  switch (annotation.kind) {
    case "category":
      return `Label: ${annotation.label}`;
    case "tags":
      return annotation.tags.length === 0 ? "No tags." : `Tags: ${annotation.tags.join(", ")}`;
    case "value":
      return `Value: ${annotation.value}`;
    case "boxes": {
      const count = `${annotation.boxes.length} ${annotation.boxes.length === 1 ? "box" : "boxes"}`;
      return selectedLabel === undefined ? count : `${count} · selected: ${selectedLabel}`;
    }
  }
}
