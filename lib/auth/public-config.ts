/**
 * What the browser needs to sign in, rendered by the server into the sign-in pages: public
 * identifiers only (tenant authority, client ID, API scope), never a secret.
 */
import type { AuthConfig } from "./config";

export interface PublicAuthConfig {
  clientId: string;
  authority: string;
  apiScope: string;
  /** Tests only (AUTH_TEST_OIDC=1): plain OpenID Connect against a local provider. */
  oidc: boolean;
}

export function publicAuthConfig(config: AuthConfig): PublicAuthConfig | null {
  if (config.mode !== "entra" || !config.entra) return null;
  const { clientId, authority, apiScope, testOidc } = config.entra;
  return { clientId, authority, apiScope, oidc: testOidc };
}

/** Where to go after signing in: a path on this site only (no `//host`, no scheme, no backslash). */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2048) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || /[\u0000-\u001f\u007f]/.test(value)) return "/";
  if (value === "/signin" || value.startsWith("/signin?") || value.startsWith("/signin/") || value.startsWith("/signout")) return "/";
  return value;
}
