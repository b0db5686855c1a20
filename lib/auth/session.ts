/**
 * The sign-in session: an encrypted, authenticated cookie (JWE, `dir` + A256GCM) made with a key
 * derived from SESSION_SECRET (or from `data/session-secret`, generated on first start). It holds
 * who the user is and their app roles, and expires when the access token it came from expires.
 * Its content is never logged.
 */
import { randomBytes, hkdfSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { EncryptJWT, jwtDecrypt } from "jose";
import type { Identity } from "./verify";
import { isSessionRevoked, revokeSessionById } from "./revocation";
import { rolesFromClaim, type Role } from "./roles";

export interface Session {
  /** Random session ID (for sign-out before expiry). */
  sid: string;
  oid: string;
  tid: string;
  name: string | null;
  upn: string | null;
  roles: Role[];
  /** Expiry, seconds since the epoch: never later than the access token's. */
  exp: number;
}

export const SESSION_COOKIE = "sp_session";
/** Over https the cookie gets the `__Host-` prefix: Secure, Path=/, no Domain, so no other host can set it. */
export const SECURE_SESSION_COOKIE = "__Host-sp_session";
const AUDIENCE = "speech-posture.session";

export const DEFAULT_SECRET_FILE = "data/session-secret";

/** SESSION_SECRET, or the generated secret in data/session-secret (created on first use, mode 0600). */
export function sessionSecret(env: Record<string, string | undefined> = process.env, file = DEFAULT_SECRET_FILE): string {
  const configured = env.SESSION_SECRET?.trim();
  if (configured) {
    if (configured.length < 32) throw new Error("SESSION_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`)");
    return configured;
  }
  const path = resolve(/*turbopackIgnore: true*/ file);
  if (!existsSync(/*turbopackIgnore: true*/ path)) {
    mkdirSync(/*turbopackIgnore: true*/ dirname(path), { recursive: true });
    try {
      writeFileSync(/*turbopackIgnore: true*/ path, randomBytes(48).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  chmodSync(/*turbopackIgnore: true*/ path, 0o600);
  const secret = readFileSync(/*turbopackIgnore: true*/ path, "utf8").trim();
  if (secret.length < 32) throw new Error(`${file} holds fewer than 32 characters; delete it to have a new one generated`);
  return secret;
}

const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new Uint8Array(hkdfSync("sha256", secret, "speech-posture", "session cookie v1 A256GCM", 32));
    keys.set(secret, key);
  }
  return key;
}

/** The longest a session may last, whatever the token says (Entra access tokens last about 60–90 minutes). */
export const MAX_SESSION_S = 12 * 3600;

export function newSession(identity: Identity, nowS = Math.floor(Date.now() / 1000)): Session {
  return {
    sid: randomBytes(18).toString("base64url"),
    oid: identity.oid,
    tid: identity.tid,
    name: identity.name,
    upn: identity.upn,
    roles: identity.roles,
    exp: Math.min(identity.exp, nowS + MAX_SESSION_S),
  };
}

export async function sealSession(session: Session, secret: string): Promise<string> {
  return new EncryptJWT({ oid: session.oid, tid: session.tid, name: session.name, upn: session.upn, roles: session.roles })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setJti(session.sid)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(session.exp)
    .encrypt(keyFor(secret));
}

/** The session in a cookie value, or null when it is missing, forged, expired or revoked. */
export async function openSession(value: string | undefined | null, secret: string, now?: Date): Promise<Session | null> {
  if (!value || value.length > 8192) return null;
  try {
    const { payload } = await jwtDecrypt(value, keyFor(secret), {
      audience: AUDIENCE,
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
      requiredClaims: ["exp", "jti"],
      currentDate: now,
    });
    if (typeof payload.oid !== "string" || typeof payload.tid !== "string" || typeof payload.jti !== "string") return null;
    if (await isSessionRevoked(payload.jti)) return null;
    return {
      sid: payload.jti,
      oid: payload.oid,
      tid: payload.tid,
      name: typeof payload.name === "string" ? payload.name : null,
      upn: typeof payload.upn === "string" ? payload.upn : null,
      roles: rolesFromClaim(payload.roles),
      exp: payload.exp!,
    };
  } catch {
    return null;
  }
}

/**
 * Signs a session out before it expires: it stops working at once here, and (through the store)
 * on every instance and after a restart.
 */
export function revokeSession(session: Pick<Session, "sid" | "exp">): Promise<void> {
  return revokeSessionById(session.sid, session.exp);
}

/** Whether the request came over https (directly, or through a proxy that says so). */
export function isHttps(url: string, forwardedProto: string | null): boolean {
  const first = forwardedProto?.split(",")[0]?.trim().toLowerCase();
  return first ? first === "https" : url.startsWith("https:");
}

export function cookieNameFor(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, Secure over https, gone when the token expires. */
export function sessionCookie(value: string, session: Session, secure: boolean, nowS = Math.floor(Date.now() / 1000)): string {
  const maxAge = Math.max(0, session.exp - nowS);
  return `${cookieNameFor(secure)}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

/** `Set-Cookie` values that remove the session cookie under both names. */
export function clearedSessionCookies(secure: boolean): string[] {
  return [
    `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`,
    `${SECURE_SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure`,
  ];
}

/**
 * The session cookie's value from a `Cookie` header: over https only the `__Host-` one, which no
 * other host (a sibling subdomain) can set; a plain `sp_session` there may have been planted
 * ("cookie tossing"). Over http only the plain one (browsers keep `__Host-` cookies for https).
 */
export function sessionCookieValue(cookieHeader: string | null, secure: boolean): string | undefined {
  if (!cookieHeader) return undefined;
  const wanted = cookieNameFor(secure);
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === wanted) return part.slice(eq + 1).trim();
  }
  return undefined;
}
