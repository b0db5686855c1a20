/**
 * The app roles (Entra app registration → App roles) and what each allows. Each role includes the
 * ones below it: an Admin can do what an Operator can, an Operator what a Reader can.
 */
export const ROLES = ["Posture.Reader", "Posture.Operator", "Posture.Admin"] as const;
export type Role = (typeof ROLES)[number];

const LEVEL: Record<Role, number> = { "Posture.Reader": 1, "Posture.Operator": 2, "Posture.Admin": 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** The known roles among a token's `roles` claim (anything else is ignored). */
export function rolesFromClaim(claim: unknown): Role[] {
  if (!Array.isArray(claim)) return [];
  return ROLES.filter((r) => claim.includes(r));
}

/** True when any of `roles` is `needed` or above it. */
export function hasRole(roles: readonly string[], needed: Role): boolean {
  return roles.some((r) => isRole(r) && LEVEL[r] >= LEVEL[needed]);
}

/** The highest role held, for display. */
export function highestRole(roles: readonly string[]): Role | null {
  let best: Role | null = null;
  for (const r of roles) if (isRole(r) && (best === null || LEVEL[r] > LEVEL[best])) best = r;
  return best;
}

export const ROLE_LABEL: Record<Role, string> = { "Posture.Reader": "Reader", "Posture.Operator": "Operator", "Posture.Admin": "Admin" };
