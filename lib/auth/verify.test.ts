/**
 * Access-token checks at the sign-in exchange, with tokens signed by jose against a local key set:
 * only a token signed by the tenant's key, for this issuer, audience, tenant, time window and API
 * scope, for a user, is accepted. Each refusal names why without echoing the token.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload, type JWTVerifyGetKey, type KeyObject } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveAuthConfig, type EntraSettings } from "./config";
import { CLOCK_TOLERANCE_S, TokenRejectedError, verifyAccessToken } from "./verify";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "6e3c3d1f-2b7a-4c55-9d8e-0a1b2c3d4e5f";
const settings: EntraSettings = resolveAuthConfig({ AUTH_MODE: "entra", ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: CLIENT }, []).entra!;

let key: CryptoKey | KeyObject;
let otherKey: CryptoKey | KeyObject;
let jwks: JWTVerifyGetKey;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  const tenant = await generateKeyPair("RS256", { extractable: true });
  key = tenant.privateKey;
  otherKey = (await generateKeyPair("RS256", { extractable: true })).privateKey;
  const pub = await exportJWK(tenant.publicKey);
  jwks = createLocalJWKSet({ keys: [{ ...pub, kid: "tenant-key", alg: "RS256", use: "sig" }] });
});

function claims(overrides: JWTPayload = {}): JWTPayload {
  const t = now();
  return {
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    aud: CLIENT,
    tid: TENANT,
    oid: "0b4c8e5e-7a0d-4c4e-9b1f-3f2a1c0d9e8b",
    name: "Rita Reader",
    preferred_username: "rita@contoso.com",
    scp: "Posture.Read",
    roles: ["Posture.Reader", "Something.Else"],
    iat: t - 60,
    nbf: t - 60,
    exp: t + 3600,
    ver: "2.0",
    ...overrides,
  };
}

async function sign(payload: JWTPayload, opts: { signer?: CryptoKey | KeyObject; kid?: string; alg?: string } = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: opts.alg ?? "RS256", kid: opts.kid ?? "tenant-key", typ: "JWT" }).sign(opts.signer ?? key);
}

async function refusal(token: string): Promise<string> {
  try {
    await verifyAccessToken(token, settings, jwks);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenRejectedError);
    const message = (error as Error).message;
    // A refusal never carries the token.
    expect(message).not.toContain(token.slice(0, 40));
    return message;
  }
  throw new Error("the token was accepted");
}

describe("verifyAccessToken", () => {
  it("accepts a token from the tenant for this API and returns the user and only the app's roles", async () => {
    const c = claims();
    const id = await verifyAccessToken(await sign(c), settings, jwks);
    expect(id).toEqual({ oid: c.oid, tid: TENANT, name: "Rita Reader", upn: "rita@contoso.com", roles: ["Posture.Reader"], exp: c.exp });
  });

  it("accepts a v1 token (audience = the Application ID URI, upn claim)", async () => {
    const id = await verifyAccessToken(await sign(claims({ aud: `api://${CLIENT}`, preferred_username: undefined, upn: "rita@contoso.com" })), settings, jwks);
    expect(id.upn).toBe("rita@contoso.com");
  });

  it("refuses a wrong signature: another key under the tenant key's ID", async () => {
    expect(await refusal(await sign(claims(), { signer: otherKey }))).toMatch(/bad signature/);
  });

  it("refuses a token whose signature was altered", async () => {
    const t = await sign(claims());
    const [h, p, s] = t.split(".");
    const flipped = s.slice(0, 10) + (s[10] === "A" ? "B" : "A") + s.slice(11);
    expect(await refusal(`${h}.${p}.${flipped}`)).toMatch(/bad signature/);
  });

  it("refuses a payload changed after signing (roles raised)", async () => {
    const t = await sign(claims());
    const [h, , s] = t.split(".");
    const forged = Buffer.from(JSON.stringify(claims({ roles: ["Posture.Admin"] }))).toString("base64url");
    expect(await refusal(`${h}.${forged}.${s}`)).toMatch(/bad signature/);
  });

  it("refuses a key the tenant does not publish", async () => {
    expect(await refusal(await sign(claims(), { signer: otherKey, kid: "attacker-key" }))).toMatch(/key the tenant does not publish/);
  });

  it("refuses unsigned and HMAC tokens", async () => {
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims())).toString("base64url")}.`;
    expect(await refusal(none)).toMatch(/refused/);
    const hmac = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: "tenant-key" }).sign(new TextEncoder().encode("x".repeat(32)));
    expect(await refusal(hmac)).toMatch(/algorithm other than RS256|refused/);
  });

  it("refuses another issuer", async () => {
    expect(await refusal(await sign(claims({ iss: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0" })))).toMatch(/issuer/);
    expect(await refusal(await sign(claims({ iss: "https://evil.example/" })))).toMatch(/issuer/);
  });

  it("refuses another audience (a token for another API, an ID token's audience elsewhere)", async () => {
    expect(await refusal(await sign(claims({ aud: "https://management.azure.com" })))).toMatch(/audience/);
    expect(await refusal(await sign(claims({ aud: "00000000-1111-2222-3333-444444444444" })))).toMatch(/audience/);
  });

  it("refuses another tenant", async () => {
    expect(await refusal(await sign(claims({ tid: "00000000-0000-0000-0000-000000000001" })))).toMatch(/another tenant/);
    expect(await refusal(await sign(claims({ tid: undefined })))).toMatch(/tid/);
  });

  it("refuses an expired token, beyond the clock tolerance", async () => {
    const t = now();
    expect(await refusal(await sign(claims({ iat: t - 7200, nbf: t - 7200, exp: t - CLOCK_TOLERANCE_S - 5 })))).toMatch(/expired/);
  });

  it("refuses a token that is not yet valid (nbf), beyond the clock tolerance", async () => {
    const t = now();
    expect(await refusal(await sign(claims({ nbf: t + CLOCK_TOLERANCE_S + 120 })))).toMatch(/not yet valid/);
  });

  it("refuses a token issued in the future (iat), beyond the clock tolerance, and names a missing iat as missing", async () => {
    const t = now();
    expect(await refusal(await sign(claims({ iat: t + CLOCK_TOLERANCE_S + 120 })))).toMatch(/issued in the future \(iat\)/);
    expect(await refusal(await sign(claims({ iat: undefined })))).toMatch(/missing claim \(iat\)/);
    // Within the tolerance, a little clock difference is fine.
    await expect(verifyAccessToken(await sign(claims({ iat: t + 30 })), settings, jwks)).resolves.toMatchObject({ tid: TENANT });
  });

  it("refuses a token without an expiry", async () => {
    expect(await refusal(await sign(claims({ exp: undefined })))).toMatch(/exp/);
  });

  it("refuses a token without this API's scope, an app-only token, and one without a user", async () => {
    expect(await refusal(await sign(claims({ scp: "User.Read" })))).toMatch(/scope/);
    expect(await refusal(await sign(claims({ scp: undefined })))).toMatch(/scope/);
    expect(await refusal(await sign(claims({ scp: undefined, idtyp: "app" })))).toMatch(/app-only/);
    expect(await refusal(await sign(claims({ oid: undefined })))).toMatch(/oid/);
  });

  it("refuses what is not a JWT at all", async () => {
    for (const junk of ["", "abc", "a.b", "x".repeat(20_000), "<script>.a.b", "a.b.c.d.e"])
      await expect(verifyAccessToken(junk, settings, jwks)).rejects.toBeInstanceOf(TokenRejectedError);
  });
});
