/** Files from an <input type=file> (folders keep their paths) or a drop (folders walked). */
import type { PickedFile } from "./import-batches";

/** The files of an input; a folder pick (webkitdirectory) gives each its path inside the folder. */
export function filesOfInput(list: FileList | null): PickedFile[] {
  return Array.from(list ?? [], (file) => ({
    file,
    path: file.webkitRelativePath !== "" ? file.webkitRelativePath : file.name,
    size: file.size,
  }));
}

// The File and Directory Entries API (Chromium, Firefox, Safari): the only way into a dropped folder.
interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  fullPath: string;
  file?(ok: (file: File) => void, fail: (error: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: Entry[]) => void, fail: (error: unknown) => void): void };
}

async function walk(entry: Entry, out: PickedFile[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((resolve, reject) => entry.file?.(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, ""), size: file.size });
    return;
  }
  if (!entry.isDirectory || !entry.createReader) return;
  const reader = entry.createReader();
  // readEntries answers in chunks (100 in Chromium) until it answers none.
  for (;;) {
    const entries = await new Promise<Entry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (entries.length === 0) return;
    for (const child of entries) await walk(child, out);
  }
}

/** Everything dropped: files as they are, folders walked with their paths. */
export async function filesOfDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(transfer.items)
    .filter((item) => item.kind === "file")
    .map((item) => (item as DataTransferItem & { webkitGetAsEntry?(): Entry | null }).webkitGetAsEntry?.() ?? null);
  if (entries.every((e) => e === null)) return filesOfInput(transfer.files);
  const out: PickedFile[] = [];
  for (const entry of entries) if (entry !== null) await walk(entry, out);
  return out;
}
