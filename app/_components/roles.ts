export const ROLES = ["owner", "admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

const LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", editor: "Editor", viewer: "Viewer" };

const DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, including other owners.",
  admin: "Manages members, invitations and settings.",
  editor: "Builds, tests and deploys flows.",
  viewer: "Sees flows, tasks and usage; changes nothing.",
};

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export function roleLabel(role: string): string {
  return (LABELS as Record<string, string | undefined>)[role] ?? role;
}

export function roleDescription(role: Role): string {
  return DESCRIPTIONS[role];
}

/** Whether `role` grants at least what `min` grants; mirrors the server's check for showing controls only. */
export function hasRole(role: string | undefined, min: Role): boolean {
  if (role === undefined || !(role in RANK)) return false;
  return RANK[role as Role] >= RANK[min];
}
