"use client";
/**
 * "Scan now": starts a collection (server action), follows it over SSE with a progress bar and a
 * Cancel button, and refreshes the page's server-rendered data when it ends.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { cancelScanAction, startScanAction } from "@/app/_actions/scans";
import { buttonPrimary, buttonSecondary, buttonSmall } from "@/components/ui/buttons";
import { Play, Spinner, Stop } from "@/components/ui/icons";
import { ScanProgress } from "./scan-progress";
import { useScanEvents } from "./use-scan-events";
import { Can } from "@/components/auth/roles-context";

/** Shown only to Operators and Admins (the server refuses it to anyone else). */
export function ScanButton(props: Parameters<typeof ScanButtonInner>[0]) {
  return (
    <Can role="Posture.Operator">
      <ScanButtonInner {...props} />
    </Can>
  );
}

function ScanButtonInner({ activeScanId, label = "Scan now" }: { activeScanId?: string | null; label?: string }) {
  const router = useRouter();
  const [scanId, setScanId] = useState<string | null>(activeScanId ?? null);
  const [message, setMessage] = useState<{ tone: "ok" | "error" | "info"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [cancelling, setCancelling] = useState(false);
  const state = useScanEvents(scanId, (final) => {
    setCancelling(false);
    if (final.status === "succeeded") {
      setMessage({ tone: "ok", text: `Scan finished${final.score === null || final.score === undefined ? "" : ` — tenant score ${final.score}`}.` });
    } else if (final.status === "cancelled") setMessage({ tone: "info", text: "Scan cancelled; nothing was stored." });
    else setMessage({ tone: "error", text: `Scan failed: ${final.error ?? "unknown error"}` });
    setScanId(null);
    router.refresh();
  });
  const running = !!scanId && !state?.final;

  const start = () => {
    setMessage(null);
    startTransition(async () => {
      const r = await startScanAction();
      if (!r.ok) setMessage({ tone: "error", text: `Could not start a scan: ${r.error}` });
      else {
        if (r.alreadyRunning) setMessage({ tone: "info", text: "A scan of this scope was already running; following it." });
        setScanId(r.scanId);
      }
    });
  };
  const cancel = async () => {
    if (!scanId) return;
    setCancelling(true);
    const r = await cancelScanAction(scanId);
    if (!r.ok) {
      setCancelling(false);
      setMessage({ tone: "error", text: `Could not cancel: ${r.error}` });
    }
  };

  return (
    <div className="flex w-full flex-col items-stretch gap-2 sm:w-auto sm:items-end" data-testid="scan-control">
      <div className="flex items-center gap-2">
        {running ? (
          <button type="button" onClick={cancel} disabled={cancelling} className={`${buttonSecondary} ${buttonSmall}`}>
            {cancelling ? <Spinner className="h-3.5 w-3.5" /> : <Stop className="h-3.5 w-3.5" />}
            {cancelling ? "Cancelling…" : "Cancel scan"}
          </button>
        ) : null}
        <button type="button" onClick={start} disabled={pending || running} className={buttonPrimary}>
          {pending || running ? <Spinner className="h-4 w-4" /> : <Play className="h-4 w-4" />}
          {running ? "Scanning…" : pending ? "Starting…" : label}
        </button>
      </div>
      {running && state ? (
        <div className="w-full sm:w-72">
          <ScanProgress state={state} />
        </div>
      ) : null}
      <div aria-live="polite" role="status" className="min-h-0 text-xs">
        {message ? (
          <span
            className={message.tone === "error" ? "text-red-700" : message.tone === "ok" ? "text-emerald-800" : "text-slate-700"}
            data-testid="scan-message"
          >
            {message.text}
          </span>
        ) : null}
        {state?.streamError ? <span className="text-red-700">{state.streamError}</span> : null}
      </div>
    </div>
  );
}
