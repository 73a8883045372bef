import { randomUUID } from "node:crypto";
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from "kysely";
import { DataError } from "./errors.js";
import { jsonb } from "./json.js";
import type { DB } from "./schema.js";
import type {
  AnnotationSource,
  PreannotationFailure,
  PreannotationStatus,
  TrainingImageSource,
} from "./schema-training.js";
import { lockTask, taskNotFound } from "./tasks.js";

// A task's training set: images (one row per workspace and content, the bytes in the training-image blob
// store) in tasks' sets (items), each with an annotation (the engine's TrainingAnnotation; the data layer
// stores it as given) and who gave it. Review: a member who sets an annotation confirms it; others confirm
// it by `confirmTrainingItems`; an item is verified once `checks_required` different members confirmed
// its current annotation. Changing the annotation starts the review again. Imported annotations and model
// proposals are confirmed by nobody; a proposal counts as unlabelled until a member accepts it.

/** An item's review state: no annotation (or only a proposal), annotated, or confirmed by enough members. */
export type TrainingStatus = "unlabelled" | "labelled" | "verified";
export const TRAINING_STATUSES: readonly TrainingStatus[] = ["unlabelled", "labelled", "verified"];

/** One image of a task's training set, as the grid and the annotator show it. */
export interface TrainingItemInfo {
  readonly imageId: string;
  readonly position: number;
  readonly fileName: string;
  readonly sha256: string;
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly source: TrainingImageSource;
  /** A TrainingAnnotation, or null when unlabelled. */
  readonly annotation: unknown;
  readonly annotationSource: AnnotationSource | null;
  /** True while the annotation is a model's proposal no member has accepted, edited or rejected. */
  readonly proposed: boolean;
  readonly proposedByModelVersionId: string | null;
  readonly annotatedBy: string | null;
  readonly annotatedAt: Date | null;
  /** The members who confirmed the current annotation. */
  readonly confirmedBy: readonly string[];
  readonly status: TrainingStatus;
  readonly addedAt: Date;
}

export interface TrainingListFilter {
  /** Items whose annotation names this label (the category, a tag, or a box's label). */
  readonly label?: string;
  readonly status?: TrainingStatus;
  /** true: only model proposals; false: only items that are not proposals. */
  readonly proposed?: boolean;
  /** Part of the file name, case-insensitive. */
  readonly search?: string;
}

/** An image to add to a set: already stored in the training-image blob store. */
export interface NewTrainingImage {
  readonly sha256: string;
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly fileName: string;
  /** A TrainingAnnotation from an imported layout, or null. */
  readonly annotation: unknown;
}

export interface AddTrainingItemsResult {
  /** Items added, in the order given. */
  readonly added: readonly { readonly imageId: string; readonly sha256: string; readonly annotation: unknown }[];
  /** Images the set already had (or that came twice in this batch): counted, not stored again. */
  readonly duplicates: readonly string[];
  /** Images of the task's test sets, left out so the two sets never share an image. */
  readonly inTestSet: readonly string[];
}

const CHUNK = 1000;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < list.length; start += CHUNK) out.push(list.slice(start, start + CHUNK));
  return out;
}

/**
 * Adds images (stored by the caller) with their imported annotations to a task's set, in one transaction:
 * the task's missing labels (`newLabels`) are added too. An image the set already has keeps its item and
 * annotation (counted as a duplicate); one that a test set of the task holds is left out unless
 * `allowTestImages`.
 */
export async function addTrainingItems(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  input: {
    readonly createdBy: string;
    readonly source: TrainingImageSource;
    readonly images: readonly NewTrainingImage[];
    readonly newLabels?: readonly string[];
    readonly allowTestImages?: boolean;
  },
): Promise<AddTrainingItemsResult> {
  return db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    if (input.newLabels && input.newLabels.length > 0) await addMissingLabels(trx, taskId, input.newLabels);

    const seen = new Set<string>();
    const duplicates: string[] = [];
    const unique: NewTrainingImage[] = [];
    for (const image of input.images) {
      if (seen.has(image.sha256)) duplicates.push(image.fileName);
      else {
        seen.add(image.sha256);
        unique.push(image);
      }
    }
    const inTest = new Set<string>();
    if (!input.allowTestImages) {
      for (const part of chunks(unique.map((i) => i.sha256))) {
        const rows = await trx
          .selectFrom("test_set_image")
          .innerJoin("test_set", "test_set.id", "test_set_image.test_set_id")
          .select("test_set_image.sha256")
          .where("test_set.task_id", "=", taskId)
          .where("test_set_image.sha256", "in", part)
          .execute();
        for (const r of rows) inTest.add(r.sha256);
      }
    }
    const inTestSet = unique.filter((i) => inTest.has(i.sha256)).map((i) => i.fileName);
    const candidates = unique.filter((i) => !inTest.has(i.sha256));

    // One image row per workspace and content: shared by every task's set that holds the same bytes.
    const idBySha = new Map<string, string>();
    for (const part of chunks(candidates)) {
      await trx
        .insertInto("training_image")
        .values(
          part.map((image) => ({
            id: randomUUID(),
            workspace_id: workspaceId,
            sha256: image.sha256,
            size: image.size,
            width: image.width,
            height: image.height,
            file_name: image.fileName,
            source: input.source,
            created_by: input.createdBy,
          })),
        )
        .onConflict((oc) => oc.columns(["workspace_id", "sha256"]).doNothing())
        .execute();
      const rows = await trx
        .selectFrom("training_image")
        .select(["id", "sha256"])
        .where("workspace_id", "=", workspaceId)
        .where(
          "sha256",
          "in",
          part.map((i) => i.sha256),
        )
        .execute();
      for (const r of rows) idBySha.set(r.sha256, r.id);
    }
    const present = new Set<string>();
    for (const part of chunks([...idBySha.values()])) {
      const rows = await trx
        .selectFrom("training_item")
        .select("image_id")
        .where("task_id", "=", taskId)
        .where("image_id", "in", part)
        .execute();
      for (const r of rows) present.add(r.image_id);
    }
    const added: { imageId: string; sha256: string; annotation: unknown }[] = [];
    for (const image of candidates) {
      const imageId = idBySha.get(image.sha256) as string;
      if (present.has(imageId)) duplicates.push(image.fileName);
      else added.push({ imageId, sha256: image.sha256, annotation: image.annotation ?? null });
    }
    let position = await lastPosition(trx, taskId);
    for (const part of chunks(added)) {
      await trx
        .insertInto("training_item")
        .values(
          part.map((item) => ({
            task_id: taskId,
            image_id: item.imageId,
            position: ++position,
            annotation: item.annotation === null ? null : jsonb(item.annotation),
            annotation_source: item.annotation === null ? null : ("import" as const),
            annotated_by: item.annotation === null ? null : input.createdBy,
            annotated_at: item.annotation === null ? null : new Date(),
          })),
        )
        .execute();
    }
    return { added, duplicates, inTestSet };
  });
}

async function lastPosition(trx: Transaction<DB>, taskId: string): Promise<number> {
  const row = await trx
    .selectFrom("training_item")
    .select((eb) => eb.fn.max("position").as("last"))
    .where("task_id", "=", taskId)
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}

async function addMissingLabels(trx: Transaction<DB>, taskId: string, labels: readonly string[]): Promise<void> {
  const existing = await trx
    .selectFrom("task_label")
    .select(["name", "position"])
    .where("task_id", "=", taskId)
    .execute();
  const have = new Set(existing.map((e) => e.name));
  const missing = [...new Set(labels.map((l) => l.trim()))].filter((l) => l !== "" && !have.has(l));
  if (missing.length === 0) return;
  const next = existing.reduce((max, e) => Math.max(max, e.position + 1), 0);
  await trx
    .insertInto("task_label")
    .values(missing.map((name, i) => ({ task_id: taskId, name, position: next + i })))
    .execute();
  await trx.updateTable("task").set({ updated_at: new Date() }).where("id", "=", taskId).execute();
}

function statusExpression() {
  return sql<TrainingStatus>`case
    when training_item.annotation is null or training_item.annotation_source = 'model' then 'unlabelled'
    when (select count(*) from training_confirmation c
          where c.task_id = training_item.task_id and c.image_id = training_item.image_id) >= task.checks_required
      then 'verified'
    else 'labelled' end`;
}

/** Items naming `label`: the category, one of the tags, or a box's label. */
function labelCondition(label: string): Expression<SqlBool> {
  return sql<SqlBool>`(training_item.annotation->>'label' = ${label}
    or training_item.annotation->'tags' @> cast(${JSON.stringify([label])} as jsonb)
    or training_item.annotation->'boxes' @> cast(${JSON.stringify([{ label }])} as jsonb))`;
}

function itemsQuery(db: Kysely<DB>, workspaceId: string, taskId: string) {
  return db
    .selectFrom("training_item")
    .innerJoin("task", "task.id", "training_item.task_id")
    .innerJoin("training_image", "training_image.id", "training_item.image_id")
    .where("task.id", "=", taskId)
    .where("task.workspace_id", "=", workspaceId)
    .where("training_image.workspace_id", "=", workspaceId)
    .select([
      "training_item.image_id",
      "training_item.position",
      "training_item.annotation",
      "training_item.annotation_source",
      "training_item.proposed_by_model_version_id",
      "training_item.annotated_by",
      "training_item.annotated_at",
      "training_item.added_at",
      "training_image.file_name",
      "training_image.sha256",
      "training_image.size",
      "training_image.width",
      "training_image.height",
      "training_image.source",
    ])
    .select(statusExpression().as("status"));
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof itemsQuery>["execute"]>>[number];

async function withConfirmations(
  db: Kysely<DB>,
  taskId: string,
  rows: readonly ItemRow[],
): Promise<TrainingItemInfo[]> {
  const confirmedBy = new Map<string, string[]>();
  for (const part of chunks(rows.map((r) => r.image_id))) {
    const confirmations = await db
      .selectFrom("training_confirmation")
      .select(["image_id", "user_id"])
      .where("task_id", "=", taskId)
      .where("image_id", "in", part)
      .orderBy("created_at")
      .orderBy("user_id")
      .execute();
    for (const c of confirmations) {
      const list = confirmedBy.get(c.image_id) ?? [];
      list.push(c.user_id);
      confirmedBy.set(c.image_id, list);
    }
  }
  return rows.map((r) => ({
    imageId: r.image_id,
    position: r.position,
    fileName: r.file_name,
    sha256: r.sha256,
    size: Number(r.size),
    width: r.width,
    height: r.height,
    source: r.source,
    annotation: r.annotation ?? null,
    annotationSource: r.annotation_source,
    proposed: r.annotation_source === "model",
    proposedByModelVersionId: r.proposed_by_model_version_id,
    annotatedBy: r.annotated_by,
    annotatedAt: r.annotated_at,
    confirmedBy: confirmedBy.get(r.image_id) ?? [],
    status: r.status,
    addedAt: r.added_at,
  }));
}

/** A page of the set in the order items were added; `after` is the previous page's `nextCursor`. */
export async function listTrainingItems(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  options: TrainingListFilter & { readonly after?: number; readonly limit?: number } = {},
): Promise<{ items: TrainingItemInfo[]; nextCursor: number | null }> {
  await requireTaskRow(db, workspaceId, taskId);
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  let query = itemsQuery(db, workspaceId, taskId);
  if (options.after !== undefined) query = query.where("training_item.position", ">", options.after);
  if (options.label !== undefined) query = query.where(labelCondition(options.label));
  if (options.status !== undefined) query = query.where(statusExpression(), "=", options.status);
  if (options.proposed === true) query = query.where("training_item.annotation_source", "=", "model");
  if (options.proposed === false) {
    query = query.where((eb) =>
      eb.or([eb("training_item.annotation_source", "is", null), eb("training_item.annotation_source", "!=", "model")]),
    );
  }
  const search = options.search?.trim();
  if (search) {
    query = query.where("training_image.file_name", "ilike", `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const rows = await query
    .orderBy("training_item.position")
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    items: await withConfirmations(db, taskId, page),
    nextCursor: rows.length > limit ? (page.at(-1)?.position ?? null) : null,
  };
}

/** These items of the task's set (those it has), in the set's order. */
export async function findTrainingItems(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  imageIds: readonly string[],
): Promise<TrainingItemInfo[]> {
  const found: ItemRow[] = [];
  for (const part of chunks([...new Set(imageIds)])) {
    found.push(...(await itemsQuery(db, workspaceId, taskId).where("training_item.image_id", "in", part).execute()));
  }
  found.sort((a, b) => a.position - b.position);
  return withConfirmations(db, taskId, found);
}

/** Every item of the set, page by page (an export streams them). */
export async function* allTrainingItems(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
): AsyncIterable<TrainingItemInfo> {
  let after: number | undefined;
  for (;;) {
    const page = await listTrainingItems(db, workspaceId, taskId, {
      limit: 1000,
      ...(after === undefined ? {} : { after }),
    });
    yield* page.items;
    if (page.nextCursor === null) return;
    after = page.nextCursor;
  }
}

export interface TrainingLabelCount {
  readonly label: string;
  /** Images whose annotation names the label (proposals not counted). */
  readonly images: number;
  /** Boxes with the label (detection), else 0. */
  readonly boxes: number;
}

export interface TrainingSetCounts {
  readonly total: number;
  readonly byStatus: Readonly<Record<TrainingStatus, number>>;
  readonly proposed: number;
  /** Items with an annotation that is not a proposal. */
  readonly annotated: number;
  readonly checksRequired: number;
  /** Every label of the task (in the task's order), then any label annotations name that the task lacks. */
  readonly perLabel: readonly TrainingLabelCount[];
}

/** Counts of the set: by status, and per label (only annotations that are not proposals count). */
export async function countTrainingSet(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
): Promise<TrainingSetCounts> {
  const task = await requireTaskRow(db, workspaceId, taskId);
  const statusRows = await db
    .selectFrom("training_item")
    .innerJoin("task", "task.id", "training_item.task_id")
    .where("task.id", "=", taskId)
    .select([statusExpression().as("status"), sql<number>`count(*)::int`.as("n")])
    .select(sql<number>`count(*) filter (where training_item.annotation_source = 'model')::int`.as("proposed"))
    .groupBy(sql`1`)
    .execute();
  const byStatus: Record<TrainingStatus, number> = { unlabelled: 0, labelled: 0, verified: 0 };
  let proposed = 0;
  for (const r of statusRows) {
    byStatus[r.status] += Number(r.n);
    proposed += Number(r.proposed);
  }
  const counted = sql`training_item.task_id = ${taskId} and training_item.annotation_source in ('person', 'import')`;
  const categories = await sql<{ label: string; images: number; boxes: number }>`
    select training_item.annotation->>'label' as label, count(*)::int as images, 0 as boxes
    from training_item where ${counted} and training_item.annotation->>'kind' = 'category' group by 1
    union all
    select t.value #>> '{}' as label, count(distinct training_item.image_id)::int as images, 0 as boxes
    from training_item, jsonb_array_elements(training_item.annotation->'tags') t
    where ${counted} and training_item.annotation->>'kind' = 'tags' group by 1
    union all
    select b.value->>'label' as label, count(distinct training_item.image_id)::int as images, count(*)::int as boxes
    from training_item, jsonb_array_elements(training_item.annotation->'boxes') b
    where ${counted} and training_item.annotation->>'kind' = 'boxes' group by 1`.execute(db);
  const byLabel = new Map<string, TrainingLabelCount>();
  for (const label of task.labels) byLabel.set(label, { label, images: 0, boxes: 0 });
  for (const r of categories.rows) {
    const before = byLabel.get(r.label) ?? { label: r.label, images: 0, boxes: 0 };
    byLabel.set(r.label, {
      label: r.label,
      images: before.images + Number(r.images),
      boxes: before.boxes + Number(r.boxes),
    });
  }
  const total = byStatus.unlabelled + byStatus.labelled + byStatus.verified;
  return {
    total,
    byStatus,
    proposed,
    annotated: byStatus.labelled + byStatus.verified,
    checksRequired: task.checksRequired,
    perLabel: [...byLabel.values()],
  };
}

async function requireTaskRow(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
): Promise<{ checksRequired: number; labels: string[] }> {
  const row = await db
    .selectFrom("task")
    .select("checks_required")
    .where("id", "=", taskId)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (!row) throw taskNotFound(taskId);
  const labels = await db
    .selectFrom("task_label")
    .select("name")
    .where("task_id", "=", taskId)
    .orderBy("position")
    .orderBy("name")
    .execute();
  return { checksRequired: row.checks_required, labels: labels.map((l) => l.name) };
}

/** How many different members must confirm an image of the task's set (1 to 10). */
export async function setChecksRequired(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  checks: number,
): Promise<void> {
  if (!Number.isInteger(checks) || checks < 1 || checks > 10) {
    throw new DataError("BAD_REQUEST", "An image needs between 1 and 10 checks.", "checksRequired");
  }
  const result = await db
    .updateTable("task")
    .set({ checks_required: checks })
    .where("id", "=", taskId)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw taskNotFound(taskId);
}

function missingItems(missing: readonly string[]): DataError {
  return new DataError(
    "NOT_FOUND",
    `${missing.length === 1 ? "This image is" : `${missing.length} of these images are`} not in the task's training set (deleted meanwhile?).`,
    "imageIds",
  );
}

async function lockItems(
  trx: Transaction<DB>,
  workspaceId: string,
  taskId: string,
  imageIds: readonly string[],
): Promise<void> {
  await lockTask(trx, workspaceId, taskId);
  const wanted = [...new Set(imageIds)];
  const found = new Set<string>();
  for (const part of chunks(wanted)) {
    const rows = await trx
      .selectFrom("training_item")
      .select("image_id")
      .where("task_id", "=", taskId)
      .where("image_id", "in", part)
      .forUpdate()
      .execute();
    for (const r of rows) found.add(r.image_id);
  }
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) throw missingItems(missing);
}

/**
 * A member's annotations of items (null clears one): each becomes the member's own, confirmed by them,
 * and earlier confirmations (of what it was before) no longer count. All or nothing.
 */
export async function setTrainingAnnotations(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  userId: string,
  updates: readonly { readonly imageId: string; readonly annotation: unknown }[],
): Promise<void> {
  if (updates.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await lockItems(
      trx,
      workspaceId,
      taskId,
      updates.map((u) => u.imageId),
    );
    const now = new Date();
    for (const update of updates) {
      const cleared = update.annotation === null || update.annotation === undefined;
      await trx
        .updateTable("training_item")
        .set({
          annotation: cleared ? null : jsonb(update.annotation),
          annotation_source: cleared ? null : "person",
          proposed_by_model_version_id: null,
          annotated_by: cleared ? null : userId,
          annotated_at: cleared ? null : now,
        })
        .where("task_id", "=", taskId)
        .where("image_id", "=", update.imageId)
        .execute();
    }
    for (const part of chunks(updates.map((u) => u.imageId))) {
      await trx
        .deleteFrom("training_confirmation")
        .where("task_id", "=", taskId)
        .where("image_id", "in", part)
        .execute();
    }
    const confirmed = updates.filter((u) => u.annotation !== null && u.annotation !== undefined);
    for (const part of chunks(confirmed)) {
      await trx
        .insertInto("training_confirmation")
        .values(part.map((u) => ({ task_id: taskId, image_id: u.imageId, user_id: userId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}

/**
 * A member confirms items' current annotations (a second confirmation by the same member changes
 * nothing). Confirming a proposal accepts it: it becomes the member's annotation. Refused, naming the
 * files, when an item has no annotation.
 */
export async function confirmTrainingItems(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  userId: string,
  imageIds: readonly string[],
): Promise<void> {
  if (imageIds.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await lockItems(trx, workspaceId, taskId, imageIds);
    const ids = [...new Set(imageIds)];
    for (const part of chunks(ids)) {
      const empty = await trx
        .selectFrom("training_item")
        .innerJoin("training_image", "training_image.id", "training_item.image_id")
        .select("training_image.file_name")
        .where("training_item.task_id", "=", taskId)
        .where("training_item.image_id", "in", part)
        .where("training_item.annotation", "is", null)
        .execute();
      if (empty.length > 0) {
        throw new DataError(
          "BAD_REQUEST",
          `Annotate before confirming: ${empty
            .slice(0, 5)
            .map((e) => e.file_name)
            .join(
              ", ",
            )}${empty.length > 5 ? ` and ${empty.length - 5} more` : ""} ${empty.length === 1 ? "has" : "have"} no annotation.`,
          "imageIds",
        );
      }
      await trx
        .updateTable("training_item")
        .set({ annotation_source: "person", annotated_by: userId, annotated_at: new Date() })
        .where("task_id", "=", taskId)
        .where("image_id", "in", part)
        .where("annotation_source", "=", "model")
        .execute();
      await trx
        .insertInto("training_confirmation")
        .values(part.map((imageId) => ({ task_id: taskId, image_id: imageId, user_id: userId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}

/** Rejects model proposals: those items become unlabelled. Items that are not proposals are left alone. */
export async function rejectTrainingProposals(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  imageIds: readonly string[],
): Promise<number> {
  if (imageIds.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    await lockItems(trx, workspaceId, taskId, imageIds);
    let rejected = 0;
    for (const part of chunks([...new Set(imageIds)])) {
      const result = await trx
        .updateTable("training_item")
        .set({
          annotation: null,
          annotation_source: null,
          proposed_by_model_version_id: null,
          annotated_by: null,
          annotated_at: null,
        })
        .where("task_id", "=", taskId)
        .where("image_id", "in", part)
        .where("annotation_source", "=", "model")
        .executeTakeFirst();
      rejected += Number(result.numUpdatedRows);
    }
    return rejected;
  });
}

/**
 * A model version's proposals for items. Only items that are unlabelled or hold an earlier proposal take
 * them: a member's or an imported annotation is never overwritten. Returns how many items took one.
 */
export async function proposeTrainingAnnotations(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  modelVersionId: string,
  proposals: readonly { readonly imageId: string; readonly annotation: unknown }[],
): Promise<number> {
  if (proposals.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    let proposed = 0;
    const now = new Date();
    for (const p of proposals) {
      const result = await trx
        .updateTable("training_item")
        .set({
          annotation: jsonb(p.annotation),
          annotation_source: "model",
          proposed_by_model_version_id: modelVersionId,
          annotated_by: null,
          annotated_at: now,
        })
        .where("task_id", "=", taskId)
        .where("image_id", "=", p.imageId)
        .where((eb) => eb.or([eb("annotation_source", "is", null), eb("annotation_source", "=", "model")]))
        .executeTakeFirst();
      proposed += Number(result.numUpdatedRows);
    }
    return proposed;
  });
}

/**
 * Takes items out of the task's set. Image rows no set of the workspace holds any more go too; returns
 * the blobs (images and thumbnails) that no workspace's image names any more, for the caller to delete.
 */
export async function removeTrainingItems(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  imageIds: readonly string[],
): Promise<{ removed: number; unusedBlobs: string[] }> {
  if (imageIds.length === 0) return { removed: 0, unusedBlobs: [] };
  return db.transaction().execute(async (trx) => {
    await lockItems(trx, workspaceId, taskId, imageIds);
    const ids = [...new Set(imageIds)];
    for (const part of chunks(ids)) {
      await trx.deleteFrom("training_item").where("task_id", "=", taskId).where("image_id", "in", part).execute();
    }
    return { removed: ids.length, unusedBlobs: await pruneTrainingImages(trx, workspaceId, ids) };
  });
}

/**
 * Deletes the image rows among `imageIds` that no item refers to, and returns the blobs (image and
 * thumbnail) no image row of any workspace names any more.
 */
export async function pruneTrainingImages(
  db: Kysely<DB>,
  workspaceId: string,
  imageIds: readonly string[],
): Promise<string[]> {
  const candidates = new Set<string>();
  for (const part of chunks(imageIds)) {
    const orphans = await db
      .deleteFrom("training_image")
      .where("workspace_id", "=", workspaceId)
      .where("id", "in", part)
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom("training_item").select("image_id").whereRef("image_id", "=", "training_image.id")),
        ),
      )
      .returning(["sha256", "thumbnail_sha256"])
      .execute();
    for (const o of orphans) {
      candidates.add(o.sha256);
      if (o.thumbnail_sha256) candidates.add(o.thumbnail_sha256);
    }
  }
  const unused: string[] = [];
  for (const sha256 of candidates) if (!(await trainingBlobInUse(db, sha256))) unused.push(sha256);
  return unused;
}

/** Whether any workspace's training image (or its thumbnail) has this content. */
export async function trainingBlobInUse(db: Kysely<DB>, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom("training_image")
    .select("id")
    .where((eb) => eb.or([eb("sha256", "=", sha256), eb("thumbnail_sha256", "=", sha256)]))
    .executeTakeFirst();
  return row !== undefined;
}

/** The image ids of a task's set (what deleting the task may leave unused: see pruneTrainingImages). */
export async function taskTrainingImageIds(db: Kysely<DB>, workspaceId: string, taskId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("training_item")
    .innerJoin("task", "task.id", "training_item.task_id")
    .select("training_item.image_id")
    .where("task.id", "=", taskId)
    .where("task.workspace_id", "=", workspaceId)
    .execute();
  return rows.map((r) => r.image_id);
}

export interface TrainingImageInfo {
  readonly id: string;
  readonly sha256: string;
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly fileName: string;
  readonly thumbnailSha256: string | null;
}

/** One training image of the workspace, or undefined. */
export async function findTrainingImage(
  db: Kysely<DB>,
  workspaceId: string,
  imageId: string,
): Promise<TrainingImageInfo | undefined> {
  const row = await db
    .selectFrom("training_image")
    .select(["id", "sha256", "size", "width", "height", "file_name", "thumbnail_sha256"])
    .where("id", "=", imageId)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      sha256: row.sha256,
      size: Number(row.size),
      width: row.width,
      height: row.height,
      fileName: row.file_name,
      thumbnailSha256: row.thumbnail_sha256,
    }
  );
}

/** Records the cached thumbnail of every image row with this content. */
export async function setTrainingThumbnail(db: Kysely<DB>, sha256: string, thumbnailSha256: string): Promise<void> {
  await db
    .updateTable("training_image")
    .set({ thumbnail_sha256: thumbnailSha256 })
    .where("sha256", "=", sha256)
    .execute();
}

export interface AnnotationJobInfo {
  readonly id: string;
  readonly taskId: string;
  readonly assigneeId: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly imageCount: number;
  /** Items of the job that are verified, or that the assignee has confirmed. */
  readonly done: number;
}

/**
 * Splits the task's unlabelled (or not yet verified) items that no job holds yet into jobs of at most
 * `size` items, dealt round-robin to `assignees` (members of the workspace). Returns the jobs made.
 */
export async function createAnnotationJobs(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  input: {
    readonly assignees: readonly string[];
    readonly scope: "unlabelled" | "unverified";
    readonly size: number;
    readonly createdBy: string;
  },
): Promise<AnnotationJobInfo[]> {
  const assignees = [...new Set(input.assignees)];
  if (assignees.length === 0) throw new DataError("BAD_REQUEST", "Choose at least one member.", "assignees");
  if (!Number.isInteger(input.size) || input.size < 1) {
    throw new DataError("BAD_REQUEST", "A job needs at least one image.", "size");
  }
  const members = await db
    .selectFrom("member")
    .select("user_id")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "in", assignees)
    .execute();
  const isMember = new Set(members.map((m) => m.user_id));
  const outsiders = assignees.filter((a) => !isMember.has(a));
  if (outsiders.length > 0)
    throw new DataError("BAD_REQUEST", "Jobs go only to members of this workspace.", "assignees");
  const ids = await db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    let query = trx
      .selectFrom("training_item")
      .innerJoin("task", "task.id", "training_item.task_id")
      .select(["training_item.image_id", "training_item.position"])
      .where("training_item.task_id", "=", taskId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("annotation_job_item")
              .select("image_id")
              .whereRef("annotation_job_item.task_id", "=", "training_item.task_id")
              .whereRef("annotation_job_item.image_id", "=", "training_item.image_id"),
          ),
        ),
      );
    query =
      input.scope === "unlabelled"
        ? query.where(statusExpression(), "=", "unlabelled")
        : query.where(statusExpression(), "!=", "verified");
    const items = await query.orderBy("training_item.position").execute();
    const made: string[] = [];
    for (let start = 0, n = 0; start < items.length; start += input.size, n++) {
      const id = randomUUID();
      await trx
        .insertInto("annotation_job")
        .values({
          id,
          workspace_id: workspaceId,
          task_id: taskId,
          assignee_id: assignees[n % assignees.length] as string,
          created_by: input.createdBy,
        })
        .execute();
      await trx
        .insertInto("annotation_job_item")
        .values(
          items.slice(start, start + input.size).map((item, i) => ({
            job_id: id,
            task_id: taskId,
            image_id: item.image_id,
            position: i,
          })),
        )
        .execute();
      made.push(id);
    }
    return made;
  });
  const all = await listAnnotationJobs(db, workspaceId, { taskId });
  const byId = new Map(all.map((j) => [j.id, j]));
  return ids.map((id) => byId.get(id)).filter((j): j is AnnotationJobInfo => j !== undefined);
}

/** The workspace's jobs (of one task, of one assignee), oldest first, with their progress. */
export async function listAnnotationJobs(
  db: Kysely<DB>,
  workspaceId: string,
  options: { readonly taskId?: string; readonly assigneeId?: string } = {},
): Promise<AnnotationJobInfo[]> {
  let query = db
    .selectFrom("annotation_job")
    .innerJoin("task", "task.id", "annotation_job.task_id")
    .select([
      "annotation_job.id",
      "annotation_job.task_id",
      "annotation_job.assignee_id",
      "annotation_job.created_by",
      "annotation_job.created_at",
    ])
    .select(
      sql<number>`(select count(*)::int from annotation_job_item j where j.job_id = annotation_job.id)`.as(
        "image_count",
      ),
    )
    .select(
      sql<number>`(select count(*)::int from annotation_job_item j
        join training_item on training_item.task_id = j.task_id and training_item.image_id = j.image_id
        where j.job_id = annotation_job.id and (${statusExpression()} = 'verified' or exists (
          select 1 from training_confirmation c where c.task_id = j.task_id and c.image_id = j.image_id
            and c.user_id = annotation_job.assignee_id)))`.as("done"),
    )
    .where("annotation_job.workspace_id", "=", workspaceId);
  if (options.taskId !== undefined) query = query.where("annotation_job.task_id", "=", options.taskId);
  if (options.assigneeId !== undefined) query = query.where("annotation_job.assignee_id", "=", options.assigneeId);
  const rows = await query.orderBy("annotation_job.created_at").orderBy("annotation_job.id").execute();
  return rows.map((r) => ({
    id: r.id,
    taskId: r.task_id,
    assigneeId: r.assignee_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    imageCount: Number(r.image_count),
    done: Number(r.done),
  }));
}

/** A member's queue in a task: the items of their jobs they have not confirmed and that are not verified. */
export async function annotationQueue(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  userId: string,
): Promise<TrainingItemInfo[]> {
  const rows = await itemsQuery(db, workspaceId, taskId)
    .innerJoin("annotation_job_item", (join) =>
      join
        .onRef("annotation_job_item.task_id", "=", "training_item.task_id")
        .onRef("annotation_job_item.image_id", "=", "training_item.image_id"),
    )
    .innerJoin("annotation_job", "annotation_job.id", "annotation_job_item.job_id")
    .where("annotation_job.assignee_id", "=", userId)
    .where(statusExpression(), "!=", "verified")
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("training_confirmation")
            .select("user_id")
            .whereRef("training_confirmation.task_id", "=", "training_item.task_id")
            .whereRef("training_confirmation.image_id", "=", "training_item.image_id")
            .where("training_confirmation.user_id", "=", userId),
        ),
      ),
    )
    .orderBy("annotation_job.created_at")
    .orderBy("annotation_job_item.position")
    .execute();
  return withConfirmations(db, taskId, rows);
}

export interface PreannotationRunInfo {
  readonly id: string;
  readonly taskId: string;
  readonly modelVersionId: string;
  readonly status: PreannotationStatus;
  readonly imageIds: readonly string[];
  readonly processed: number;
  readonly total: number;
  /** Images that took a proposal (not those holding a person's or an imported annotation). */
  readonly proposed: number;
  /** Predicted labels or boxes left out because the task lacks their label. */
  readonly dropped: number;
  /** Images the model could not run on; the first ones with their reason in `failures`. */
  readonly failed: number;
  readonly failures: readonly PreannotationFailure[];
  readonly error: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

/** Records a queued pre-annotation of items of the task's set by a model version of the workspace. */
export async function createPreannotationRun(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  input: { readonly modelVersionId: string; readonly imageIds: readonly string[]; readonly createdBy: string },
): Promise<PreannotationRunInfo> {
  const version = await db
    .selectFrom("model_version")
    .innerJoin("task", "task.id", "model_version.task_id")
    .select("model_version.id")
    .where("model_version.id", "=", input.modelVersionId)
    .where("task.workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (!version)
    throw new DataError("NOT_FOUND", "This model version does not exist in this workspace.", "modelVersionId");
  const imageIds = [...new Set(input.imageIds)];
  if (imageIds.length === 0) throw new DataError("BAD_REQUEST", "Select at least one image.", "imageIds");
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await lockItems(trx, workspaceId, taskId, imageIds);
    await trx
      .insertInto("preannotation_run")
      .values({
        id,
        workspace_id: workspaceId,
        task_id: taskId,
        model_version_id: input.modelVersionId,
        status: "queued",
        image_ids: jsonb(imageIds),
        total: imageIds.length,
        created_by: input.createdBy,
      })
      .execute();
  });
  return (await findPreannotationRun(db, workspaceId, id)) as PreannotationRunInfo;
}

export async function findPreannotationRun(
  db: Kysely<DB>,
  workspaceId: string,
  runId: string,
): Promise<PreannotationRunInfo | undefined> {
  const row = await db
    .selectFrom("preannotation_run")
    .selectAll()
    .where("id", "=", runId)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      taskId: row.task_id,
      modelVersionId: row.model_version_id,
      status: row.status,
      imageIds: row.image_ids,
      processed: row.processed,
      total: row.total,
      proposed: row.proposed,
      dropped: row.dropped,
      failed: row.failed,
      failures: row.failures,
      error: row.error,
      createdBy: row.created_by,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
    }
  );
}

/** How many failures a run keeps with their reason (the count goes on). */
export const PREANNOTATION_FAILURES_KEPT = 20;

/**
 * Moves a run on: `running` with its progress, or finished (`done`, `failed` with an error, `cancelled`).
 * A finished run does not change any more; returns whether this update applied.
 */
export async function updatePreannotationRun(
  db: Kysely<DB>,
  workspaceId: string,
  runId: string,
  update: {
    readonly status: PreannotationStatus;
    readonly processed?: number;
    readonly proposed?: number;
    readonly dropped?: number;
    readonly failed?: number;
    readonly failures?: readonly PreannotationFailure[];
    readonly error?: string;
  },
): Promise<boolean> {
  const finished = update.status !== "queued" && update.status !== "running";
  const result = await db
    .updateTable("preannotation_run")
    .set({
      status: update.status,
      ...(update.processed === undefined ? {} : { processed: update.processed }),
      ...(update.proposed === undefined ? {} : { proposed: update.proposed }),
      ...(update.dropped === undefined ? {} : { dropped: update.dropped }),
      ...(update.failed === undefined ? {} : { failed: update.failed }),
      ...(update.failures === undefined
        ? {}
        : { failures: jsonb(update.failures.slice(0, PREANNOTATION_FAILURES_KEPT)) }),
      ...(update.error === undefined ? {} : { error: update.error }),
      ...(finished ? { finished_at: new Date() } : {}),
    })
    .where("id", "=", runId)
    .where("workspace_id", "=", workspaceId)
    .where("status", "in", ["queued", "running"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Marks runs still queued or running from before `startedBefore` as failed: on the embedded default the
 * process that ran them is gone, so they can never finish. Returns how many.
 */
export async function failStalePreannotationRuns(db: Kysely<DB>, startedBefore: Date): Promise<number> {
  const rows = await db
    .updateTable("preannotation_run")
    .set({
      status: "failed",
      error: "The server stopped while this run went on; run it again.",
      finished_at: new Date(),
    })
    .where("status", "in", ["queued", "running"])
    .where("created_at", "<", startedBefore)
    .returning("id")
    .execute();
  return rows.length;
}
