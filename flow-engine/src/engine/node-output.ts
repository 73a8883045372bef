/** Checks what an action's `run` returned against what the action declared, before anything is written. */
import {
  checkAgainstSchema,
  type ActionOutput,
  type BoundingBox,
  type DetectedObject,
  type HandleSpec,
  type JsonSchema,
} from "@vizflow/sdk";

import { errorMessage } from "./errors.js";
import { assertValidPrediction, clampObjects } from "../runtime/prediction-checks.js";

/** An output that passed the checks; `write` and `objects` are the engine's own copies. */
export interface CheckedOutput {
  write: Record<string, unknown>;
  /** Handles to take. */
  take: readonly string[];
  objects?: DetectedObject[];
  credits?: number;
  /** Objects it returned or wrote under `_objects` with no pixel inside the image, left out of both. */
  outside?: number;
}

export interface OutputRules {
  writes: JsonSchema;
  /** What the objects it returns carry besides name, prob and bound_box, when the action says. */
  objectFields?: JsonSchema | undefined;
  /** The action's handles; `take` must name only these. */
  handles: readonly HandleSpec[];
  exclusive: boolean;
  /** The root image's size: boxes are clamped to it, and objects entirely outside it dropped. */
  image?: { width: number; height: number } | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isObjectLike(value: unknown): value is DetectedObject {
  return isRecord(value) && isBox(value.bound_box);
}

function isBox(value: unknown): value is BoundingBox {
  return Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === "number" && Number.isFinite(n));
}

function checkObjects(objects: unknown, fields: JsonSchema | undefined): DetectedObject[] {
  if (!Array.isArray(objects)) throw new Error("returned `objects` that is not a list");
  objects.forEach((object: unknown, i) => {
    if (!isRecord(object) || typeof object.name !== "string" || typeof object.prob !== "number") {
      throw new Error(`returned object ${i} without a name and a prob`);
    }
    if (!isBox(object.bound_box)) throw new Error(`returned object ${i} without a bound_box [xmin, ymin, xmax, ymax]`);
    const violations = fields === undefined ? [] : checkAgainstSchema(fields, object, `object ${i}`);
    if (violations.length > 0) {
      const details = violations.map((v) => v.message).join("; ");
      throw new Error(`returned an object that does not match its declared object fields: ${details}`);
    }
  });
  return objects as DetectedObject[];
}

/**
 * Checks an output and copies its data (one structured clone, so objects that are both written under
 * `_objects` and fanned out stay the same object). Throws an Error saying what is wrong.
 */
export function checkOutput(output: unknown, rules: OutputRules): CheckedOutput {
  if (!isRecord(output)) throw new Error("returned something that is not an output object");
  const { write = {}, take, objects, credits } = output as ActionOutput;
  if (!isRecord(write)) throw new Error("returned `write` that is not an object of fields");
  // Assigning these onto a scope would change its prototype instead of writing a field.
  const unsafe = Object.keys(write).find(
    (field) => field === "__proto__" || field === "constructor" || field === "prototype",
  );
  if (unsafe !== undefined) throw new Error(`wrote a field named "${unsafe}", which is not allowed`);
  // Before the schema: NaN is a JSON Schema number, and the caller would get null for it.
  assertValidPrediction(objects === undefined ? write : { ...write, objects }, "");
  const violations = checkAgainstSchema(rules.writes, write, "the output");
  if (violations.length > 0) {
    const details = violations.map((v) => v.message).join("; ");
    throw new Error(`wrote fields that do not match its declared writes schema: ${details}`);
  }
  const handleIds = rules.handles.map((h) => h.id);
  let taken: readonly string[] = handleIds;
  if (take !== undefined) {
    if (!Array.isArray(take) || !take.every((h) => typeof h === "string")) {
      throw new Error("returned `take` that is not a list of handle ids");
    }
    const unknown = take.filter((h) => !handleIds.includes(h));
    if (unknown.length > 0) {
      throw new Error(`took handle "${unknown[0]}", which it does not have (its handles: ${handleIds.join(", ")})`);
    }
    taken = [...new Set(take)];
  }
  if (rules.exclusive && taken.length > 1) {
    throw new Error(`took ${taken.length} handles (${taken.join(", ")}) but may take at most one`);
  }
  if (credits !== undefined && !(typeof credits === "number" && Number.isFinite(credits) && credits >= 0)) {
    throw new Error("returned `credits` that is not a non-negative number");
  }
  const checkedObjects = objects === undefined ? undefined : checkObjects(objects, rules.objectFields);
  let copy: { write: Record<string, unknown>; objects?: DetectedObject[] };
  try {
    copy = structuredClone(checkedObjects === undefined ? { write } : { write, objects: checkedObjects });
  } catch (error) {
    throw new Error(`returned data that is not plain JSON-like data: ${errorMessage(error)}`);
  }
  let outside = 0;
  if (rules.image !== undefined) {
    // In place on the copy: an object written under `_objects` and returned is one object.
    const written = Array.isArray(copy.write._objects) ? (copy.write._objects as DetectedObject[]) : [];
    const all = [...new Set([...written.filter(isObjectLike), ...(copy.objects ?? [])])];
    const out = clampObjects(all, rules.image.width, rules.image.height);
    if (out.size > 0) {
      outside = out.size;
      if (written.length > 0) copy.write._objects = written.filter((o) => !out.has(o));
      if (copy.objects !== undefined) copy.objects = copy.objects.filter((o) => !out.has(o));
    }
  }
  return {
    write: copy.write,
    take: taken,
    ...(copy.objects === undefined ? {} : { objects: copy.objects }),
    ...(credits === undefined ? {} : { credits }),
    ...(outside > 0 ? { outside } : {}),
  };
}
