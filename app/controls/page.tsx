/** Controls: the catalogue, rendered from the same objects evaluation uses. */
import type { Metadata } from "next";
import Link from "next/link";
import { Remediation } from "@/components/controls/remediation";
import { References } from "@/components/controls/references";
import { AzureMapping } from "@/components/controls/azure-mapping";
import { SeverityBadge } from "@/components/ui/badges";
import { linkClass } from "@/components/ui/buttons";
import { InlineCode } from "@/components/ui/inline-code";
import { PageHeader } from "@/components/ui/layout";
import { CATALOG, CATALOG_VERSION, FAMILY_TITLES } from "@/lib/posture/controls";
import { findingsHref } from "@/lib/views/search-params";

export const metadata: Metadata = { title: "Controls" };

export default function ControlsPage() {
  const families = [...new Set(CATALOG.map((c) => c.family))];
  return (
    <>
      <PageHeader
        title="Controls"
        description={`Catalogue version ${CATALOG_VERSION}: ${CATALOG.length} controls, each with its rule, why it matters, how to fix it and where it maps in Azure Policy, MCSB and NIST SP 800-53.`}
      />
      <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
        <nav aria-label="Controls in this catalogue" className="lg:sticky lg:top-6 lg:self-start">
          <ul className="space-y-3 text-sm">
            {families.map((f) => (
              <li key={f}>
                <a href={`#family-${f}`} className="font-semibold text-slate-900 hover:underline">
                  {FAMILY_TITLES[f]}
                </a>
                <ul className="mt-1 space-y-0.5 border-l border-slate-200 pl-3">
                  {CATALOG.filter((c) => c.family === f).map((c) => (
                    <li key={c.id}>
                      <a href={`#${c.id}`} className="text-slate-600 hover:text-blue-800 hover:underline">
                        <span className="font-mono text-xs">{c.id}</span> <span className="sr-only">{c.title}</span>
                      </a>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </nav>
        <div className="min-w-0 space-y-8">
          {families.map((f) => (
            <section key={f} aria-labelledby={`family-${f}`} className="space-y-4">
              <h2 id={`family-${f}`} className="scroll-mt-6 text-lg font-semibold text-slate-900">
                {FAMILY_TITLES[f]}
              </h2>
              {CATALOG.filter((c) => c.family === f).map((c) => (
                <article key={c.id} id={c.id} aria-labelledby={`${c.id}-title`} className="scroll-mt-6 rounded-lg border border-slate-200 bg-white shadow-sm">
                  <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-4 py-3">
                    <div className="min-w-0">
                      <h3 id={`${c.id}-title`} className="text-sm font-semibold text-slate-900">
                        <span className="mr-2 font-mono text-slate-500">{c.id}</span>
                        {c.title}
                      </h3>
                      <div className="mt-1">
                        <SeverityBadge severity={c.severity} />
                      </div>
                    </div>
                    <Link href={findingsHref({ controlId: c.id, status: "fail" })} className={`text-xs ${linkClass}`}>
                      Failing findings<span className="sr-only"> for {c.id}</span>
                    </Link>
                  </header>
                  <div className="space-y-4 px-4 py-4 text-sm text-slate-800">
                    <div>
                      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Rule</h4>
                      <p>
                        <InlineCode text={c.rule} />
                      </p>
                    </div>
                    <div>
                      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Why it matters</h4>
                      <p>{c.rationale}</p>
                    </div>
                    <details className="group rounded-md border border-slate-200">
                      <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-800">Remediation</summary>
                      <div className="border-t border-slate-200 p-3">
                        <Remediation remediation={c.remediation} />
                      </div>
                    </details>
                    <div>
                      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Framework mappings</h4>
                      <References references={c.references} />
                    </div>
                    <AzureMapping controlId={c.id} />
                  </div>
                </article>
              ))}
            </section>
          ))}
        </div>
      </div>
    </>
  );
}
