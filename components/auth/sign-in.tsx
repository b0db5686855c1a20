"use client";
/**
 * Sign-in with MSAL React (redirect flow): back from the identity provider (or with an account
 * MSAL already holds), the access token for this app's API scope is exchanged once at
 * POST /api/session for the session cookie, and the browser goes where it was going. Only the
 * server's session is used after that; the token is not sent anywhere else.
 */
import { InteractionStatus, type PublicClientApplication } from "@azure/msal-browser";
import { MsalProvider, useMsal } from "@azure/msal-react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { PublicAuthConfig } from "@/lib/auth/public-config";
import { ROLE_LABEL, type Role } from "@/lib/auth/roles";
import { createMsal } from "./msal";

interface Props {
  config: PublicAuthConfig;
  /** Where to go once signed in (a checked local path). */
  next: string;
  signedOut: boolean;
  /** The role a page asked for that the signed-in user lacks. */
  denied: Role | null;
}

export function SignIn(props: Props) {
  const hydrated = useHydrated();
  // MSAL needs the browser (window.crypto, storage): created once the page is hydrated.
  const msal = useMemo<PublicClientApplication | null>(() => (hydrated ? createMsal(props.config) : null), [hydrated, props.config]);
  return (
    <div className="mx-auto mt-10 max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="sign-in">
      <h1 className="text-lg font-semibold text-slate-900">Sign in to Speech Posture</h1>
      {msal ? (
        <MsalProvider instance={msal}>
          <Flow {...props} />
        </MsalProvider>
      ) : (
        <p className="mt-3 text-sm text-slate-600">Preparing sign-in…</p>
      )}
    </div>
  );
}

type State = { phase: "working"; text: string } | { phase: "idle"; text: string } | { phase: "error"; text: string };

function Flow({ config, next, signedOut, denied }: Props) {
  const { instance, inProgress } = useMsal();
  const [state, setState] = useState<State>({ phase: "working", text: "Signing in…" });
  const started = useRef(false);

  const signIn = async (prompt?: "login" | "select_account") => {
    setState({ phase: "working", text: "Going to your organisation's sign-in page…" });
    await instance.loginRedirect({ scopes: [config.apiScope], prompt });
  };

  useEffect(() => {
    if (inProgress !== InteractionStatus.None || started.current) return;
    started.current = true;
    (async () => {
      if (denied) {
        setState({
          phase: "error",
          text: `Your account does not have the ${ROLE_LABEL[denied]} role this page needs. Ask an administrator, or sign in with another account.`,
        });
        return;
      }
      // MsalProvider has already handled the answer from the identity provider; this returns the same result.
      const result = await instance.handleRedirectPromise();
      if (result?.account) instance.setActiveAccount(result.account);
      let token = result?.accessToken || null;
      const account = instance.getActiveAccount() ?? instance.getAllAccounts()[0] ?? null;
      if (!token && account && !signedOut) {
        try {
          // A fresh token: the server exchanges each access token once, and a cached one may have been.
          token = (await instance.acquireTokenSilent({ scopes: [config.apiScope], account, forceRefresh: true })).accessToken;
        } catch {
          token = null;
        }
      }
      if (token) {
        setState({ phase: "working", text: "Starting your session…" });
        const res = await fetch("/api/session", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ accessToken: token }),
          credentials: "same-origin",
        });
        if (res.ok) {
          window.location.replace(next);
          return;
        }
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        setState({ phase: "error", text: body?.error?.message ?? `The server refused the sign-in (HTTP ${res.status}).` });
        return;
      }
      if (signedOut) {
        setState({ phase: "idle", text: "You have signed out." });
        return;
      }
      await signIn();
    })().catch((error: unknown) => setState({ phase: "error", text: `Sign-in failed: ${error instanceof Error ? error.message : String(error)}` }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [inProgress]);

  return (
    <div className="mt-3 space-y-4 text-sm">
      <p
        role={state.phase === "error" ? "alert" : "status"}
        data-testid="sign-in-status"
        className={state.phase === "error" ? "text-red-800" : "text-slate-700"}
      >
        {state.text}
      </p>
      {state.phase !== "working" ? (
        <button
          type="button"
          onClick={() => void signIn(state.phase === "error" ? "select_account" : undefined)}
          className="rounded-md bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600"
        >
          {state.phase === "error" ? "Sign in with another account" : "Sign in"}
        </button>
      ) : null}
    </div>
  );
}
