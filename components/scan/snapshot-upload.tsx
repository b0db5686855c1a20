"use client";
/**
 * Importing a snapshot file: drag and drop or pick a file; it is sent as the raw body of
 * `POST /api/snapshots`, which starts a scan of source "snapshot"; that scan is then followed
 * over SSE like any other. The uploader says whether the import replaces the latest collected
 * posture (default: no, it is kept apart to compare). A refused file lists every problem the
 * server found; a stored one shows its score with links to its findings and to its diff.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Spinner, Upload } from "@/components/ui/icons";
import { useHydrated } from "@/components/ui/use-hydrated";
import { ScanProgress } from "./scan-progress";
import { useScanEvents } from "./use-scan-events";
import { Can } from "@/components/auth/roles-context";
import { problemLine, type InputProblem } from "@/lib/posture/input-error";

interface Outcome {
  tone: "ok" | "error";
  text: string;
  problems?: InputProblem[];
  more?: number;
  scanId?: string;
  score?: number | null;
  compareWith?: string | null;
  replacesLatest?: boolean;
}

/** Shown only to Operators and Admins (the server refuses it to anyone else). */
export function SnapshotUpload(props: Parameters<typeof SnapshotUploadInner>[0]) {
  return (
    <Can role="Posture.Operator">
      <SnapshotUploadInner {...props} />
    </Can>
  );
}

/** Bytes as the hint and the refusal say them: "50 MB", "73.4 MB". */
function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/**
 * `maxBytes`: the server's upload limit (SPEECH_POSTURE_MAX_UPLOAD_BYTES). A larger file is refused
 * here, before it is sent: the server would refuse it anyway, and a browser still sending when the
 * server answers 413 and closes may report only a network error.
 */
function SnapshotUploadInner({ compact = false, maxBytes }: { compact?: boolean; maxBytes: number }) {
  const router = useRouter();
  const inputId = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const [scanId, setScanId] = useState<string | null>(null);
  const [result, setResult] = useState<Outcome | null>(null);
  const [replacesLatest, setReplacesLatest] = useState(false);
  const [pending, setPending] = useState<{ compareWith: string | null; replacesLatest: boolean } | null>(null);
  // Set once hydrated: before that, a drop or a picked file would be handled by nobody.
  const ready = useHydrated();
  const state = useScanEvents(scanId, (final) => {
    const id = scanId ?? undefined;
    if (final.status === "succeeded") {
      setResult({ tone: "ok", text: "Snapshot evaluated and stored.", scanId: id, score: final.score ?? null, ...pending });
    } else setResult({ tone: "error", text: `The snapshot scan ${final.status}: ${final.error ?? "no details"}` });
    setScanId(null);
    router.refresh();
  });

  async function send(file: File) {
    setResult(null);
    if (file.size > maxBytes) {
      // Sizes that round alike are given in bytes.
      const [size, limit] =
        megabytes(file.size) === megabytes(maxBytes) ? [`${file.size} bytes`, `${maxBytes} bytes`] : [megabytes(file.size), megabytes(maxBytes)];
      setResult({
        tone: "error",
        text: `${file.name} was not sent: it is ${size}, and this dashboard accepts snapshots of up to ${limit}. An Admin can raise the limit (SPEECH_POSTURE_MAX_UPLOAD_BYTES), or scan the file with the CLI (speech-posture scan --snapshot).`,
      });
      if (input.current) input.current.value = "";
      return;
    }
    setUploading(file.name);
    try {
      const response = await fetch(`/api/snapshots${replacesLatest ? "?replacesLatest=true" : ""}`, {
        method: "POST",
        body: file,
        headers: { "content-type": "application/json", "x-file-name": file.name },
      });
      const body = (await response.json().catch(() => ({}))) as {
        id?: string;
        compareWith?: string | null;
        replacesLatest?: boolean;
        error?: { message?: string; path?: unknown; problems?: InputProblem[]; more?: number };
      };
      if (!response.ok || !body.id) {
        const problems = Array.isArray(body.error?.problems) ? body.error.problems : undefined;
        const total = (problems?.length ?? 0) + (body.error?.more ?? 0);
        // A list of problems is shown as a list (each path once); otherwise the server's message as it is.
        if (problems && total === 1) setResult({ tone: "error", text: `${file.name} was not accepted: ${problemLine(problems[0])}` });
        else if (problems) setResult({ tone: "error", text: `${file.name} was not accepted: ${total} problems found`, problems, more: body.error?.more ?? 0 });
        else setResult({ tone: "error", text: `${file.name} was not accepted: ${body.error?.message ?? `HTTP ${response.status}`}` });
      } else {
        setPending({ compareWith: body.compareWith ?? null, replacesLatest: body.replacesLatest === true });
        setScanId(body.id);
      }
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
          list; up to {megabytes(maxBytes)}.
        </p>
      </div>
      <label className="mt-2 flex items-start gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          className="mt-0.5"
          checked={replacesLatest}
          disabled={busy}
          onChange={(e) => setReplacesLatest(e.target.checked)}
          data-testid="replaces-latest"
        />
        <span>
          Use it as the latest posture: it replaces the latest collected scan on the overview and the trend. Unchecked, the import is kept apart to compare
          with.
        </span>
      </label>
      <div aria-live="polite" role="status" className="mt-2 text-sm">
        {uploading ? <p className="text-slate-700">Uploading {uploading}…</p> : null}
        {scanId && state && !state.final ? <ScanProgress state={state} /> : null}
        {result && result.tone !== "error" ? (
          <div className="text-emerald-800" data-testid="upload-result">
            <p>
              {result.text} Score{" "}
              <strong data-testid="upload-score">{result.score === null || result.score === undefined ? "n/a" : `${result.score} / 100`}</strong>
              {result.replacesLatest ? "; it is now the latest posture." : "; kept apart as an import to compare (not on the overview or the trend)."}
            </p>
            {result.scanId ? (
              <p className="mt-1 flex flex-wrap gap-x-4">
                <Link href={`/findings?scan=${result.scanId}`} className="font-medium text-blue-700 underline" data-testid="upload-scan-link">
                  Open its findings
                </Link>
                {result.compareWith ? (
                  <Link
                    href={`/scans?from=${result.compareWith}&to=${result.scanId}#diff`}
                    className="font-medium text-blue-700 underline"
                    data-testid="upload-diff-link"
                  >
                    Compare with the previous latest posture
                  </Link>
                ) : null}
                {result.replacesLatest ? (
                  <Link href="/" className="font-medium text-blue-700 underline">
                    View the overview
                  </Link>
                ) : null}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
      {/* A refused file is announced at once (an alert), not politely like progress. */}
      <div role="alert" className="text-sm">
        {result && result.tone === "error" ? (
          <div className="mt-2 text-red-700" data-testid="upload-result">
            <p>{result.text}</p>
            {result.problems ? (
              <ul className="mt-1 list-disc space-y-0.5 pl-5 break-words font-mono text-xs" data-testid="upload-problems">
                {result.problems.map((p, i) => (
                  <li key={i}>{problemLine(p)}</li>
                ))}
                {result.more ? <li className="font-sans">… and {result.more} more</li> : null}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
