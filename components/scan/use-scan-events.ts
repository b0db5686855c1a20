"use client";
/** Follows one scan over server-sent events (`GET /api/scans/{id}/events`) until it ends. */
import { useEffect, useState } from "react";

export interface ScanProgressState {
  scanId: string;
  status: string;
  phase: string | null;
  done: number;
  total: number;
  /** "queue": run by a worker; while queued, none has taken it yet. */
  runner?: string;
  /** Set once the scan has ended. */
  final?: { status: string; error: string | null; score: number | null | undefined };
  /** The stream itself failed. */
  streamError?: string;
}

interface DoneData {
  id: string;
  status: string;
  error: string | null;
  summary?: { score: number | null } | null;
}

export function useScanEvents(scanId: string | null, onDone?: (final: NonNullable<ScanProgressState["final"]>) => void): ScanProgressState | null {
  const [state, setState] = useState<ScanProgressState | null>(null);
  useEffect(() => {
    if (!scanId) return;
    // A new scan to follow: its stream is an external system, so the state starts over here.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setState({ scanId, status: "queued", phase: null, done: 0, total: 0 });
    const es = new EventSource(`/api/scans/${encodeURIComponent(scanId)}/events`);
    let ended = false;
    es.addEventListener("progress", (e) => {
      const p = JSON.parse((e as MessageEvent).data) as { status: string; phase: string | null; done: number; total: number; runner?: string };
      setState((s) => ({ ...(s ?? { scanId }), scanId, status: p.status, phase: p.phase, done: p.done, total: p.total, runner: p.runner }));
    });
    es.addEventListener("done", (e) => {
      ended = true;
      es.close();
      const d = JSON.parse((e as MessageEvent).data) as DoneData;
      const final = { status: d.status, error: d.error, score: d.summary?.score };
      setState((s) => ({ ...(s ?? { scanId, phase: null, done: 0, total: 0 }), scanId, status: d.status, final }));
      onDone?.(final);
    });
    es.addEventListener("error", (e) => {
      if (ended) return;
      const data = (e as MessageEvent).data;
      if (typeof data === "string" && data) {
        ended = true;
        es.close();
        let message = data;
        try {
          message = (JSON.parse(data) as { message?: string }).message ?? data;
        } catch {
          /* plain text */
        }
        setState((s) => (s ? { ...s, streamError: message } : s));
      } else if (es.readyState === EventSource.CLOSED) {
        setState((s) => (s ? { ...s, streamError: "Lost the connection to the server; reload the page to see the scan's state." } : s));
      }
    });
    return () => {
      ended = true;
      es.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scanId]);
  return state;
}
