"use client";
/**
 * "Check access" on Settings: what the scanning identity can read, each gap with the controls it
 * leaves unknown and the role to grant (the same report as `speech-posture doctor`).
 */
import { useState, useTransition } from "react";
import { checkAccessAction } from "@/app/_actions/access-check";
import type { AccessCheckResult } from "@/lib/scan/access-check";
import { buttonSecondary } from "@/components/ui/buttons";
import { Refresh, Spinner } from "@/components/ui/icons";
import { Table, Td, Th } from "@/components/ui/table";

const STATUS_STYLE: Record<string, string> = {
  ok: "bg-green-50 text-green-800 ring-green-200",
  gap: "bg-red-50 text-red-800 ring-red-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-200",
  skipped: "bg-slate-50 text-slate-700 ring-slate-200",
};
const STATUS_LABEL: Record<string, string> = { ok: "OK", gap: "Gap", warning: "Warning", skipped: "Skipped" };

export function AccessCheckPanel() {
  const [result, setResult] = useState<AccessCheckResult | null>(null);
  const [pending, start] = useTransition();
  return (
    <div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={buttonSecondary} disabled={pending} onClick={() => start(async () => setResult(await checkAccessAction()))}>
          {pending ? <Spinner className="h-4 w-4" /> : <Refresh className="h-4 w-4" />}
          {pending ? "Checking…" : "Check access now"}
        </button>
        <p className="text-xs text-slate-600">
          Reads, with the identity scans use, what it can see. Nothing is stored; the same check is <code>speech-posture doctor</code>.
        </p>
      </div>
      <div aria-live="polite" className="mt-3">
        {result && !result.ok ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {result.error}
          </p>
        ) : null}
        {result?.ok ? (
          <section aria-labelledby="access-title" data-testid="access-report">
            <h3 id="access-title" className="text-sm font-semibold text-slate-900">
              {result.report.gaps === 0
                ? `No gap: every control can be judged (${result.source}, ${result.report.subscriptions.length} subscriptions visible)`
                : `${result.report.gaps} gap${result.report.gaps === 1 ? "" : "s"}: some controls will come out unknown (${result.source})`}
            </h3>
            <div className="mt-2">
              <Table caption="What the scanning identity can read">
                <thead>
                  <tr>
                    <Th>Check</Th>
                    <Th>Result</Th>
                    <Th>What was found</Th>
                    <Th>Unknown until fixed</Th>
                  </tr>
                </thead>
                <tbody>
                  {result.report.checks.map((c) => (
                    <tr key={c.id} data-testid="access-check" data-status={c.status}>
                      <th scope="row" className="border-b border-slate-100 px-3 py-2 text-left align-top font-medium text-slate-900">
                        {c.title}
                      </th>
                      <Td>
                        <span className={`inline-flex rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${STATUS_STYLE[c.status] ?? ""}`}>
                          {STATUS_LABEL[c.status] ?? c.status}
                        </span>
                      </Td>
                      <Td className="text-slate-700">
                        {c.detail}
                        {c.grant ? <p className="mt-1 text-xs text-slate-900">Grant: {c.grant}</p> : null}
                      </Td>
                      <Td className="font-mono text-xs text-slate-700">{c.unknownControls.length ? c.unknownControls.join(", ") : "—"}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </div>
          </section>
        ) : null}
      </div>
    </div>
  );
}
