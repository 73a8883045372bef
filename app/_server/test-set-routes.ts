import { findTestSetImage } from "@vizflow/db";
import { modelServicesFor } from "./model-services";
import type { Services } from "./services";
import { uploadTestSet } from "./test-set-upload";
import { authenticateUploader, errorResponse, failure, json, readMultipart } from "./upload-http";

/**
 * `POST /api/workspaces/{workspaceId}/tasks/{taskId}/test-sets`: a labelled test set, multipart/form-data
 * with `name` first, then `file` (a zip, streamed): label folders for categorization, images + labels.csv for
 * tagging, images + values.csv for regression, images + a COCO JSON for detection.
 *
 *   curl -H "Authorization: Token $KEY" -F name=holdout -F file=@set.zip \
 *     https://vizflow.example/api/workspaces/$WS/tasks/$TASK/test-sets
 *
 * 201 `{ testSet }`; a refusal is `{ error: { code, message, problems } }` and keeps nothing.
 */
export async function handleTestSetUpload(
  request: Request,
  services: Services,
  params: { readonly workspaceId: string; readonly taskId: string },
): Promise<Response> {
  const uploader = await authenticateUploader(request, services, params.workspaceId, "editor");
  if (uploader instanceof Response) return uploader;
  let upload;
  try {
    upload = await readMultipart(request, "file");
  } catch (error) {
    return failure(error);
  }
  try {
    const testSet = await uploadTestSet(services.database, await modelServicesFor(services.database), {
      workspaceId: params.workspaceId,
      taskId: params.taskId,
      name: upload.fields.get("name") ?? upload.fileName.replace(/\.zip$/i, ""),
      createdBy: uploader.createdBy,
      zip: upload.file,
    });
    await upload.done;
    return json(201, { testSet: { ...testSet, createdAt: testSet.createdAt.toISOString() } });
  } catch (error) {
    upload.abort();
    return failure(error);
  }
}

const TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  avif: "image/avif",
  bmp: "image/bmp",
  tif: "image/tiff",
  tiff: "image/tiff",
};

/** `GET /api/workspaces/{workspaceId}/test-sets/{testSetId}/images/{position}`: one test image, for thumbnails. */
export async function handleTestSetImage(
  request: Request,
  services: Services,
  params: { readonly workspaceId: string; readonly testSetId: string; readonly position: string },
): Promise<Response> {
  const viewer = await authenticateUploader(request, services, params.workspaceId, "viewer");
  if (viewer instanceof Response) return viewer;
  const position = Number(params.position);
  const image = Number.isSafeInteger(position)
    ? await findTestSetImage(services.database.db, params.workspaceId, params.testSetId, position)
    : undefined;
  if (!image) return errorResponse(404, "NOT_FOUND", "This test image does not exist.");
  const extension = image.fileName.split(".").at(-1)?.toLowerCase() ?? "";
  const body = await (await modelServicesFor(services.database)).testImages.read(image.sha256);
  return new Response(body, {
    headers: {
      "content-type": TYPES[extension] ?? "application/octet-stream",
      "content-length": String(image.size),
      // Content-addressed: the bytes at this position never change while the set exists.
      "cache-control": "private, max-age=3600",
    },
  });
}
