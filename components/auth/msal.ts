/**
 * The MSAL (msal-browser v5) client for this app's sign-in pages, built from the server-rendered
 * public settings. Redirect flow: the identity provider answers on /signin/callback (the redirect
 * bridge), which hands the answer back to the page that started the sign-in.
 */
import { LogLevel, ProtocolMode, PublicClientApplication, type Configuration } from "@azure/msal-browser";
import type { PublicAuthConfig } from "@/lib/auth/public-config";

export function msalConfiguration(config: PublicAuthConfig, origin: string): Configuration {
  return {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: config.oidc ? [new URL(config.authority).host] : [],
      redirectUri: `${origin}/signin/callback`,
      postLogoutRedirectUri: `${origin}/signin?signedOut=1`,
    },
    cache: { cacheLocation: "sessionStorage" },
    system: {
      // Only a test configuration talks plain OpenID Connect; Entra ID is the default.
      protocolMode: config.oidc ? ProtocolMode.OIDC : ProtocolMode.AAD,
      loggerOptions: { logLevel: LogLevel.Warning, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  };
}

export function createMsal(config: PublicAuthConfig): PublicClientApplication {
  return new PublicClientApplication(msalConfiguration(config, window.location.origin));
}
