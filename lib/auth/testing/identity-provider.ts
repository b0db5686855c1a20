/**
 * Tests only: a local OpenID Connect provider (oidc-provider) over HTTPS on loopback that stands in
 * for Entra ID. It issues RS256 JWT access tokens for the app's API scope carrying what Entra puts in
 * them (`tid`, `oid`, `scp`, `roles`, `name`, `preferred_username`, `aud` = the client ID), to a
 * public client with PKCE, through its built-in login form (any password). Each user's app roles are
 * fixed here; an unknown login gets none.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { generateCertificate } from "@/emulator/certificate";

export interface TestUser {
  oid: string;
  name: string;
  upn: string;
  roles: string[];
}

export interface TestIdentityProvider {
  /** The issuer and MSAL authority, e.g. https://127.0.0.1:41234 */
  issuer: string;
  /** PEM of the certificate to trust (NODE_EXTRA_CA_CERTS for the app server). */
  ca: string;
  tenantId: string;
  clientId: string;
  apiScope: string;
  users: Record<string, TestUser>;
  close(): Promise<void>;
}

export const TEST_USERS: Record<string, TestUser> = {
  reader: { oid: "11111111-1111-4111-8111-111111111111", name: "Rita Reader", upn: "reader@contoso.test", roles: ["Posture.Reader"] },
  operator: { oid: "22222222-2222-4222-8222-222222222222", name: "Otto Operator", upn: "operator@contoso.test", roles: ["Posture.Operator"] },
  admin: { oid: "33333333-3333-4333-8333-333333333333", name: "Ada Admin", upn: "admin@contoso.test", roles: ["Posture.Admin"] },
  norole: { oid: "44444444-4444-4444-8444-444444444444", name: "Nora Norole", upn: "norole@contoso.test", roles: [] },
};

export interface StartOptions {
  tenantId?: string;
  clientId?: string;
  /** Where the app runs, e.g. http://127.0.0.1:3200 (redirect URIs are derived from it). */
  appOrigin: string;
  users?: Record<string, TestUser>;
}

export async function startTestIdentityProvider(opts: StartOptions): Promise<TestIdentityProvider> {
  const tenantId = opts.tenantId ?? randomUUID();
  const clientId = opts.clientId ?? randomUUID();
  const users = opts.users ?? TEST_USERS;
  const apiScope = `api://${clientId}/Posture.Read`;
  const { key, cert } = await generateCertificate();
  const server: Server = createServer({ key, cert });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  const account = (id: string) => users[id] ?? { oid: "55555555-5555-4555-8555-555555555555", name: id, upn: `${id}@contoso.test`, roles: [] };

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        application_type: "web",
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: [`${opts.appOrigin}/signin/callback`],
        post_logout_redirect_uris: [`${opts.appOrigin}/signin?signedOut=1`],
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: "test-key-1", alg: "RS256", use: "sig" } as never] },
    cookies: { keys: [randomUUID()] },
    pkce: { required: () => true },
    clientBasedCORS: () => true,
    findAccount: async (_ctx, id) => {
      const u = account(id);
      return { accountId: id, claims: async () => ({ sub: u.oid, oid: u.oid, tid: tenantId, name: u.name, preferred_username: u.upn }) };
    },
    claims: { openid: ["sub"], profile: ["name", "preferred_username", "oid", "tid"] },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => `api://${clientId}`,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: apiScope,
          audience: clientId,
          accessTokenFormat: "jwt",
          accessTokenTTL: 3600,
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
    // First-party app: no consent screen (as with admin consent in Entra).
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const session = ctx.oidc.session!;
      const existing = ctx.oidc.result?.consent?.grantId || session.grantIdFor(ctx.oidc.client!.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: session.accountId! });
      grant.addOIDCScope("openid profile offline_access");
      grant.addResourceScope(`api://${clientId}`, apiScope);
      await grant.save();
      return grant;
    },
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== "AccessToken") return undefined;
      const u = account(token.accountId!);
      return { tid: tenantId, oid: u.oid, name: u.name, preferred_username: u.upn, roles: u.roles, scp: "Posture.Read", ver: "2.0" };
    },
    ttl: { AccessToken: 3600, IdToken: 3600, Session: 3600, Grant: 3600, Interaction: 600, RefreshToken: 3600, AuthorizationCode: 60 },
  };
  const provider = new Provider(issuer, configuration);
  server.on("request", provider.callback());
  return {
    issuer,
    ca: cert,
    tenantId,
    clientId,
    apiScope,
    users,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}
