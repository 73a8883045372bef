/**
 * One image's working copy in the annotator: the annotation shown, its undo history, and how it keeps
 * in step with the `images` prop (a late echo of an edit is not news; a change from elsewhere is).
 */
import type { AnnotatorImage, LabelledBox, TrainingAnnotation } from "./types";

/** How many steps back undo goes, per image. */
export const HISTORY_LIMIT = 100;

type Annotation = TrainingAnnotation | null;

export interface ImageDoc {
  /** The `annotation` of the image as last received through props (compared by reference). */
  base: Annotation;
  annotation: Annotation;
  past: Annotation[];
  future: Annotation[];
  /** Edits reported but not yet seen coming back through props (so a late echo is not taken as news). */
  pending: Annotation[];
  /** The person accepted, edited or rejected the model's proposal. */
  proposalSettled: boolean;
}

/** Structural equality of two annotations (tags in order; boxes in order). */
export function sameAnnotation(a: Annotation, b: Annotation): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.kind !== b.kind) return false;
  switch (a.kind) {
    case "category":
      return a.label === (b as typeof a).label;
    case "value":
      return a.value === (b as typeof a).value;
    case "tags": {
      const other = (b as typeof a).tags;
      return a.tags.length === other.length && a.tags.every((t, i) => t === other[i]);
    }
    case "boxes": {
      const other = (b as typeof a).boxes;
      return a.boxes.length === other.length && a.boxes.every((x, i) => sameBox(x, other[i]));
    }
  }
}

export function sameBox(a: LabelledBox, b: LabelledBox | undefined): boolean {
  return b !== undefined && a.label === b.label && a.box.every((v, i) => v === b.box[i]);
}

function fresh(annotation: Annotation): ImageDoc {
  return { base: annotation, annotation, past: [], future: [], pending: [], proposalSettled: false };
}

/** The doc after the image came (again) through props; the same doc where nothing is new. */
export function syncedDoc(doc: ImageDoc | undefined, image: AnnotatorImage): ImageDoc {
  if (doc === undefined) return fresh(image.annotation);
  if (doc.base === image.annotation) return doc;
  if (sameAnnotation(image.annotation, doc.annotation)) return { ...doc, base: image.annotation, pending: [] };
  if (doc.pending.some((p) => sameAnnotation(p, image.annotation))) return { ...doc, base: image.annotation };
  // Someone else changed it (a proposal came, another member edited): theirs is shown, and undo starts
  // again from it rather than silently putting back what they replaced.
  return fresh(image.annotation);
}

/** The doc with `annotation` as one undoable step; undefined where it changes nothing. */
export function editedDoc(doc: ImageDoc, annotation: Annotation): ImageDoc | undefined {
  if (sameAnnotation(doc.annotation, annotation)) return undefined;
  return {
    ...doc,
    annotation,
    past: [...doc.past, doc.annotation].slice(-HISTORY_LIMIT),
    future: [],
    pending: [...doc.pending, annotation].slice(-HISTORY_LIMIT),
    proposalSettled: true,
  };
}

/** The doc one step back (-1, undo) or forward (1, redo); undefined where there is none. */
export function travelledDoc(doc: ImageDoc, direction: -1 | 1): ImageDoc | undefined {
  const from = direction === -1 ? doc.past : doc.future;
  if (from.length === 0) return undefined;
  const annotation = from[from.length - 1] as Annotation;
  const rest = from.slice(0, -1);
  return {
    ...doc,
    annotation,
    past: direction === -1 ? rest : [...doc.past, doc.annotation],
    future: direction === -1 ? [...doc.future, doc.annotation] : rest,
    pending: [...doc.pending, annotation].slice(-HISTORY_LIMIT),
    proposalSettled: true,
  };
}
