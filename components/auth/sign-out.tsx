"use client";
/** Signs out of both sessions: this server's (DELETE /api/session) and the identity provider's (MSAL logout). */
import { useEffect, useState } from "react";
import type { PublicAuthConfig } from "@/lib/auth/public-config";
import { createMsal } from "./msal";

export function SignOut({ config }: { config: PublicAuthConfig }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    (async () => {
      const res = await fetch("/api/session", { method: "DELETE", credentials: "same-origin" });
      if (!res.ok) throw new Error(`the server answered HTTP ${res.status}`);
      const msal = createMsal(config);
      await msal.initialize();
      const account = msal.getActiveAccount() ?? msal.getAllAccounts()[0];
      await msal.logoutRedirect({
        account,
        postLogoutRedirectUri: `${window.location.origin}/signin?signedOut=1`,
        // A plain OpenID Connect provider needs the ID token to trust the return address (Entra ID uses MSAL's logout hint).
        idTokenHint: config.oidc ? account?.idToken : undefined,
      });
    })().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [config]);
  return (
    <p className="mx-auto mt-10 max-w-md text-sm text-slate-700" role={error ? "alert" : "status"} data-testid="sign-out-status">
      {error ? `Signing out failed: ${error}` : "Signing out…"}
    </p>
  );
}
