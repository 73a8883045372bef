import { describe, expect, test } from "vitest";
import { checkTrainingImageLink, signTrainingImageLink, TRAINING_LINK_TTL_MS } from "./training-links";

const secret = Buffer.alloc(32, 7);
const target = { workspaceId: "ws-1", imageId: "img-1", variant: "thumbnail" } as const;

function query(link: string): URLSearchParams {
  return new URL(link, "http://localhost").searchParams;
}

describe("training image links", () => {
  test("a link works for at most an hour and at least 50 minutes after it was made", () => {
    const now = Date.UTC(2026, 11, 7, 12, 34, 56);
    const link = signTrainingImageLink(secret, target, now);
    expect(link).toMatch(/^\/api\/workspaces\/ws-1\/training-images\/img-1\/thumbnail\?expires=\d+&signature=[\w-]+$/);
    const expires = Number(query(link).get("expires")) * 1000;
    expect(expires - now).toBeLessThanOrEqual(TRAINING_LINK_TTL_MS);
    expect(expires - now).toBeGreaterThan(TRAINING_LINK_TTL_MS - 10 * 60_000);
    expect(checkTrainingImageLink(secret, target, query(link), now + 49 * 60_000)).toEqual({ ok: true });
    expect(checkTrainingImageLink(secret, target, query(link), expires)).toMatchObject({
      ok: false,
      message: /expired/,
    });
  });

  test("another target, another secret or a changed expiry does not match", () => {
    const link = signTrainingImageLink(secret, target);
    expect(checkTrainingImageLink(secret, { ...target, variant: "full" }, query(link)).ok).toBe(false);
    expect(checkTrainingImageLink(secret, { ...target, workspaceId: "ws-2" }, query(link)).ok).toBe(false);
    expect(checkTrainingImageLink(secret, { ...target, imageId: "img-2" }, query(link)).ok).toBe(false);
    expect(checkTrainingImageLink(Buffer.alloc(32, 8), target, query(link)).ok).toBe(false);
    const params = query(link);
    params.set("expires", String(Number(params.get("expires")) + 60));
    expect(checkTrainingImageLink(secret, target, params)).toMatchObject({ ok: false, message: /not valid/ });
    expect(checkTrainingImageLink(secret, target, new URLSearchParams())).toMatchObject({
      ok: false,
      message: "Training images are served only through links signed by the server.",
    });
  });
});
