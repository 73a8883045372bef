/**
 * A queued job's records (images included) in the blob store rather than the job row, so no image enters
 * the database or its write-ahead log. Each payload is encrypted with a key of its own (AES-256-GCM) that
 * only the job row holds: the bucket alone reveals nothing, and a payload cannot be swapped unnoticed.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { BlobStore } from "@vizflow/db";

/** What the job row keeps: where the payload is and the key that opens it. */
export interface PayloadRef {
  readonly sha256: string;
  /** base64 of the 256-bit key. */
  readonly key: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts `records` into `store` (iv, tag, ciphertext) and returns the reference the job row keeps. */
export async function sealPayload(store: BlobStore, records: readonly unknown[]): Promise<PayloadRef> {
  const key = randomBytes(32);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(records), "utf8"), cipher.final()]);
  const sealed = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  const stored = await store.put(new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength));
  return { sha256: stored.sha256, key: key.toString("base64") };
}

/** The records of a sealed payload; throws when it is gone or does not open with its key. */
export async function openPayload(store: BlobStore, ref: PayloadRef): Promise<unknown[]> {
  const sealed = Buffer.from(await new Response(await store.read(ref.sha256)).arrayBuffer());
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(ref.key, "base64"), sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  let text: string;
  try {
    text = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(`the job's payload ${ref.sha256} does not open with its key: it was altered`);
  }
  return JSON.parse(text) as unknown[];
}
