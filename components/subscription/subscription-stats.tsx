/** The subscription report's headline figures: score, resources, failing checks (and how many are muted), coverage. */
import { scoreBand } from "@/components/ui/badges";
import { Stat } from "@/components/ui/layout";
import type { SubscriptionRow } from "@/lib/store/reads";
import { count, percent } from "@/lib/views/format";

export function SubscriptionStats({ subscription: s, mutedCount }: { subscription: SubscriptionRow; mutedCount: number }) {
  const band = scoreBand(s.score);
  const judged = s.counts.pass + s.counts.fail;
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <Stat
        label="Score"
        tone={band.text}
        value={<span data-testid="subscription-score">{s.score === null ? "n/a" : `${s.score}`}</span>}
        detail={band.label}
      />
      <Stat label="Speech resources" value={count(s.resources)} />
      <Stat
        label="Failing checks"
        tone={s.counts.fail ? "text-red-800" : undefined}
        value={count(s.counts.fail)}
        detail={mutedCount ? `${count(mutedCount)} findings muted by exceptions` : "none muted"}
      />
      <Stat
        label="Coverage"
        value={percent(judged, judged + s.counts.unknown)}
        detail={`${count(s.counts.unknown)} unknown · ${count(s.counts.not_applicable)} not applicable`}
      />
    </div>
  );
}
