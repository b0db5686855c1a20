/**
 * The session for server components and server actions (through `next/headers`). Pages call
 * `requirePageRole` (a redirect to sign-in without a session), actions call `requireActionRole`
 * (an error the action's caller sees). Both sit behind the proxy's check of the same rule.
 */
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { assertRole, principalFromCookie, type Principal } from "./principal";
import { hasRole, type Role } from "./roles";
import { requestIsHttps } from "./forwarded";
import { cookieNameFor } from "./session";

export async function currentPrincipal(): Promise<Principal | null> {
  // Pages and actions see no URL; the server itself never terminates TLS, so https is what a trusted proxy says.
  const secure = requestIsHttps("http:", await headers());
  return principalFromCookie((await cookies()).get(cookieNameFor(secure))?.value);
}

/** For pages: the principal, after redirecting to sign-in (no session) or to the overview's 403 notice (no role). */
export async function requirePageRole(role: Role): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect("/signin");
  if (!hasRole(principal.roles, role)) redirect(`/signin?denied=${encodeURIComponent(role)}`);
  return principal;
}

/** For server actions: throws unless the signed-in user holds `role`. */
export async function requireActionRole(role: Role): Promise<Principal> {
  return assertRole(await currentPrincipal(), role);
}
