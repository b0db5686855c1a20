/** A control's Azure counterparts: the built-in policy definitions and Defender assessments that judge the same thing, and why they can differ. */
import { AZURE_MAPPINGS } from "@/lib/posture/azure-verdicts";
import { policyDefinitionHref } from "@/lib/views/azure-links";
import { linkClass } from "@/components/ui/buttons";

const SUBJECT_LABEL = { account: "the Speech resource", storage: "each linked storage account", vault: "each key vault in use" } as const;

export function AzureMapping({ controlId }: { controlId: string }) {
  const mapping = AZURE_MAPPINGS[controlId as keyof typeof AZURE_MAPPINGS];
  return (
    <div data-testid="azure-mapping">
      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Azure Policy and Defender for Cloud</h4>
      {!mapping ? (
        <p className="text-sm text-slate-700">No built-in policy or Defender recommendation judges this: Azure is silent on it.</p>
      ) : (
        <div className="space-y-2 text-sm">
          <ul className="list-disc space-y-1 pl-5">
            {mapping.policies.map((p) => (
              <li key={p.definitionId}>
                Built-in{" "}
                <a href={policyDefinitionHref(p.definitionId)} className={linkClass} target="_blank" rel="noreferrer">
                  {p.name}
                </a>{" "}
                <span className="font-mono text-xs text-slate-500">{p.definitionId}</span>, judging {SUBJECT_LABEL[p.subject]}
              </li>
            ))}
            {mapping.defender.map((d) => (
              <li key={d.key}>
                Defender for Cloud assessment {d.name} <span className="font-mono text-xs text-slate-500">{d.key}</span>
              </li>
            ))}
          </ul>
          <div>
            <h5 className="text-xs font-semibold text-slate-800">Why Azure&apos;s verdict can differ</h5>
            <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
              {mapping.differences.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </div>
  );
}
