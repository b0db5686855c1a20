/**
 * The sign-in session.
 *   POST   { accessToken } (or `Authorization: Bearer …`): exchange an Entra access token for this
 *          app's API scope, once, for a session cookie. 401 for a refused token, 403 without an app role.
 *   GET    who is signed in (401 when nobody is).
 *   DELETE sign out: the cookie is removed and the session stops working on this server.
 * The token is never stored, logged or echoed.
 */
import { authConfig } from "@/lib/auth/config";
import { principalFromRequest, serverSessionSecret, type Principal } from "@/lib/auth/principal";
import { highestRole } from "@/lib/auth/roles";
import { requestIsHttps } from "@/lib/auth/forwarded";
import { clearedSessionCookies, newSession, openSession, revokeSession, sealSession, sessionCookie, sessionCookieValue } from "@/lib/auth/session";
import { claimTokenExchange } from "@/lib/auth/revocation";
import { TokenRejectedError, remoteKeys, verifyAccessToken } from "@/lib/auth/verify";
import type { JWTVerifyGetKey } from "jose";
import { errorBody, handle, json, readBodyText } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

let keys: JWTVerifyGetKey | undefined;

function view(p: Principal) {
  return {
    mode: p.mode,
    user: p.session ? { name: p.session.name, upn: p.session.upn, oid: p.session.oid } : null,
    roles: p.roles,
    role: highestRole(p.roles),
    expiresAt: p.session ? new Date(p.session.exp * 1000).toISOString() : null,
  };
}

export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const principal = await principalFromRequest(request);
    if (!principal) return errorBody(401, "unauthenticated", "Nobody is signed in.");
    return json(view(principal));
  });
}

async function tokenFrom(request: Request): Promise<string | null> {
  const auth = request.headers.get("authorization");
  if (auth) return /^Bearer ([^\s]+)$/i.exec(auth.trim())?.[1] ?? null;
  const text = await readBodyText(request, 32 * 1024);
  try {
    const body = JSON.parse(text) as { accessToken?: unknown };
    return typeof body?.accessToken === "string" ? body.accessToken : null;
  } catch {
    return null;
  }
}

export function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const config = authConfig();
    if (config.mode !== "entra" || !config.entra) return errorBody(409, "conflict", "Sign-in is off (AUTH_MODE=none): there is no session to start.");
    const token = await tokenFrom(request);
    if (!token) return errorBody(401, "unauthenticated", 'Send the access token as { "accessToken": "…" } or an Authorization: Bearer header.');
    keys ??= remoteKeys(config.entra);
    let identity;
    try {
      identity = await verifyAccessToken(token, config.entra, keys);
    } catch (error) {
      if (error instanceof TokenRejectedError) return errorBody(401, "invalid_token", error.message);
      throw error;
    }
    if (identity.roles.length === 0) {
      return errorBody(
        403,
        "no_role",
        "Your account has no Speech Posture role. Ask an administrator to assign you Posture.Reader, Posture.Operator or Posture.Admin.",
      );
    }
    // One session per access token: a token seen before (a replay, or after sign-out) is refused.
    if (!(await claimTokenExchange(token, identity.exp))) {
      return errorBody(401, "invalid_token", "The access token was refused: it was already exchanged for a session. Sign in again.");
    }
    const session = newSession(identity);
    const secure = requestIsHttps(request.url, request.headers);
    const cookie = sessionCookie(await sealSession(session, serverSessionSecret()), session, secure);
    const p: Principal = { mode: "entra", session, roles: session.roles, actor: "" };
    return json(view(p), 200, { "set-cookie": cookie });
  });
}

export function DELETE(request: Request): Promise<Response> {
  return handle(async () => {
    const secure = requestIsHttps(request.url, request.headers);
    if (authConfig().mode === "entra") {
      const session = await openSession(sessionCookieValue(request.headers.get("cookie"), secure), serverSessionSecret());
      if (session) await revokeSession(session);
    }
    const headers = new Headers({ "cache-control": "no-store" });
    for (const c of clearedSessionCookies(secure)) headers.append("set-cookie", c);
    return new Response(null, { status: 204, headers });
  });
}
