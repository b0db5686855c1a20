/** How to fix a control: portal links (when filled in for a resource), portal steps, Azure CLI and Bicep, each code block with a copy button. */
import type { Remediation as RemediationData } from "@/lib/posture/types";
import { CopyButton } from "@/components/ui/copy-button";
import { InlineCode } from "@/components/ui/inline-code";
import { showHidden } from "@/lib/report/visible-text";

function Code({ title, code }: { title: string; code: string }) {
  return (
    <div className="min-w-0">
      <div className="mb-1 flex items-center justify-between gap-2">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h4>
        <CopyButton text={code} label={`Copy ${title}`} />
      </div>
      <pre
        className="max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100"
        tabIndex={0}
        aria-label={`${title} code`}
      >
        <code>{code}</code>
      </pre>
    </div>
  );
}

export function Remediation({ remediation, links }: { remediation: RemediationData; links?: readonly { label: string; href: string }[] }) {
  return (
    <div className="space-y-4" data-testid="remediation">
      {links?.length ? (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {links.map((l) => (
            <li key={l.href}>
              <a href={l.href} target="_blank" rel="noopener noreferrer" className="font-medium text-blue-700 underline hover:text-blue-900">
                {showHidden(l.label)}
                <span className="sr-only"> (opens in a new tab)</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <div>
        <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Azure portal</h4>
        <ol className="ml-5 list-decimal space-y-1 text-sm text-slate-800">
          {remediation.portal.map((step, i) => (
            <li key={i}>
              <InlineCode text={step} />
            </li>
          ))}
        </ol>
      </div>
      <div className="grid gap-4 xl:grid-cols-2">
        <Code title="Azure CLI" code={remediation.cli} />
        <Code title="Bicep" code={remediation.bicep} />
      </div>
    </div>
  );
}
