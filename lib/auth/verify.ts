/**
 * Checks an Entra ID access token for this app's API: RS256 signature against the tenant's
 * published keys, issuer, audience, tenant (`tid`), `exp` and `nbf`, a delegated scope for this
 * API, and a user (`oid`). Returns who it is and which app roles they hold. A refusal never
 * carries the token or its claims' values, so it can be logged and returned as is.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { EntraSettings } from "./config";
import { rolesFromClaim, type Role } from "./roles";

export interface Identity {
  /** The user's object ID in the tenant. */
  oid: string;
  tid: string;
  name: string | null;
  /** The sign-in name (`preferred_username` in v2 tokens, `upn` in v1). */
  upn: string | null;
  roles: Role[];
  /** When the token expires, seconds since the epoch. */
  exp: number;
}

export class TokenRejectedError extends Error {
  constructor(readonly reason: string) {
    super(`The access token was refused: ${reason}`);
    this.name = "TokenRejectedError";
  }
}

/** Allowed difference between our clock and the identity provider's, in seconds. */
export const CLOCK_TOLERANCE_S = 60;

export async function verifyAccessToken(token: string, settings: EntraSettings, keys: JWTVerifyGetKey, now?: Date): Promise<Identity> {
  if (typeof token !== "string" || token.length === 0 || token.length > 16_384 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) {
    throw new TokenRejectedError("not a signed JWT");
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: ["RS256"],
      issuer: settings.issuer,
      audience: settings.audiences,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["exp", "iat", "tid", "oid"],
      currentDate: now,
    }));
  } catch (error) {
    throw new TokenRejectedError(describe(error));
  }
  // jose checks `iat` only against a maximum age; a token dated in the future is no more valid than one not yet valid.
  const nowS = Math.floor((now ?? new Date()).getTime() / 1000);
  if (typeof payload.iat !== "number" || payload.iat > nowS + CLOCK_TOLERANCE_S) throw new TokenRejectedError("issued in the future (iat)");
  if (payload.tid !== settings.tenantId) throw new TokenRejectedError("issued for another tenant (tid)");
  if (typeof payload.oid !== "string" || payload.oid === "") throw new TokenRejectedError("no user object ID (oid)");
  if (payload.idtyp === "app") throw new TokenRejectedError("an app-only token; sign in as a user");
  const scopes = typeof payload.scp === "string" ? payload.scp.split(" ") : [];
  if (!scopes.includes(settings.scopeName)) throw new TokenRejectedError(`not issued for the ${settings.scopeName} scope (scp)`);
  const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim().slice(0, 256) : null);
  return {
    oid: payload.oid,
    tid: payload.tid as string,
    name: str(payload.name),
    upn: str(payload.preferred_username) ?? str(payload.upn) ?? str(payload.email),
    roles: rolesFromClaim(payload.roles),
    exp: payload.exp!,
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "expired (exp)";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return `missing claim (${error.claim})`;
    if (error.claim === "nbf") return "not yet valid (nbf)";
    if (error.claim === "iss") return "wrong issuer (iss)";
    if (error.claim === "aud") return "wrong audience (aud)";
    if (error.claim === "iat") return "issued in the future (iat)";
    return `missing or invalid claim ${error.claim}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad signature";
  if (error instanceof errors.JWKSNoMatchingKey) return "signed with a key the tenant does not publish";
  if (error instanceof errors.JOSEAlgNotAllowed) return "signed with an algorithm other than RS256";
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return "the signing keys could not be fetched";
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return "malformed token";
  if (error instanceof errors.JOSEError) return error.code;
  return "the signing keys could not be fetched";
}

/** The tenant's signing keys: from ENTRA_JWKS_URI, or discovered from the issuer's OpenID configuration; cached. */
export function remoteKeys(settings: EntraSettings): JWTVerifyGetKey {
  let jwks: JWTVerifyGetKey | undefined;
  let discovering: Promise<JWTVerifyGetKey> | undefined;
  const resolveJwks = async (): Promise<JWTVerifyGetKey> => {
    if (jwks) return jwks;
    discovering ??= (async () => {
      let uri = settings.jwksUri;
      if (!uri) {
        const res = await fetch(`${settings.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000), redirect: "error" });
        if (!res.ok) throw new errors.JWKSInvalid(`OpenID configuration answered HTTP ${res.status}`);
        const meta = (await res.json()) as { jwks_uri?: unknown; issuer?: unknown };
        if (typeof meta.jwks_uri !== "string" || !meta.jwks_uri.startsWith("https://"))
          throw new errors.JWKSInvalid("OpenID configuration has no https jwks_uri");
        uri = meta.jwks_uri;
      }
      jwks = createRemoteJWKSet(new URL(uri), { timeoutDuration: 10_000, cooldownDuration: 30_000, cacheMaxAge: 6 * 3600_000 });
      return jwks;
    })().finally(() => {
      discovering = undefined;
    });
    return discovering;
  };
  return async (header, token) => (await resolveJwks())(header, token);
}
