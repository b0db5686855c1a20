/** The findings filters: every field is a URL parameter, with facet counts from the store. */
import Link from "next/link";
import type { Facets } from "@/lib/store/findings/query";
import type { FindingsQuery } from "@/lib/store/findings/params";
import { count } from "@/lib/views/format";
import { GROUPS, PAGE_SIZES, type GroupBy } from "@/lib/views/findings-view";
import { AGREEMENT_LABEL, SEVERITY_LABEL, SEVERITY_ORDER, STATUS_LABEL, STATUS_ORDER } from "@/lib/views/labels";
import { AGREEMENTS } from "@/lib/posture/vocabulary";
import { buttonPrimary, buttonSecondary, inputClass } from "@/components/ui/buttons";
import { AutoSubmitForm } from "./auto-submit-form";
import { TenantOptions } from "@/components/overview/tenants-panel";

const SORTS: [string, string][] = [
  ["severity", "Severity, then status"],
  ["status", "Status, then severity"],
  ["controlId", "Control"],
  ["resource", "Resource name"],
  ["subscription", "Subscription"],
  ["kind", "Kind"],
];
const GROUP_LABEL: Record<GroupBy, string> = { none: "No grouping", control: "Control", resource: "Resource", subscription: "Subscription" };

function Field({ label, htmlFor, children }: { label: string; htmlFor: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <label htmlFor={htmlFor} className="mb-1 block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
    </div>
  );
}

const selectClass = `${inputClass} pr-8`;

export function FindingsFilters({
  query,
  group,
  facets,
  scanId,
  subscriptions,
  controls,
  tenants = [],
}: {
  query: FindingsQuery;
  group: GroupBy;
  facets: Facets | null;
  scanId?: string;
  subscriptions: { id: string; name: string }[];
  controls: { id: string; title: string }[];
  /** The scan's tenants; a tenant filter is offered when there are several (or one is chosen). */
  tenants?: { tenantId: string; displayName: string | null }[];
}) {
  const sortValue = `${query.sort.descending ? "-" : ""}${query.sort.key}`;
  const subValue = query.subscriptionId?.join(",") ?? "";
  const controlValue = query.controlId?.join(",") ?? "";
  const agreementValue = query.agreement?.join(",") ?? "";
  const kinds = Object.keys(facets?.kind ?? {});
  const facetText = (n: number | undefined) => (facets ? ` (${count(n ?? 0)})` : "");
  return (
    <AutoSubmitForm action="/findings" label="Filter findings">
      {scanId ? <input type="hidden" name="scan" value={scanId} /> : null}
      <div className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1.5fr_1.5fr_1fr_1fr_1.2fr]">
        <div className="sm:col-span-2 lg:col-span-1">
          <Field label="Search resource name, ID or control" htmlFor="f-q">
            <input
              id="f-q"
              name="q"
              type="search"
              defaultValue={query.q ?? ""}
              placeholder="e.g. spch-speech-prod or CMK-2"
              className={inputClass}
              maxLength={200}
            />
          </Field>
        </div>
        {tenants.length > 1 || query.tenant ? (
          <Field label="Tenant" htmlFor="f-tenant">
            <select id="f-tenant" name="tenant" defaultValue={query.tenant ?? ""} className={selectClass}>
              <TenantOptions tenants={tenants} />
            </select>
          </Field>
        ) : null}
        <Field label="Subscription" htmlFor="f-sub">
          <select id="f-sub" name="subscriptionId" defaultValue={subValue} className={selectClass}>
            <option value="">All subscriptions</option>
            {query.subscriptionId && query.subscriptionId.length > 1 ? <option value={subValue}>{query.subscriptionId.length} selected</option> : null}
            {subscriptions.map((s) => (
              <option key={s.id} value={s.id.toLowerCase()}>
                {s.name}
                {facetText(facets?.subscriptionId[s.id] ?? facets?.subscriptionId[s.id.toLowerCase()])}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Control" htmlFor="f-control">
          <select id="f-control" name="controlId" defaultValue={controlValue} className={selectClass}>
            <option value="">All controls</option>
            {query.controlId && query.controlId.length > 1 ? <option value={controlValue}>{query.controlId.length} selected</option> : null}
            {controls.map((c) => (
              <option key={c.id} value={c.id}>
                {c.id} · {c.title.length > 38 ? `${c.title.slice(0, 37)}…` : c.title}
                {facetText(facets?.controlId[c.id])}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Kind" htmlFor="f-kind">
          <select id="f-kind" name="kind" defaultValue={query.kind?.join(",") ?? ""} className={selectClass}>
            <option value="">All kinds</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
                {facetText(facets?.kind[k])}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Muted" htmlFor="f-muted">
          <select id="f-muted" name="muted" defaultValue={query.muted === undefined ? "" : String(query.muted)} className={selectClass}>
            <option value="">Any</option>
            <option value="false">Not muted{facetText(facets?.muted.false)}</option>
            <option value="true">Muted only{facetText(facets?.muted.true)}</option>
          </select>
        </Field>
        <Field label="Azure agreement" htmlFor="f-agreement">
          <select id="f-agreement" name="agreement" defaultValue={agreementValue} className={selectClass}>
            <option value="">Any</option>
            {query.agreement && query.agreement.length > 1 ? <option value={agreementValue}>{query.agreement.length} selected</option> : null}
            {AGREEMENTS.map((a) => (
              <option key={a} value={a}>
                {AGREEMENT_LABEL[a]}
                {facetText(facets?.agreement[a])}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="flex flex-wrap gap-x-10 gap-y-3 border-t border-slate-100 px-4 py-3">
        <CheckboxGroup legend="Severity" name="severity" values={SEVERITY_ORDER} labels={SEVERITY_LABEL} checked={query.severity} counts={facets?.severity} />
        <CheckboxGroup legend="Status" name="status" values={STATUS_ORDER} labels={STATUS_LABEL} checked={query.status} counts={facets?.status} />
      </div>
      <div className="flex flex-wrap items-end justify-between gap-3 border-t border-slate-100 bg-slate-50/60 px-4 py-3">
        <div className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="f-group" className="mb-1 block text-xs font-medium text-slate-700">
              Group by
            </label>
            <select id="f-group" name="group" defaultValue={group} className={selectClass}>
              {GROUPS.map((g) => (
                <option key={g} value={g}>
                  {GROUP_LABEL[g]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-sort" className="mb-1 block text-xs font-medium text-slate-700">
              Sort
            </label>
            <select
              id="f-sort"
              name="sort"
              defaultValue={sortValue}
              className={selectClass}
              disabled={group !== "none"}
              aria-describedby={group !== "none" ? "f-sort-note" : undefined}
            >
              {SORTS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
              {SORTS.some(([v]) => v === sortValue) ? null : <option value={sortValue}>{sortValue}</option>}
            </select>
            {group !== "none" ? (
              <span id="f-sort-note" className="sr-only">
                Grouping sorts by the group
              </span>
            ) : null}
          </div>
          <div>
            <label htmlFor="f-size" className="mb-1 block text-xs font-medium text-slate-700">
              Per page
            </label>
            <select id="f-size" name="pageSize" defaultValue={String(query.pageSize)} className={selectClass}>
              {[...new Set([...PAGE_SIZES, query.pageSize])]
                .sort((a, b) => a - b)
                .map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
            </select>
          </div>
        </div>
        <div className="flex items-end gap-2">
          <button type="submit" className={`${buttonPrimary} h-[34px]`}>
            Apply
          </button>
          <Link href={scanId ? `/findings?scan=${scanId}` : "/findings"} className={`${buttonSecondary} h-[34px]`}>
            Reset
          </Link>
        </div>
      </div>
    </AutoSubmitForm>
  );
}

/** One multi-choice filter (severity, status): a checkbox per value with its facet count. */
function CheckboxGroup<T extends string>(props: {
  legend: string;
  name: string;
  values: readonly T[];
  labels: Record<T, string>;
  checked: readonly string[] | undefined;
  counts: Partial<Record<T, number>> | undefined;
}) {
  return (
    <fieldset>
      <legend className="mb-1 text-xs font-medium text-slate-700">{props.legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {props.values.map((v) => (
          <label key={v} className="inline-flex items-center gap-1.5 text-sm text-slate-800">
            <input
              type="checkbox"
              name={props.name}
              value={v}
              defaultChecked={props.checked?.includes(v) ?? false}
              className="h-4 w-4 rounded border-slate-300 accent-blue-700"
            />
            {props.labels[v]}
            <span className="text-xs text-slate-500">{props.counts ? ` (${count(props.counts[v] ?? 0)})` : ""}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
