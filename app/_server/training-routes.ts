import { findTrainingImage, setTrainingThumbnail } from "@vizflow/db";
import { makeThumbnail, type DatasetFormat } from "@vizflow/flow-engine";
import { modelServicesFor } from "./model-services";
import type { Services } from "./services";
import { exportTrainingSet } from "./training-export";
import { importTrainingFiles, type ImportFile } from "./training-import";
import {
  checkTrainingImageLink,
  TRAINING_IMAGE_VARIANTS,
  trainingLinkSecret,
  type TrainingImageVariant,
} from "./training-links";
import { authenticateUploader, errorResponse, failure, json, readMultipartFiles } from "./upload-http";

/**
 * `POST /api/workspaces/{workspaceId}/tasks/{taskId}/training-images`: images into the task's training
 * set, multipart/form-data with an optional `format` first, then one or more `file` parts (a zip, or
 * images with their layout files; names may carry folders, `cat/1.jpg`).
 *
 *   curl -H "Authorization: Token $KEY" -F file=@photos.zip \
 *     https://vizflow.example/api/workspaces/$WS/tasks/$TASK/training-images
 *
 * 201 `{ import: { format, added, duplicates, inTestSet, perLabel, unlabelled, newLabels, ignored } }`;
 * a refusal is `{ error: { code, message, problems: [{ file, line?, field?, message }] } }` and changes nothing.
 */
export async function handleTrainingImport(
  request: Request,
  services: Services,
  params: { readonly workspaceId: string; readonly taskId: string },
): Promise<Response> {
  const uploader = await authenticateUploader(request, services, params.workspaceId, "editor");
  if (uploader instanceof Response) return uploader;
  let upload;
  try {
    upload = readMultipartFiles(request, "file");
    await upload.ready;
  } catch (error) {
    return failure(error);
  }
  const url = new URL(request.url);
  const format = upload.fields.get("format") ?? url.searchParams.get("format") ?? undefined;
  const allow = (upload.fields.get("allowTestImages") ?? url.searchParams.get("allowTestImages")) === "true";
  try {
    const result = await importTrainingFiles(services.database, await modelServicesFor(services.database), {
      workspaceId: params.workspaceId,
      taskId: params.taskId,
      createdBy: uploader.createdBy,
      source: uploader.createdBy.startsWith("token:") ? "api" : "upload",
      files: upload.files as AsyncIterable<ImportFile>,
      ...(format === undefined || format === "" ? {} : { format: format as DatasetFormat }),
      ...(allow ? { allowTestImages: true } : {}),
    });
    return json(201, { import: result });
  } catch (error) {
    upload.abort();
    return failure(error);
  }
}

/**
 * `GET /api/workspaces/{workspaceId}/tasks/{taskId}/training-images/export?format=…`: the set as a zip in
 * one of the task type's layouts (folders, csv, json; coco, voc, yolo), streamed. Viewer role or a token.
 */
export async function handleTrainingExport(
  request: Request,
  services: Services,
  params: { readonly workspaceId: string; readonly taskId: string },
): Promise<Response> {
  const viewer = await authenticateUploader(request, services, params.workspaceId, "viewer");
  if (viewer instanceof Response) return viewer;
  try {
    const format = new URL(request.url).searchParams.get("format") ?? undefined;
    const exported = await exportTrainingSet(services.database, await modelServicesFor(services.database), {
      workspaceId: params.workspaceId,
      taskId: params.taskId,
      ...(format === undefined || format === "" ? {} : { format }),
    });
    return new Response(exported.body, {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${exported.fileName}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
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

/** Longer side of the cached thumbnails, in pixels. */
export const THUMBNAIL_SIZE = 256;

/**
 * `GET /api/workspaces/{workspaceId}/training-images/{imageId}/{full|thumbnail}?expires=…&signature=…`: a
 * training image, only through a link the server signed (the list procedures give them). Anything
 * else, an expired or altered link, or one for another workspace, is 403. The thumbnail is made on first
 * request and kept in the thumbnail blob store.
 */
export async function handleTrainingImage(
  request: Request,
  services: Services,
  params: { readonly workspaceId: string; readonly imageId: string; readonly variant: string },
): Promise<Response> {
  const variant = params.variant as TrainingImageVariant;
  if (!TRAINING_IMAGE_VARIANTS.includes(variant)) return errorResponse(404, "NOT_FOUND", "No such image variant.");
  const secret = await trainingLinkSecret(services.database);
  const check = checkTrainingImageLink(
    secret,
    { workspaceId: params.workspaceId, imageId: params.imageId, variant },
    new URL(request.url).searchParams,
  );
  if (!check.ok) return errorResponse(403, "FORBIDDEN", check.message);
  const image = await findTrainingImage(services.database.db, params.workspaceId, params.imageId);
  if (!image) return errorResponse(404, "NOT_FOUND", "This training image no longer exists.");
  const models = await modelServicesFor(services.database);
  // Content-addressed and signed for at most an hour: the browser may keep what it got for that long.
  const headers = { "cache-control": "private, max-age=3600, immutable" };
  if (variant === "full") {
    const extension = image.fileName.split(".").at(-1)?.toLowerCase() ?? "";
    return new Response(await models.trainingImages.read(image.sha256), {
      headers: {
        ...headers,
        "content-type": TYPES[extension] ?? "application/octet-stream",
        "content-length": String(image.size),
      },
    });
  }
  let thumbnail = image.thumbnailSha256;
  if (thumbnail === null || (await models.trainingThumbnails.stat(thumbnail)) === undefined) {
    const bytes = new Uint8Array(await new Response(await models.trainingImages.read(image.sha256)).arrayBuffer());
    const blob = await models.trainingThumbnails.put(await makeThumbnail(bytes, THUMBNAIL_SIZE));
    await setTrainingThumbnail(services.database.db, image.sha256, blob.sha256);
    thumbnail = blob.sha256;
  }
  return new Response(await models.trainingThumbnails.read(thumbnail), {
    headers: { ...headers, "content-type": "image/webp" },
  });
}
