"use client";
/**
 * Importing a snapshot file: drag and drop or pick a file; it is sent as the raw body of
 * `POST /api/snapshots`, which starts a scan of source "snapshot"; that scan is then followed
 * over SSE like any other. The server's error (with the JSON path of the first problem) is shown.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Spinner, Upload } from "@/components/ui/icons";
import { useHydrated } from "@/components/ui/use-hydrated";
import { ScanProgress } from "./scan-progress";
import { useScanEvents } from "./use-scan-events";
import { Can } from "@/components/auth/roles-context";

/** Shown only to Operators and Admins (the server refuses it to anyone else). */
export function SnapshotUpload(props: Parameters<typeof SnapshotUploadInner>[0]) {
  return (
    <Can role="Posture.Operator">
      <SnapshotUploadInner {...props} />
    </Can>
  );
}

function SnapshotUploadInner({ compact = false }: { compact?: boolean }) {
  const router = useRouter();
  const inputId = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const [scanId, setScanId] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string; scanId?: string } | null>(null);
  // Set once hydrated: before that, a drop or a picked file would be handled by nobody.
  const ready = useHydrated();
  const state = useScanEvents(scanId, (final) => {
    const id = scanId ?? undefined;
    if (final.status === "succeeded") setResult({ tone: "ok", text: "Snapshot evaluated and stored.", scanId: id });
    else setResult({ tone: "error", text: `The snapshot scan ${final.status}: ${final.error ?? "no details"}` });
    setScanId(null);
    router.refresh();
  });

  async function send(file: File) {
    setResult(null);
    setUploading(file.name);
    try {
      const response = await fetch("/api/snapshots", {
        method: "POST",
        body: file,
        headers: { "content-type": "application/json", "x-file-name": file.name },
      });
      const body = (await response.json().catch(() => ({}))) as { id?: string; error?: { message?: string; path?: unknown } };
      if (!response.ok || !body.id) {
        const path = typeof body.error?.path === "string" && body.error.path !== "" ? ` (at ${body.error.path})` : "";
        setResult({ tone: "error", text: `${file.name} was not accepted: ${body.error?.message ?? `HTTP ${response.status}`}${path}` });
      } else setScanId(body.id);
    } catch (error) {
      setResult({ tone: "error", text: `Upload failed: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setUploading(null);
      if (input.current) input.current.value = "";
    }
  }

  const busy = !!uploading || (!!scanId && !state?.final);
  return (
    <div data-testid="snapshot-upload" data-ready={ready ? "true" : "false"}>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files?.[0];
          if (file && !busy) void send(file);
        }}
        className={`flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-4 text-center transition-colors ${compact ? "py-4" : "py-8"} ${
          dragging ? "border-blue-600 bg-blue-50" : "border-slate-300 bg-slate-50"
        }`}
      >
        {busy ? <Spinner className="h-5 w-5 text-blue-700" /> : <Upload className="h-5 w-5 text-slate-500" />}
        <p className="text-sm text-slate-700">
          Drop a snapshot JSON file here, or{" "}
          <input
            ref={input}
            id={inputId}
            type="file"
            accept="application/json,.json"
            className="peer sr-only"
            aria-describedby={hintId}
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void send(file);
            }}
          />
          <label
            htmlFor={inputId}
            className="cursor-pointer rounded font-medium text-blue-700 underline-offset-2 hover:underline peer-focus-visible:underline peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-blue-600"
          >
            choose a file
          </label>
        </p>
        <p id={hintId} className="text-xs text-slate-500">
          A <code className="font-mono">speech-posture snapshot</code> file, an <code className="font-mono">az graph query -o json</code> export, or an ARM
          list.
        </p>
      </div>
      <div aria-live="polite" role="status" className="mt-2 text-sm">
        {uploading ? <p className="text-slate-700">Uploading {uploading}…</p> : null}
        {scanId && state && !state.final ? <ScanProgress state={state} /> : null}
        {result && result.tone !== "error" ? (
          <p className="text-emerald-800" data-testid="upload-result">
            {result.text}{" "}
            {result.scanId ? (
              <Link href="/" className="font-medium text-blue-700 underline">
                View the overview
              </Link>
            ) : null}
          </p>
        ) : null}
      </div>
      {/* A refused file is announced at once (an alert), not politely like progress. */}
      <div role="alert" className="text-sm">
        {result && result.tone === "error" ? (
          <p className="mt-2 text-red-700" data-testid="upload-result">
            {result.text}
          </p>
        ) : null}
      </div>
    </div>
  );
}
