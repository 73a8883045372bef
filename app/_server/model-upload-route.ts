import { DataError } from "@vizflow/db";
import { modelServicesFor } from "./model-services";
import { uploadModelVersion } from "./model-upload";
import type { Services } from "./services";
import { authenticateUploader, failure, json, readMultipart } from "./upload-http";

/**
 * `POST /api/workspaces/{workspaceId}/tasks/{taskId}/model-versions`: a new model version of the task.
 * multipart/form-data, text fields first: `adapter` (JSON), optional `notes` and `activate` ("true"), then
 * `file` (the ONNX file, streamed to disk). The browser's upload form and API clients both use it:
 *
 *   curl -H "Authorization: Token $KEY" -F adapter=@adapter.json -F activate=true -F file=@model.onnx \
 *     https://vizflow.example/api/workspaces/$WS/tasks/$TASK/model-versions
 *
 * A classifier's adapter maps its outputs onto the task's labels: without `labels` output i is the task's
 * label i; with `labels` ("Output classes" in the dialog) each is one of the task's labels, none twice, or ""
 * to drop that output. See README "Labels, label files and model uploads".
 *
 * 201 `{ modelVersion, check: { inputs, outputs, runMs } }`; a refusal is `{ error: { code, message, problems } }`
 * (400, 413 over the size limit) and leaves nothing saved.
 */
export async function handleModelUpload(
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
    const adapter = parseAdapter(upload.fields.get("adapter"));
    const notes = upload.fields.get("notes");
    const { version, check } = await uploadModelVersion(services.database, await modelServicesFor(services.database), {
      workspaceId: params.workspaceId,
      taskId: params.taskId,
      createdBy: uploader.createdBy,
      file: upload.file,
      adapter,
      activate: upload.fields.get("activate") === "true",
      ...(notes === undefined ? {} : { notes }),
    });
    await upload.done;
    return json(201, {
      modelVersion: { ...version, createdAt: version.createdAt.toISOString() },
      check: { inputs: check.info.inputs, outputs: check.info.outputs, runMs: check.runMs },
    });
  } catch (error) {
    upload.abort();
    return failure(error);
  }
}

function parseAdapter(text: string | undefined): unknown {
  if (text === undefined) {
    throw new DataError("BAD_REQUEST", 'Send the adapter (JSON) in the "adapter" field, before the file.', "adapter");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataError("BAD_REQUEST", `The adapter is not valid JSON: ${(error as Error).message}`, "adapter");
  }
}
