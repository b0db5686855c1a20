/** A control's framework mappings: Azure Policy, MCSB, NIST SP 800-53 and Defender for Cloud. */
import type { References as ReferencesData } from "@/lib/posture/types";
import { KeyValues } from "@/components/ui/layout";

export function References({ references }: { references: ReferencesData }) {
  const items: [string, React.ReactNode][] = [];
  if (references.azurePolicy)
    items.push([
      "Azure Policy",
      <span key="p">
        {references.azurePolicy.name} <span className="font-mono text-[11px] text-slate-500">({references.azurePolicy.id})</span>
      </span>,
    ]);
  if (references.mcsb?.length) items.push(["MCSB v1", references.mcsb.join(", ")]);
  if (references.nist?.length) items.push(["NIST SP 800-53 r5", references.nist.join(", ")]);
  if (references.defender) items.push(["Defender for Cloud", references.defender]);
  if (items.length === 0) return <p className="text-xs text-slate-500">No framework mapping.</p>;
  return <KeyValues items={items} />;
}
