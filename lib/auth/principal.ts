/**
 * Who is making a request: in `none` mode the local operator (every role); in `entra` mode the
 * signed-in user from the session cookie, or nobody. `requireRole` is the check route handlers
 * make themselves (behind the proxy's), and `actorOf` names the user for the audit trail.
 */
import { authConfig } from "./config";
import { requestIsHttps } from "./forwarded";
import { ROLES, hasRole, type Role } from "./roles";
import { openSession, sessionCookieValue, sessionSecret, type Session } from "./session";

export interface Principal {
  mode: "none" | "entra";
  /** null in `none` mode. */
  session: Session | null;
  roles: readonly Role[];
  /** How the audit trail names them: `local`, or the sign-in name (or display name) and object ID. */
  actor: string;
}

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: "unauthenticated" | "forbidden",
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

export const LOCAL_PRINCIPAL: Principal = Object.freeze({ mode: "none", session: null, roles: ROLES, actor: "local" }) as Principal;

let secret: string | undefined;
/** The session key's secret, read once per process. */
export function serverSessionSecret(): string {
  return (secret ??= sessionSecret());
}

export function actorName(session: Pick<Session, "oid" | "upn" | "name">): string {
  const who = (session.upn ?? session.name ?? "user").replace(/[\u0000-\u001f\u007f]/g, "");
  return `${who} (${session.oid})`;
}

export function principalFromSession(session: Session): Principal {
  return { mode: "entra", session, roles: session.roles, actor: actorName(session) };
}

/** The principal for a cookie value; null when there is no valid session (entra mode). */
export async function principalFromCookie(cookieValue: string | undefined): Promise<Principal | null> {
  const config = authConfig();
  if (config.mode === "none") return LOCAL_PRINCIPAL;
  const session = await openSession(cookieValue, serverSessionSecret());
  return session ? principalFromSession(session) : null;
}

export function principalFromRequest(request: Request): Promise<Principal | null> {
  return principalFromCookie(sessionCookieValue(request.headers.get("cookie"), requestIsHttps(request.url, request.headers)));
}

/** Throws AuthError (401 without a session, 403 without the role) unless the principal may act as `role`. */
export function assertRole(principal: Principal | null, role: Role): Principal {
  if (!principal) throw new AuthError(401, "unauthenticated", "Sign in to use Speech Posture.");
  if (!hasRole(principal.roles, role)) throw new AuthError(403, "forbidden", `This needs the ${role} role.`);
  return principal;
}

const checked = new WeakMap<Request, Principal>();

/** For route handlers: the request's principal if it holds `role` (or a higher one); AuthError otherwise. */
export async function requireRole(request: Request, role: Role): Promise<Principal> {
  const principal = assertRole(await principalFromRequest(request), role);
  checked.set(request, principal);
  return principal;
}

/** The audit actor of a request that passed requireRole. */
export function actorOfRequest(request: Request): string {
  const principal = checked.get(request);
  if (principal) return principal.actor;
  if (authConfig().mode === "none") return LOCAL_PRINCIPAL.actor;
  // A handler that names its actor must have checked the role first.
  throw new AuthError(401, "unauthenticated", "Sign in to use Speech Posture.");
}
