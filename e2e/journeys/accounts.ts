/** The people of the e2e run; passwords meet the 10-character rule. */
export const OWNER = { name: "Olivia Owner", email: "olivia@example.com", password: "owner-password-1" };
export const MEMBER = { name: "Mia Member", email: "mia@example.com", password: "member-password-1" };

export const FIRST_WORKSPACE = "Acme Vision";
export const SECOND_WORKSPACE = "Second Lab";
