/** Says when two compared scans were judged with different catalogue versions, and which rules changed between them. */
import type { ScanDiff } from "@/lib/store/history/diff";
import { count } from "@/lib/views/format";
import { Alert } from "@/components/ui/layout";

export function DiffCatalogNote({ diff }: { diff: ScanDiff }) {
  const { from, to } = diff.catalogVersions;
  if (from === to) return null;
  const n = diff.counts.ruleChanges;
  const controls = diff.ruleChangedControls;
  return (
    <div data-testid="diff-catalog">
      <Alert tone="info" title={`The scans were judged with different control catalogues (version ${from} → version ${to})`}>
        The rules of {controls.length === 0 ? "no control" : controls.join(", ")} changed between these versions.{" "}
        {n === 0
          ? "None of their verdicts changed between the two scans."
          : `${count(n)} changed ${n === 1 ? "verdict of these controls is" : "verdicts of these controls are"} marked “rule change”: ${n === 1 ? "it" : "they"} may have changed because the rule did, not because Azure did.`}
      </Alert>
    </div>
  );
}
