import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { DataError } from "./errors.js";
import { jsonb } from "./json.js";
import type { DB } from "./schema.js";
import { lockTask } from "./tasks.js";

/** A labelled test set as the task page lists it. */
export interface TestSetInfo {
  readonly id: string;
  readonly taskId: string;
  readonly name: string;
  readonly imageCount: number;
  readonly createdBy: string;
  readonly createdAt: Date;
}

/** One image of a test set. `truth` is what the image shows, in the task type's shape. */
export interface TestSetImageInfo {
  readonly position: number;
  readonly fileName: string;
  readonly sha256: string;
  readonly size: number;
  readonly truth: unknown;
}

/** Records a test set whose images the caller already stored in the test-image blob store. */
export async function createTestSet(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  input: {
    readonly name: string;
    readonly createdBy: string;
    readonly images: readonly Omit<TestSetImageInfo, "position">[];
  },
): Promise<TestSetInfo> {
  const name = input.name.trim();
  if (name === "") throw new DataError("BAD_REQUEST", "Enter a name for the test set.", "name");
  if (input.images.length === 0) throw new DataError("BAD_REQUEST", "The test set has no images.", "file");
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    await trx
      .insertInto("test_set")
      .values({
        id,
        workspace_id: workspaceId,
        task_id: taskId,
        name,
        image_count: input.images.length,
        created_by: input.createdBy,
      })
      .execute();
    // Chunked so a large set stays under the bind-parameter limit of one statement.
    for (let start = 0; start < input.images.length; start += 1000) {
      await trx
        .insertInto("test_set_image")
        .values(
          input.images.slice(start, start + 1000).map((image, i) => ({
            test_set_id: id,
            position: start + i,
            file_name: image.fileName,
            sha256: image.sha256,
            size: image.size,
            truth: jsonb(image.truth),
          })),
        )
        .execute();
    }
  });
  const created = await findTestSet(db, workspaceId, id);
  if (!created) throw new Error(`test set ${id} vanished right after it was created`);
  return created;
}

/** Adds images (already in the test-image blob store) at the end of a test set of the task. */
export async function appendTestSetImages(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  testSetId: string,
  images: readonly Omit<TestSetImageInfo, "position">[],
): Promise<TestSetInfo> {
  await db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    const set = await trx
      .selectFrom("test_set")
      .select("image_count")
      .where("id", "=", testSetId)
      .where("workspace_id", "=", workspaceId)
      .where("task_id", "=", taskId)
      .forUpdate()
      .executeTakeFirst();
    if (!set) throw testSetNotFound(testSetId);
    const last = await trx
      .selectFrom("test_set_image")
      .select((eb) => eb.fn.max("position").as("last"))
      .where("test_set_id", "=", testSetId)
      .executeTakeFirst();
    const first = last?.last === null || last?.last === undefined ? 0 : Number(last.last) + 1;
    for (let start = 0; start < images.length; start += 1000) {
      await trx
        .insertInto("test_set_image")
        .values(
          images.slice(start, start + 1000).map((image, i) => ({
            test_set_id: testSetId,
            position: first + start + i,
            file_name: image.fileName,
            sha256: image.sha256,
            size: image.size,
            truth: jsonb(image.truth),
          })),
        )
        .execute();
    }
    await trx
      .updateTable("test_set")
      .set({ image_count: set.image_count + images.length })
      .where("id", "=", testSetId)
      .execute();
  });
  const updated = await findTestSet(db, workspaceId, testSetId);
  if (!updated) throw testSetNotFound(testSetId);
  return updated;
}

/** The workspace's test sets (of one task when `taskId` is given), newest first. */
export async function listTestSets(db: Kysely<DB>, workspaceId: string, taskId?: string): Promise<TestSetInfo[]> {
  let query = db.selectFrom("test_set").selectAll().where("workspace_id", "=", workspaceId);
  if (taskId !== undefined) query = query.where("task_id", "=", taskId);
  const rows = await query.orderBy("created_at", "desc").orderBy("id").execute();
  return rows.map(toInfo);
}

export async function findTestSet(
  db: Kysely<DB>,
  workspaceId: string,
  testSetId: string,
): Promise<TestSetInfo | undefined> {
  const row = await db
    .selectFrom("test_set")
    .selectAll()
    .where("id", "=", testSetId)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return row && toInfo(row);
}

/** The set's images in order; NOT_FOUND when the set is not in the workspace. */
export async function listTestSetImages(
  db: Kysely<DB>,
  workspaceId: string,
  testSetId: string,
): Promise<TestSetImageInfo[]> {
  if (!(await findTestSet(db, workspaceId, testSetId))) throw testSetNotFound(testSetId);
  const rows = await db
    .selectFrom("test_set_image")
    .selectAll()
    .where("test_set_id", "=", testSetId)
    .orderBy("position")
    .execute();
  return rows.map((r) => ({
    position: r.position,
    fileName: r.file_name,
    sha256: r.sha256,
    size: r.size,
    truth: r.truth,
  }));
}

/** One image of a set in the workspace, or undefined. */
export async function findTestSetImage(
  db: Kysely<DB>,
  workspaceId: string,
  testSetId: string,
  position: number,
): Promise<TestSetImageInfo | undefined> {
  const row = await db
    .selectFrom("test_set_image")
    .innerJoin("test_set", "test_set.id", "test_set_image.test_set_id")
    .selectAll("test_set_image")
    .where("test_set.id", "=", testSetId)
    .where("test_set.workspace_id", "=", workspaceId)
    .where("test_set_image.position", "=", position)
    .executeTakeFirst();
  return (
    row && { position: row.position, fileName: row.file_name, sha256: row.sha256, size: row.size, truth: row.truth }
  );
}

/**
 * Deletes a test set with its images and evaluations. Returns the image blobs no other set names any
 * more: the caller deletes those from the blob store.
 */
export async function deleteTestSet(db: Kysely<DB>, workspaceId: string, testSetId: string): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const set = await trx
      .selectFrom("test_set")
      .select("id")
      .where("id", "=", testSetId)
      .where("workspace_id", "=", workspaceId)
      .forUpdate()
      .executeTakeFirst();
    if (!set) throw testSetNotFound(testSetId);
    const images = await trx
      .selectFrom("test_set_image")
      .select("sha256")
      .distinct()
      .where("test_set_id", "=", testSetId)
      .execute();
    await trx.deleteFrom("test_set").where("id", "=", testSetId).execute();
    if (images.length === 0) return [];
    const stillUsed = await trx
      .selectFrom("test_set_image")
      .select("sha256")
      .distinct()
      .where(
        "sha256",
        "in",
        images.map((i) => i.sha256),
      )
      .execute();
    const used = new Set(stillUsed.map((r) => r.sha256));
    return images.map((i) => i.sha256).filter((sha) => !used.has(sha));
  });
}

/** Whether any test set image has this content (an upload that fails deletes only unshared blobs). */
export async function testImageInUse(db: Kysely<DB>, sha256: string): Promise<boolean> {
  const row = await db.selectFrom("test_set_image").select("sha256").where("sha256", "=", sha256).executeTakeFirst();
  return row !== undefined;
}

export function testSetNotFound(testSetId: string): DataError {
  return new DataError("NOT_FOUND", `Test set ${testSetId} does not exist in this workspace.`);
}

function toInfo(row: {
  id: string;
  task_id: string;
  name: string;
  image_count: number;
  created_by: string;
  created_at: Date;
}): TestSetInfo {
  return {
    id: row.id,
    taskId: row.task_id,
    name: row.name,
    imageCount: row.image_count,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** The content of every test image and model file of a task: what deleting the task may leave unused. */
export async function taskBlobs(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
): Promise<{ testImages: string[]; modelFiles: string[] }> {
  const images = await db
    .selectFrom("test_set_image")
    .innerJoin("test_set", "test_set.id", "test_set_image.test_set_id")
    .select("test_set_image.sha256")
    .distinct()
    .where("test_set.task_id", "=", taskId)
    .where("test_set.workspace_id", "=", workspaceId)
    .execute();
  const files = await db
    .selectFrom("model_version")
    .innerJoin("task", "task.id", "model_version.task_id")
    .select("model_version.file_sha256")
    .distinct()
    .where("task.id", "=", taskId)
    .where("task.workspace_id", "=", workspaceId)
    .execute();
  return { testImages: images.map((i) => i.sha256), modelFiles: files.map((f) => f.file_sha256) };
}
