/** Says which subscriptions a comparison of two scans left out, because only one of the scans read them. */
import type { ScanDiff } from "@/lib/store/history/diff";
import { count } from "@/lib/views/format";
import { Alert } from "@/components/ui/layout";

export function DiffScopeNote({ diff }: { diff: ScanDiff }) {
  const { onlyNewer, onlyOlder, compared } = diff.subscriptions;
  if (onlyNewer === 0 && onlyOlder === 0) return null;
  const parts = [onlyOlder > 0 ? `${count(onlyOlder)} only in the older scan` : "", onlyNewer > 0 ? `${count(onlyNewer)} only in the newer scan` : ""].filter(
    Boolean,
  );
  return (
    <div data-testid="diff-scope">
      <Alert tone="info" title={`Compared the ${count(compared)} ${compared === 1 ? "subscription" : "subscriptions"} both scans covered`}>
        The two scans did not cover the same subscriptions ({parts.join(", ")}), for example because one was an import or a scan of some subscriptions. Their{" "}
        {count(diff.counts.notCompared)} findings are not compared, so a subscription left out of one scan shows neither as resolved nor as new.
      </Alert>
    </div>
  );
}
