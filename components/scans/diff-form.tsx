/** The form that picks two succeeded scans to compare. */
import { buttonPrimary, inputClass } from "@/components/ui/buttons";
import { dateTime } from "@/lib/views/format";
import { SOURCE_LABEL } from "@/lib/views/labels";
import { type ScansData } from "@/lib/views/scans-data";
import type { Scan } from "@/lib/store/scans/scans";

/** One line per scan in the compare lists; the ID's start tells apart two scans of the same minute. */
function label(s: Scan): string {
  return `${dateTime(s.finishedAt ?? s.createdAt)} · ${SOURCE_LABEL[s.source] ?? s.source}${s.origin === "import" ? (s.inPosture ? " (import, latest posture)" : " (import, kept apart)") : ""}${s.summary ? ` · score ${s.summary.score ?? "n/a"}` : ""} · ${s.id.slice(0, 6)}`;
}

/** `tenant`: the tenant being compared, kept when other scans are picked. */
export function DiffForm({ data, from, to, tenant }: { data: ScansData; from?: string; to?: string; tenant?: string }) {
  const defaultTo = to ?? data.succeeded[0]?.id ?? "";
  const defaultFrom = from ?? data.succeeded[1]?.id ?? "";
  return (
    <form action="/scans#diff" method="get" className="flex flex-wrap items-end gap-3" aria-label="Compare two scans">
      <ScanSelect id="diff-from" name="from" label="Older scan" defaultValue={defaultFrom} scans={data.succeeded} />
      <ScanSelect id="diff-to" name="to" label="Newer scan" defaultValue={defaultTo} scans={data.succeeded} />
      {tenant ? <input type="hidden" name="tenant" value={tenant} /> : null}
      <button type="submit" className={buttonPrimary}>
        Compare
      </button>
    </form>
  );
}

/** One side of the diff form: a labelled list of succeeded scans. */
function ScanSelect(props: { id: string; name: string; label: string; defaultValue: string; scans: ScansData["succeeded"] }) {
  return (
    <div>
      <label htmlFor={props.id} className="mb-1 block text-xs font-medium text-slate-700">
        {props.label}
      </label>
      <select id={props.id} name={props.name} defaultValue={props.defaultValue} className={`${inputClass} pr-8`}>
        {props.scans.map((s) => (
          <option key={s.id} value={s.id}>
            {label(s)}
          </option>
        ))}
      </select>
    </div>
  );
}
