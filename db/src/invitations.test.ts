import { describe, expect, test } from "vitest";
import { hashInvitationToken, invitationState } from "./invitations.js";

const now = new Date("2026-01-10T12:00:00Z");
const pending = { revoked_at: null, accepted_at: null, expires_at: new Date("2026-01-11T00:00:00Z") };

describe("invitationState", () => {
  test("is valid until it expires, then expired", () => {
    expect(invitationState(pending, now)).toBe("valid");
    expect(invitationState({ ...pending, expires_at: now }, now)).toBe("expired");
  });

  test("a revoked invitation reads revoked, even when also expired", () => {
    expect(invitationState({ ...pending, revoked_at: now, expires_at: new Date(0) }, now)).toBe("revoked");
  });

  test("an accepted invitation reads used, even after it would have expired", () => {
    expect(invitationState({ ...pending, accepted_at: now, expires_at: new Date(0) }, now)).toBe("used");
  });
});

test("token hashes are stable SHA-256 hex and differ per token", () => {
  expect(hashInvitationToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  expect(hashInvitationToken("abd")).not.toBe(hashInvitationToken("abc"));
});
