"use client";
/**
 * "Re-check now": runs the one-resource refresh on the server and shows the fresh verdicts next to
 * the stored ones, clearly labelled as not stored.
 */
import { useState, useTransition } from "react";
import { recheckResourceAction } from "@/app/_actions/recheck";
import type { RecheckResult } from "@/lib/scan/recheck";
import { StatusBadge } from "@/components/ui/badges";
import { buttonSecondary } from "@/components/ui/buttons";
import { Refresh, Spinner } from "@/components/ui/icons";
import { Can } from "@/components/auth/roles-context";
import { showHidden } from "@/lib/report/visible-text";

/** Shown only to Operators and Admins (the server refuses it to anyone else). */
export function RecheckPanel(props: Parameters<typeof RecheckPanelInner>[0]) {
  return (
    <Can role="Posture.Operator">
      <RecheckPanelInner {...props} />
    </Can>
  );
}

function RecheckPanelInner({ resourceId, stored }: { resourceId: string; stored: { controlId: string; status: string; reason: string | null }[] }) {
  const [result, setResult] = useState<RecheckResult | null>(null);
  const [pending, start] = useTransition();
  const storedBy = new Map(stored.map((s) => [s.controlId, s]));
  const changed =
    result?.findings?.filter((f) => storedBy.get(f.controlId)?.status !== f.status || (storedBy.get(f.controlId)?.reason ?? null) !== f.reason) ?? [];
  return (
    <div>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          className={buttonSecondary}
          disabled={pending}
          onClick={() =>
            start(async () => {
              setResult(await recheckResourceAction(resourceId));
            })
          }
        >
          {pending ? <Spinner className="h-4 w-4" /> : <Refresh className="h-4 w-4" />}
          {pending ? "Checking…" : "Re-check now"}
        </button>
        <p className="text-xs text-slate-600">Reads this resource from Azure again and evaluates it. The result is shown here only and is not stored.</p>
      </div>
      <div aria-live="polite" className="mt-3">
        {result && !result.ok ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            Re-check failed: {result.error}
          </p>
        ) : null}
        {result?.ok && result.findings ? (
          <section aria-labelledby="recheck-title" className="rounded-lg border-2 border-dashed border-blue-300 bg-blue-50/40" data-testid="recheck-result">
            <div className="flex flex-wrap items-center justify-between gap-2 border-b border-blue-200 px-4 py-2">
              <h3 id="recheck-title" className="text-sm font-semibold text-blue-950">
                Fresh verdicts — not yet stored
              </h3>
              <p className="text-xs text-blue-900">
                Read {result.checkedAt ? new Date(result.checkedAt).toISOString().replace("T", " ").slice(0, 19) : ""} UTC from {result.source}.{" "}
                {changed.length ? `${changed.length} differ from the stored scan.` : "Same as the stored scan."} Run a scan to store them.
              </p>
            </div>
            <div className="relative overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Fresh verdicts compared with the stored scan</caption>
                <thead>
                  <tr className="text-xs text-slate-600">
                    <th scope="col" className="px-4 py-2 font-semibold">
                      Control
                    </th>
                    <th scope="col" className="px-4 py-2 font-semibold">
                      Stored
                    </th>
                    <th scope="col" className="px-4 py-2 font-semibold">
                      Fresh
                    </th>
                    <th scope="col" className="px-4 py-2 font-semibold">
                      Message
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {result.findings.map((f) => {
                    const s = storedBy.get(f.controlId);
                    const diff = !s || s.status !== f.status || (s.reason ?? null) !== f.reason;
                    return (
                      <tr key={f.controlId} className={`border-t border-blue-100 ${diff ? "bg-white" : ""}`} data-changed={diff ? "true" : "false"}>
                        <td className="px-4 py-1.5 font-mono text-xs font-semibold">
                          {f.controlId}
                          {diff ? <span className="ml-1 rounded bg-blue-700 px-1 py-0.5 font-sans text-[10px] font-semibold text-white">changed</span> : null}
                        </td>
                        <td className="px-4 py-1.5">{s ? <StatusBadge status={s.status} reason={s.reason} compact /> : "—"}</td>
                        <td className="px-4 py-1.5">
                          <StatusBadge status={f.status} reason={f.reason} compact />
                        </td>
                        <td className="px-4 py-1.5 text-xs text-slate-700">{showHidden(f.message)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {result.errors?.length ? (
              <div className="border-t border-blue-200 px-4 py-2 text-xs text-amber-900">
                <p className="font-semibold">Not everything could be read:</p>
                <ul className="ml-4 list-disc">
                  {result.errors.map((e, i) => (
                    <li key={i}>
                      {e.source}: {e.reason ?? "collection error"} — {e.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </section>
        ) : null}
      </div>
    </div>
  );
}
