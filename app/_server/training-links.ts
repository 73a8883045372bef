import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getOrCreateInstanceSetting, type Database } from "@vizflow/db";

// Browsers get stored training images only through links the server signed: an HMAC-SHA256 over the
// workspace, the image, the variant and the expiry, with a secret of the instance (kept in the database
// so every app server agrees). A link lasts at most an hour; an expired, altered or another workspace's
// link is refused with 403, and there is no way to fetch a training image without one.

export type TrainingImageVariant = "full" | "thumbnail";
export const TRAINING_IMAGE_VARIANTS: readonly TrainingImageVariant[] = ["full", "thumbnail"];

/** How long a signed link works. */
export const TRAINING_LINK_TTL_MS = 60 * 60 * 1000;
/**
 * Links made within the same 10 minutes share their expiry (and so their URL), so the browser's cache
 * keeps a thumbnail across list pages and refetches; each still expires at most an hour after it was made.
 */
const EXPIRY_STEP_MS = 10 * 60 * 1000;

const SETTING = "training_image_link_secret";
const SECRETS = Symbol.for("vizflow.training-link-secrets");
type Holder = { [SECRETS]?: WeakMap<Database, Promise<Buffer>> };

/** The instance's signing secret for training-image links (created on first use). */
export function trainingLinkSecret(database: Database): Promise<Buffer> {
  const holder = globalThis as Holder;
  holder[SECRETS] ??= new WeakMap();
  let secret = holder[SECRETS].get(database);
  if (!secret) {
    secret = getOrCreateInstanceSetting(database.db, SETTING, () => randomBytes(32).toString("base64url")).then(
      (value) => Buffer.from(value, "base64url"),
    );
    secret.catch(() => holder[SECRETS]?.delete(database));
    holder[SECRETS].set(database, secret);
  }
  return secret;
}

export interface TrainingLinkTarget {
  readonly workspaceId: string;
  readonly imageId: string;
  readonly variant: TrainingImageVariant;
}

function signature(secret: Buffer, target: TrainingLinkTarget, expires: number): string {
  return createHmac("sha256", secret)
    .update(`training-image\n${target.workspaceId}\n${target.imageId}\n${target.variant}\n${expires}`)
    .digest("base64url");
}

/** `/api/workspaces/{ws}/training-images/{image}/{variant}?expires=<unix seconds>&signature=<hmac>`. */
export function signTrainingImageLink(secret: Buffer, target: TrainingLinkTarget, now = Date.now()): string {
  const expires = Math.floor((Math.floor(now / EXPIRY_STEP_MS) * EXPIRY_STEP_MS + TRAINING_LINK_TTL_MS) / 1000);
  const path = `/api/workspaces/${encodeURIComponent(target.workspaceId)}/training-images/${encodeURIComponent(target.imageId)}/${target.variant}`;
  return `${path}?expires=${expires}&signature=${signature(secret, target, expires)}`;
}

export type LinkCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Whether a link's `expires` and `signature` were signed by this server for this target and are still valid. */
export function checkTrainingImageLink(
  secret: Buffer,
  target: TrainingLinkTarget,
  query: URLSearchParams,
  now = Date.now(),
): LinkCheck {
  const expiresText = query.get("expires");
  const given = query.get("signature");
  if (expiresText === null || given === null) {
    return { ok: false, message: "Training images are served only through links signed by the server." };
  }
  const expires = Number(expiresText);
  const expected = Buffer.from(signature(secret, target, expires));
  const actual = Buffer.from(given);
  if (!/^\d+$/.test(expiresText) || actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { ok: false, message: "This image link is not valid (altered, or not for this workspace)." };
  }
  if (expires * 1000 <= now)
    return { ok: false, message: "This image link has expired; reload the page for a new one." };
  return { ok: true };
}
