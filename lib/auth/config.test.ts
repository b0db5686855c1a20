/** Sign-in settings: the demo's no-sign-in mode only on loopback, and Entra settings checked up front. */
import { describe, expect, it } from "vitest";
import { AuthConfigError, hostFromArgv, hostsFromArgv, isLoopbackHost, resolveAuthConfig } from "./config";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "6e3c3d1f-2b7a-4c55-9d8e-0a1b2c3d4e5f";
const entra = { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: CLIENT };
const env = (e: Record<string, string>) => e;

describe("auth mode", () => {
  it("defaults to none on loopback and to entra anywhere else (or when the address is unknown)", () => {
    expect(resolveAuthConfig(env({ SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" }), []).mode).toBe("none");
    expect(resolveAuthConfig(env({}), ["node", "next", "start", "-H", "::1"]).mode).toBe("none");
    expect(resolveAuthConfig(env({ ...entra, SPEECH_POSTURE_LISTEN_HOST: "0.0.0.0" }), []).mode).toBe("entra");
    expect(resolveAuthConfig(env(entra), ["node", "next", "start"]).mode).toBe("entra");
  });

  it("refuses AUTH_MODE=none off loopback, saying what to do", () => {
    for (const host of ["0.0.0.0", "10.1.2.3", "::", "speech.contoso.com", ""]) {
      expect(() => resolveAuthConfig(env({ AUTH_MODE: "none", SPEECH_POSTURE_LISTEN_HOST: host }), [])).toThrow(AuthConfigError);
    }
    expect(() => resolveAuthConfig(env({ AUTH_MODE: "none" }), ["next", "start", "--hostname=0.0.0.0"])).toThrow(
      /only allowed when the server listens on loopback.*0\.0\.0\.0/,
    );
  });

  it("refuses listen options that disagree (Next binds to the last -H, the check once read the first)", () => {
    for (const [e, argv] of [
      [{}, ["next", "start", "-H", "127.0.0.1", "-H", "0.0.0.0"]],
      [{}, ["next", "start", "--hostname", "127.0.0.1", "--hostname=0.0.0.0"]],
      [{}, ["next", "start", "-H127.0.0.1", "-H0.0.0.0"]],
      [{ SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" }, ["next", "start", "-H", "0.0.0.0"]],
      [{ AUTH_MODE: "none", SPEECH_POSTURE_LISTEN_HOST: "localhost" }, ["next", "start", "--hostname", "::"]],
    ] as const) {
      expect(() => resolveAuthConfig(env(e), argv, []), argv.join(" ")).toThrow(/given more than once, differently/);
    }
    // The same address twice is no conflict.
    expect(resolveAuthConfig(env({ SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" }), ["next", "start", "-H", "127.0.0.1"], []).mode).toBe("none");
    expect(hostsFromArgv(["next", "start", "-H", "a", "-Hb", "--hostname", "c", "--hostname=d"])).toEqual(["a", "b", "c", "d"]);
    expect(hostFromArgv(["next", "start", "-H", "127.0.0.1", "-H", "0.0.0.0"])).toBe("0.0.0.0");
  });

  it("goes by the address the server actually bound, whatever the options say", () => {
    const loopbackOptions = env({ SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" });
    expect(() => resolveAuthConfig(env({ AUTH_MODE: "none", SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" }), [], ["0.0.0.0"])).toThrow(
      /only allowed when the server listens on loopback.*0\.0\.0\.0/,
    );
    expect(() => resolveAuthConfig(loopbackOptions, [], ["::"])).toThrow(/AUTH_MODE=entra needs/);
    expect(resolveAuthConfig({ ...loopbackOptions, ...entra }, [], ["127.0.0.1", "::"]).mode).toBe("entra");
    expect(resolveAuthConfig(loopbackOptions, [], ["127.0.0.1"]).mode).toBe("none");
    expect(resolveAuthConfig(loopbackOptions, [], ["::1"]).mode).toBe("none");
  });

  it("refuses an unknown AUTH_MODE", () => {
    expect(() => resolveAuthConfig(env({ AUTH_MODE: "off", SPEECH_POSTURE_LISTEN_HOST: "127.0.0.1" }), [])).toThrow(/AUTH_MODE must be/);
  });

  it("knows loopback addresses", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "::ffff:127.0.0.1", "app.localhost"])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "", "128.0.0.1", "127.0.0.1.evil.com", "localhost.evil.com", "10.0.0.1", "127.0.0.256"])
      expect(isLoopbackHost(h), h).toBe(false);
    expect(hostFromArgv(["next", "start", "-p", "3000", "-H", "127.0.0.1"])).toBe("127.0.0.1");
    expect(hostFromArgv(["next", "start", "--hostname", "0.0.0.0"])).toBe("0.0.0.0");
    expect(hostFromArgv(["next", "start"])).toBeUndefined();
  });
});

describe("entra settings", () => {
  it("needs the tenant and client IDs as GUIDs", () => {
    expect(() => resolveAuthConfig(env({ AUTH_MODE: "entra" }), [])).toThrow(/ENTRA_TENANT_ID and ENTRA_CLIENT_ID/);
    expect(() => resolveAuthConfig(env({ AUTH_MODE: "entra", ENTRA_TENANT_ID: "contoso.onmicrosoft.com", ENTRA_CLIENT_ID: CLIENT }), [])).toThrow(/GUID/);
  });

  it("derives the scope, authority, issuer and audiences for the public cloud", () => {
    const e = resolveAuthConfig(env({ AUTH_MODE: "entra", ...entra }), []).entra!;
    expect(e).toMatchObject({
      apiScope: `api://${CLIENT}/Posture.Read`,
      scopeName: "Posture.Read",
      authority: `https://login.microsoftonline.com/${TENANT}`,
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      audiences: [CLIENT, `api://${CLIENT}`],
      jwksUri: null,
      testOidc: false,
    });
  });

  it("follows AZURE_CLOUD for the sign-in host", () => {
    expect(resolveAuthConfig(env({ AUTH_MODE: "entra", ...entra, AZURE_CLOUD: "AzureUSGovernment" }), []).entra!.issuer).toBe(
      `https://login.microsoftonline.us/${TENANT}/v2.0`,
    );
    expect(resolveAuthConfig(env({ AUTH_MODE: "entra", ...entra, AZURE_CLOUD: "AzureChinaCloud" }), []).entra!.authority).toBe(
      `https://login.chinacloudapi.cn/${TENANT}`,
    );
  });

  it("takes overrides, but only https ones", () => {
    const e = resolveAuthConfig(
      env({
        AUTH_MODE: "entra",
        ...entra,
        ENTRA_API_SCOPE: "api://speech-posture/Posture.Read",
        ENTRA_AUTHORITY: "https://127.0.0.1:8443/",
        AUTH_TEST_OIDC: "1",
      }),
      [],
    ).entra!;
    expect(e).toMatchObject({
      apiScope: "api://speech-posture/Posture.Read",
      authority: "https://127.0.0.1:8443",
      issuer: "https://127.0.0.1:8443",
      audiences: [CLIENT, "api://speech-posture"],
      testOidc: true,
    });
    expect(() => resolveAuthConfig(env({ AUTH_MODE: "entra", ...entra, ENTRA_AUTHORITY: "http://127.0.0.1:8080" }), [])).toThrow(/https/);
    expect(() => resolveAuthConfig(env({ AUTH_MODE: "entra", ...entra, ENTRA_JWKS_URI: "http://x/keys" }), [])).toThrow(/https/);
    expect(() => resolveAuthConfig(env({ AUTH_MODE: "entra", ...entra, ENTRA_API_SCOPE: "Posture.Read" }), [])).toThrow(/ENTRA_API_SCOPE/);
  });

  it("talks plain OIDC to the identity provider only when AUTH_TEST_OIDC=1", () => {
    expect(resolveAuthConfig(env({ AUTH_MODE: "entra", ...entra, AUTH_TEST_OIDC: "true" }), []).entra!.testOidc).toBe(false);
  });
});
