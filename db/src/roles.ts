import { ROLES, type Role } from "./schema.js";

const RANK: Readonly<Record<Role, number>> = { owner: 3, admin: 2, editor: 1, viewer: 0 };

/** Whether `role` grants at least what `minimum` grants (owner > admin > editor > viewer). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
