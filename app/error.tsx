"use client";
/** What a page shows when reading the store fails: what happened and how to retry. */
import { useEffect } from "react";
import { Alert } from "@/components/ui/layout";
import { buttonPrimary } from "@/components/ui/buttons";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">This page could not be loaded</h1>
      <Alert tone="error" title="Reading the stored scans failed">
        <p>{error.message || "The server could not complete the request."}</p>
        <p className="text-xs">
          If the database is unreachable, check <code className="font-mono">DATABASE_URL</code> and the server log
          {error.digest ? ` (reference ${error.digest})` : ""}.
        </p>
      </Alert>
      <button type="button" onClick={reset} className={buttonPrimary}>
        Try again
      </button>
    </div>
  );
}
