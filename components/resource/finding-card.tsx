/** One control's verdict on one resource: message, evidence (path, actual, expected), remediation, exception. */
import Link from "next/link";
import type { StoredException } from "@/lib/store/exceptions";
import type { Control } from "@/lib/posture/types";
import type { ResourceDetail } from "@/lib/store/resource-detail";
import { date, evidenceValue } from "@/lib/views/format";
import { MutedBadge, SeverityBadge, StatusBadge } from "@/components/ui/badges";
import { Remediation } from "@/components/controls/remediation";
import { References } from "@/components/controls/references";
import { ExceptionButton, type ExceptionTarget } from "@/components/findings/exception-dialog";
import { azureVerdictView, type PolicyDocuments } from "@/lib/views/azure-verdicts";
import { AzureVerdicts } from "./azure-verdicts";
import { showHidden } from "@/lib/report/visible-text";
import type { FilledRemediation } from "@/lib/views/remediation";

/** A stored finding of the resource, with its control's metadata and its remediation filled in for the resource (null: the catalogue's). */
export type FindingCardData = ResourceDetail["findings"][number] & { control: Control | undefined; remediation: FilledRemediation | null };

/** `storage:/subscriptions/…/stspeech8 properties.encryption.keySource` → document type, name, JSON path. */
function splitPath(path: string): { doc: string; name: string; id: string; json: string } {
  const m = /^([A-Za-z]+):(\S+)(?: (.*))?$/.exec(path);
  if (!m) return { doc: "", name: "", id: "", json: path };
  const name = m[2].split("/").filter(Boolean).pop() ?? m[2];
  return { doc: m[1], name, id: m[2], json: m[3] ?? "" };
}

const DOC_LABEL: Record<string, string> = {
  account: "Speech resource",
  storage: "Storage",
  vault: "Key vault",
  roleAssignment: "Role assignment",
  diagnosticSettings: "Diagnostic settings",
  speechEndpoints: "Endpoints",
};

export function FindingCard({
  f,
  target,
  exceptions,
  policyDocuments,
}: {
  f: FindingCardData;
  target: ExceptionTarget;
  exceptions: Map<string, StoredException>;
  policyDocuments?: PolicyDocuments;
}) {
  const open = f.status === "fail" || f.status === "unknown";
  const muting = f.mutedBy.map((id) => exceptions.get(id)).filter((e): e is StoredException => !!e);
  return (
    <article
      id={`control-${f.controlId}`}
      aria-labelledby={`control-${f.controlId}-title`}
      className="scroll-mt-6 border-b border-slate-200 last:border-b-0"
      data-testid="resource-finding"
      data-control={f.controlId}
      data-status={f.status}
    >
      <div className="flex flex-wrap items-start justify-between gap-3 px-4 py-3">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={f.status} reason={f.reason} />
            {f.muted ? <MutedBadge /> : null}
            <SeverityBadge severity={f.severity} />
            {f.status === "fail" && f.firstSeenAt ? <span className="text-xs text-slate-500">failing since {date(f.firstSeenAt)}</span> : null}
          </div>
          <h3 id={`control-${f.controlId}-title`} className="mt-1.5 text-sm font-semibold text-slate-900">
            <Link href={`/controls#${f.controlId}`} className="mr-1.5 font-mono text-slate-500 hover:underline">
              {f.controlId}
            </Link>
            {f.control?.title ?? ""}
          </h3>
          <p className="mt-1 text-sm text-slate-700">{showHidden(f.message)}</p>
          {muting.length ? (
            <p className="mt-1 text-xs text-violet-900">
              Muted by {muting.map((e) => `${e.owner} until ${date(e.expiresAt)} (“${e.reason}”)`).join("; ")}.{" "}
              <Link href="/exceptions" className="underline">
                Manage exceptions
              </Link>
            </p>
          ) : null}
        </div>
        {open && !f.muted ? <ExceptionButton target={target} /> : null}
      </div>
      <details className="group px-4 pb-3" open={f.status === "fail" || f.agreement === "azure_stricter"}>
        <summary className="cursor-pointer text-xs font-medium text-blue-700 hover:underline">Evidence, Azure&apos;s verdict and remediation</summary>
        <div className="mt-2 space-y-4">
          {f.evidence.length ? (
            <div className="relative overflow-x-auto rounded-md border border-slate-200">
              <table className="w-full text-left text-xs">
                <caption className="sr-only">Evidence for {f.controlId}</caption>
                <thead className="bg-slate-50 text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-1.5 font-semibold">
                      Where
                    </th>
                    <th scope="col" className="px-3 py-1.5 font-semibold">
                      Actual
                    </th>
                    <th scope="col" className="px-3 py-1.5 font-semibold">
                      Expected
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {f.evidence.map((e, i) => {
                    const ev = e as { path?: string; actual?: unknown; expected?: unknown };
                    const p = splitPath(String(ev.path ?? ""));
                    return (
                      <tr key={i} className="border-t border-slate-100 align-top">
                        <td className="px-3 py-1.5">
                          {p.doc ? (
                            <span className="text-slate-600" title={p.id}>
                              {DOC_LABEL[p.doc] ?? p.doc} <span className="font-medium text-slate-800">{showHidden(p.name)}</span>
                            </span>
                          ) : null}
                          <div className="break-all font-mono text-[11px] text-slate-800">{showHidden(p.json)}</div>
                        </td>
                        <td className="max-w-[18rem] break-all px-3 py-1.5 font-mono text-[11px] text-slate-900">{evidenceValue(ev.actual)}</td>
                        <td className="max-w-[18rem] break-words px-3 py-1.5 font-mono text-[11px] text-slate-600">{evidenceValue(ev.expected)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="text-xs text-slate-600">No evidence recorded.</p>
          )}
          <AzureVerdicts
            view={azureVerdictView(f.controlId, f.azure, f.agreement, policyDocuments)}
            controlId={f.controlId}
            target={target}
            adoptable={open && !f.muted}
          />
          {f.control ? (
            <>
              {f.status !== "pass" && f.status !== "not_applicable" ? (
                <Remediation remediation={f.remediation ?? f.control.remediation} links={f.remediation?.links} />
              ) : null}
              <div>
                <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Framework mappings</h4>
                <References references={f.control.references} />
              </div>
            </>
          ) : null}
        </div>
      </details>
    </article>
  );
}
