/** An upload's answer: the route's JSON, or a message for a failure that never reached it. */
export interface UploadError {
  readonly message: string;
  readonly problems?: readonly { readonly message: string; readonly path?: string }[] | readonly string[];
}

export type UploadResult<T> = { ok: true; body: T } | { ok: false; status: number; error: UploadError };

/**
 * Posts a multipart form with XMLHttpRequest, which (unlike fetch) reports upload progress. Text fields must
 * be appended before the file: the server reads them first and streams the file straight to disk.
 */
export function uploadForm<T>(
  url: string,
  form: FormData,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadResult<T>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { error?: UploadError } | null;
      if (xhr.status >= 200 && xhr.status < 300) resolve({ ok: true, body: body as T });
      else
        resolve({
          ok: false,
          status: xhr.status,
          error: body?.error ?? { message: `The upload failed (HTTP ${xhr.status}).` },
        });
    };
    xhr.onerror = () =>
      resolve({
        ok: false,
        status: 0,
        error: { message: "The upload did not reach the server. Check your connection." },
      });
    xhr.onabort = () => resolve({ ok: false, status: 0, error: { message: "The upload was cancelled." } });
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(form);
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** A progress bar with its percentage, announced to screen readers. */
export function progressLabel(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
