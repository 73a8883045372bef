import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import {
  authenticateApiKey,
  DataError,
  findWorkspaceOfUser,
  roleAtLeast,
  type DataErrorCode,
  type Role,
} from "@vizflow/db";
import Busboy from "busboy";
import type { Services } from "./services";

// Helpers of the upload route handlers: who is uploading, the multipart body read as a stream, and
// JSON answers in one shape (`{ error: { code, message, field?, problems? } }`).

/** Who an upload acts as: a member with a role, or an API token of the workspace. */
export type Uploader = { readonly createdBy: string };

const STATUS: Record<DataErrorCode, number> = { BAD_REQUEST: 400, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export function errorResponse(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return json(status, { error: { code, message, ...extra } });
}

/** A DataError (or a refusal carrying `problems`) as its JSON answer; anything else is a logged 500. */
export function failure(error: unknown): Response {
  if (error instanceof DataError) {
    const problems = (error as { problems?: unknown }).problems;
    const status = error.message.startsWith("The file is larger than the limit") ? 413 : STATUS[error.code];
    return errorResponse(status, error.code, error.message, {
      ...(error.field === undefined ? {} : { field: error.field }),
      ...(problems === undefined ? {} : { problems }),
    });
  }
  console.error("upload failed:", error);
  return errorResponse(500, "INTERNAL_SERVER_ERROR", "Something went wrong on the server. Try again.");
}

/**
 * The session's member with at least `minimum` role, or an API token of the workspace
 * (`Authorization: Token <key>` or `Bearer <key>`). A non-member gets 404 like a workspace that does not exist.
 */
export async function authenticateUploader(
  request: Request,
  services: Services,
  workspaceId: string,
  minimum: Role,
): Promise<Uploader | Response> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const key = /^(?:Token|Bearer)\s+(\S+)$/i.exec(authorization)?.[1];
    const token = key === undefined ? undefined : await authenticateApiKey(services.database.db, key);
    if (!token)
      return errorResponse(401, "UNAUTHORIZED", "The API token is not valid (revoked, or not a Vizflow key).");
    if (token.workspaceId !== workspaceId) return errorResponse(404, "NOT_FOUND", "workspace not found");
    return { createdBy: `token:${token.id}` };
  }
  const session = await services.auth.api.getSession({ headers: request.headers });
  if (!session)
    return errorResponse(401, "UNAUTHORIZED", "Sign in, or send an API token (Authorization: Token <key>).");
  const workspace = await findWorkspaceOfUser(services.database.db, workspaceId, session.user.id);
  if (!workspace) return errorResponse(404, "NOT_FOUND", "workspace not found");
  if (!roleAtLeast(workspace.role, minimum)) {
    return errorResponse(
      403,
      "FORBIDDEN",
      `This needs the ${minimum} role or higher in this workspace; you are ${workspace.role}.`,
    );
  }
  return { createdBy: session.user.id };
}

export interface MultipartUpload {
  /** The text fields sent before the file. */
  readonly fields: ReadonlyMap<string, string>;
  readonly fileName: string;
  /** The file's bytes as they arrive. */
  readonly file: Readable;
  /** Stops reading the request (after a refusal, so the rest of a large body is not read for nothing). */
  abort(): void;
  /** Resolves once the whole body has been read; rejects when it was malformed. */
  readonly done: Promise<void>;
}

/**
 * Reads a multipart/form-data body as a stream: resolves as soon as the part named `fileField` starts, with
 * the fields that came before it. Text fields must come first (browsers and `curl -F` keep the order given).
 */
export function readMultipart(request: Request, fileField: string): Promise<MultipartUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data") || request.body === null) {
    return Promise.reject(
      new DataError("BAD_REQUEST", `Send the upload as multipart/form-data with the file in the "${fileField}" field.`),
    );
  }
  const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let started = false;
    let busboy: Busboy.Busboy;
    try {
      busboy = Busboy({
        headers: { "content-type": contentType },
        limits: { files: 1, fields: 20, fieldSize: 4_000_000 },
      });
    } catch (error) {
      reject(new DataError("BAD_REQUEST", `The multipart body cannot be read: ${(error as Error).message}`));
      return;
    }
    const done = new Promise<void>((resolveDone, rejectDone) => {
      busboy.on("close", resolveDone);
      busboy.on("error", rejectDone);
    });
    done.catch(() => undefined);
    busboy.on("field", (name, value) => fields.set(name, value));
    busboy.on("file", (name, stream, info) => {
      if (name !== fileField || started) {
        stream.resume();
        return;
      }
      started = true;
      resolve({
        fields,
        fileName: info.filename,
        file: stream,
        abort: () => {
          body.unpipe(busboy);
          body.destroy();
          stream.resume();
        },
        done,
      });
    });
    busboy.on("close", () => {
      if (!started) reject(new DataError("BAD_REQUEST", `The upload has no file in the "${fileField}" field.`, "file"));
    });
    busboy.on("error", (error) => {
      if (!started)
        reject(new DataError("BAD_REQUEST", `The multipart body cannot be read: ${(error as Error).message}`));
    });
    body.on("error", (error) => busboy.destroy(error));
    body.pipe(busboy);
  });
}

export interface MultipartFiles {
  /** The text fields; complete for those sent before the first file once `ready` resolves. */
  readonly fields: ReadonlyMap<string, string>;
  /** Resolves when the first file starts (or the body ended without one). */
  readonly ready: Promise<void>;
  /** The files of `fileField`, in order, each to be read to its end before the next arrives. */
  readonly files: AsyncIterable<{ readonly name: string; readonly data: Readable }>;
  /** Stops reading the request (after a refusal). */
  abort(): void;
}

/**
 * Reads a multipart/form-data body with any number of files in `fileField` (a zip, or images and layout
 * files of a dropped folder; their names may carry folders: `cat/1.jpg`), as a stream.
 */
export function readMultipartFiles(request: Request, fileField: string): MultipartFiles {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data") || request.body === null) {
    throw new DataError(
      "BAD_REQUEST",
      `Send the upload as multipart/form-data with the files in the "${fileField}" field.`,
    );
  }
  let busboy: Busboy.Busboy;
  try {
    busboy = Busboy({
      headers: { "content-type": contentType },
      preservePath: true,
      limits: { files: 100_000, fields: 20, fieldSize: 4_000_000 },
    });
  } catch (error) {
    throw new DataError("BAD_REQUEST", `The multipart body cannot be read: ${(error as Error).message}`);
  }
  const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
  const fields = new Map<string, string>();
  const queue: { name: string; data: Readable }[] = [];
  let ended = false;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const signal = () => {
    markReady();
    wake?.();
  };
  busboy.on("field", (name, value) => fields.set(name, value));
  busboy.on("file", (name, stream, info) => {
    if (name !== fileField) {
      stream.resume();
      return;
    }
    queue.push({ name: info.filename, data: stream });
    signal();
  });
  busboy.on("close", () => {
    ended = true;
    signal();
  });
  busboy.on("error", (error) => {
    failed = new DataError("BAD_REQUEST", `The multipart body cannot be read: ${(error as Error).message}`);
    signal();
  });
  body.on("error", (error) => busboy.destroy(error));
  body.pipe(busboy);
  let any = false;
  async function* files() {
    for (;;) {
      const next = queue.shift();
      if (next) {
        any = true;
        yield next;
        continue;
      }
      if (failed) throw failed;
      if (ended) {
        if (!any) throw new DataError("BAD_REQUEST", `The upload has no file in the "${fileField}" field.`, "file");
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  }
  return {
    fields,
    ready,
    files: files(),
    abort: () => {
      body.unpipe(busboy);
      body.destroy();
      for (const file of queue) file.data.resume();
    },
  };
}
