/** Azure Policy's and Defender for Cloud's verdicts on one control, beside ours, with why we differ. */
import { dateTime } from "@/lib/views/format";
import type { AzureVerdictView } from "@/lib/views/azure-verdicts";
import { ExceptionButton, type ExceptionTarget } from "@/components/findings/exception-dialog";

/** `adoptable`: the finding fails or is unknown and no exception mutes it, so an Operator may adopt an Azure exemption as one. */
export function AzureVerdicts({
  view,
  controlId,
  target,
  adoptable,
}: {
  view: AzureVerdictView;
  controlId: string;
  target: ExceptionTarget;
  adoptable: boolean;
}) {
  if (view.agreement === "not_collected") return <p className="text-xs text-slate-600">{view.explanation}</p>;
  const lenient = view.agreement === "azure_lenient";
  return (
    <section aria-labelledby={`azure-${controlId}`} data-testid="azure-verdicts" data-agreement={view.agreement}>
      <h4 id={`azure-${controlId}`} className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
        Azure Policy and Defender for Cloud
      </h4>
      <p className={`text-xs ${lenient ? "font-medium text-red-800" : "text-slate-700"}`}>
        <span className="font-semibold">{view.label}:</span> {view.explanation}
      </p>
      {view.rows.length ? (
        <div className="relative mt-2 overflow-x-auto rounded-md border border-slate-200">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">Azure verdicts for {controlId}</caption>
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-1.5 font-semibold">
                  Source
                </th>
                <th scope="col" className="px-3 py-1.5 font-semibold">
                  Definition or recommendation
                </th>
                <th scope="col" className="px-3 py-1.5 font-semibold">
                  Assignment
                </th>
                <th scope="col" className="px-3 py-1.5 font-semibold">
                  Azure says
                </th>
                <th scope="col" className="px-3 py-1.5 font-semibold">
                  Evaluated
                </th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r, i) => (
                <tr key={i} className="border-t border-slate-100 align-top">
                  <td className="whitespace-nowrap px-3 py-1.5 text-slate-700">{r.source}</td>
                  <td className="px-3 py-1.5 text-slate-900" title={r.resourceId}>
                    {r.name}
                  </td>
                  <td className="break-all px-3 py-1.5 text-slate-700" title={r.assignmentId ?? undefined}>
                    {r.assignment ?? "—"}
                  </td>
                  <td className="whitespace-nowrap px-3 py-1.5 font-medium text-slate-900">{r.verdict}</td>
                  <td className="whitespace-nowrap px-3 py-1.5 text-slate-600">{r.evaluatedAt ? dateTime(r.evaluatedAt) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {view.exemptions.map((e) => (
        <div key={e.name} className="mt-2 rounded-md bg-violet-50 px-3 py-2 text-xs text-violet-900" data-testid="azure-exemption">
          Azure exempts this resource from assignment “{e.assignment}”
          {e.documented
            ? ` by exemption “${e.name}”${e.category ? ` (${e.category})` : ""}${e.expiresOn ? `, expiring ${dateTime(e.expiresOn)}` : ", with no expiry"}`
            : ""}
          . It is shown here, not applied: this dashboard&apos;s verdict stands unless an exception mutes it.
          {adoptable ? (
            <div className="mt-1.5">
              <ExceptionButton
                target={target}
                label="Adopt as exception"
                prefill={{
                  owner: e.owner ?? undefined,
                  reason: `Adopted from Azure exemption ${e.name}`,
                  expires: e.expiresOn ?? undefined,
                }}
              />
            </div>
          ) : null}
        </div>
      ))}
      {view.differences.length ? (
        <div className="mt-2" data-testid="azure-differences">
          <h5 className="text-xs font-semibold text-slate-800">Why we differ</h5>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-xs text-slate-700">
            {view.differences.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
