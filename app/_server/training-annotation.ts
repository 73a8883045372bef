import type { TaskTypeName } from "@vizflow/db";
import { BOX_TOLERANCE_PX, NEGATIVE_TAG, type TrainingAnnotation } from "@vizflow/flow-engine";
import { z } from "zod";

// The shape of a training annotation as the API accepts it, and the checks that need the task (its type
// and labels) and the image (its size): one category, any tags (`Negative` alone means none of them), a
// number, or labelled boxes [xmin, ymin, xmax, ymax] in image pixels. The type is the engine's
// TrainingAnnotation (flow-engine/src/datasets), which the dataset layouts read and write.

export { NEGATIVE_TAG };

const labelName = z.string().trim().min(1, "Labels cannot be blank.").max(200, "Keep labels under 200 characters.");
const coordinate = z.number().finite("Box coordinates must be numbers.");

export const trainingAnnotationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("category"), label: labelName }),
  z.object({ kind: z.literal("tags"), tags: z.array(labelName).max(10_000) }),
  z.object({ kind: z.literal("value"), value: z.number().finite("Enter a number.") }),
  z.object({
    kind: z.literal("boxes"),
    boxes: z
      .array(z.object({ label: labelName, box: z.tuple([coordinate, coordinate, coordinate, coordinate]) }))
      .max(10_000, "An image can have at most 10,000 boxes."),
  }),
]);

// What the schema accepts is a TrainingAnnotation (checked by the compiler).
const accepted: (value: z.infer<typeof trainingAnnotationSchema>) => TrainingAnnotation = (value) => value;
void accepted;

type AnnotationKind = TrainingAnnotation["kind"];

const KIND: Record<TaskTypeName, AnnotationKind> = {
  categorization: "category",
  tagging: "tags",
  regression: "value",
  detection: "boxes",
};

/** The annotation kind a task type takes. */
export function annotationKindOf(type: TaskTypeName): AnnotationKind {
  return KIND[type];
}

/** What is wrong with `annotation` for this task and image, or undefined when it fits. */
export function annotationProblem(
  task: { readonly type: TaskTypeName; readonly labels: readonly string[] },
  image: { readonly width: number; readonly height: number; readonly fileName: string },
  annotation: TrainingAnnotation,
): string | undefined {
  if (annotation.kind !== KIND[task.type]) {
    return `A ${task.type} task takes a ${KIND[task.type]} annotation, not ${annotation.kind}.`;
  }
  const known = new Set(task.labels);
  const unknown = (label: string) => `The task has no label "${label}"; add it to the task first.`;
  switch (annotation.kind) {
    case "category":
      return known.has(annotation.label) ? undefined : unknown(annotation.label);
    case "tags": {
      if (new Set(annotation.tags).size !== annotation.tags.length) return "Each tag can be given once.";
      if (annotation.tags.includes(NEGATIVE_TAG) && annotation.tags.length > 1) {
        return `"${NEGATIVE_TAG}" means none of the labels: it cannot go with other tags.`;
      }
      const missing = annotation.tags.find((t) => t !== NEGATIVE_TAG && !known.has(t));
      return missing === undefined ? undefined : unknown(missing);
    }
    case "value":
      return undefined;
    case "boxes": {
      for (const [i, { label, box }] of annotation.boxes.entries()) {
        if (!known.has(label)) return unknown(label);
        const [xmin, ymin, xmax, ymax] = box;
        if (!(xmin < xmax && ymin < ymax)) {
          return `Box ${i + 1} (${label}) has no area: xmin must be below xmax and ymin below ymax.`;
        }
        // The same tolerance as imports, so an imported box can be saved again as it is.
        const t = BOX_TOLERANCE_PX;
        if (xmin < -t || ymin < -t || xmax > image.width + t || ymax > image.height + t) {
          return `Box ${i + 1} (${label}) [${box.join(", ")}] lies outside ${image.fileName} (${image.width}x${image.height} pixels).`;
        }
      }
      return undefined;
    }
  }
}

/** The test set's truth for an annotation (what `evaluate` compares predictions with). */
export function truthOf(annotation: TrainingAnnotation): unknown {
  switch (annotation.kind) {
    case "category":
      return annotation.label;
    case "tags":
      return annotation.tags.filter((t) => t !== NEGATIVE_TAG);
    case "value":
      return annotation.value;
    case "boxes":
      return annotation.boxes.map((b) => ({ name: b.label, box: b.box }));
  }
}

/** Images (or boxes) a label needs before a model can be trained on it; one place for every figure. */
export const TRAINING_MINIMUMS = {
  /** Images per label. */
  categorization: 5,
  /** Images per tag. */
  tagging: 5,
  /** Labelled images in all. */
  regression: 10,
  /** Boxes per label. */
  detection: 10,
} as const satisfies Record<TaskTypeName, number>;

/** Why a label has too little data to train, or undefined when it has enough. */
export function labelWarning(
  type: TaskTypeName,
  count: { readonly label: string; readonly images: number; readonly boxes: number },
): string | undefined {
  if (type === "regression") return undefined;
  const needed = TRAINING_MINIMUMS[type];
  const have = type === "detection" ? count.boxes : count.images;
  if (have >= needed) return undefined;
  const unit = type === "detection" ? "box" : "image";
  const plural = (n: number) => `${n} ${unit}${n === 1 ? "" : unit === "box" ? "es" : "s"}`;
  return `"${count.label}" has ${plural(have)}; training needs at least ${plural(needed)} per label (${needed - have} more).`;
}

/** Why the whole set has too little data (regression), or undefined. */
export function setWarning(type: TaskTypeName, annotated: number): string | undefined {
  if (type !== "regression" || annotated >= TRAINING_MINIMUMS.regression) return undefined;
  return `The set has ${annotated} image${annotated === 1 ? "" : "s"} with a value; training needs at least ${TRAINING_MINIMUMS.regression} (${TRAINING_MINIMUMS.regression - annotated} more).`;
}
