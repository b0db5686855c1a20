"use client";
/**
 * The redirect URI (/signin/callback). MSAL v5 answers here first: the bridge keeps the identity
 * provider's answer for the page that started the sign-in and goes back to it.
 */
import { useEffect, useState } from "react";

export function RedirectBridge() {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    import("@azure/msal-browser/redirect-bridge")
      .then((m) => m.broadcastResponseToMainFrame())
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  return (
    <p className="mx-auto mt-10 max-w-md text-sm text-slate-700" role={error ? "alert" : "status"}>
      {error ? (
        <>
          Sign-in could not finish: {error}.{" "}
          <a href="/signin" className="underline">
            Try again
          </a>
        </>
      ) : (
        "Finishing sign-in…"
      )}
    </p>
  );
}
