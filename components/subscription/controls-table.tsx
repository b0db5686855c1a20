/** The subscription report's controls table: each control's verdict counts, linked to the findings, and its pass rate. */
import Link from "next/link";
import { SeverityBadge } from "@/components/ui/badges";
import { Table, Td, Th } from "@/components/ui/table";
import type { StatusCounts } from "@/lib/store/findings/aggregate";
import type { Control } from "@/lib/posture/types";
import { count, percent } from "@/lib/views/format";

function CountLink({ n, href, tone }: { n: number; href: string; tone: string }) {
  if (n === 0) return <span className="text-slate-500">0</span>;
  return (
    <Link href={href} className={`font-semibold tabular-nums hover:underline ${tone}`}>
      {count(n)}
    </Link>
  );
}

export function ControlsTable({
  controls,
  findingsHref,
}: {
  controls: { control: Control; counts: StatusCounts }[];
  findingsHref: (filter: Record<string, string>) => string;
}) {
  const f = findingsHref;
  return (
    <Table caption="Controls with pass, fail, unknown and not applicable counts">
      <thead>
        <tr>
          <Th>Control</Th>
          <Th>Severity</Th>
          <Th className="text-right">Fail</Th>
          <Th className="text-right">Unknown</Th>
          <Th className="text-right">Pass</Th>
          <Th className="text-right">Not applicable</Th>
          <Th>Pass rate</Th>
        </tr>
      </thead>
      <tbody>
        {controls.map(({ control, counts: [pass, fail, unknown, na] }) => (
          <tr key={control.id} className="hover:bg-slate-50">
            <Td>
              <Link href={`/controls#${control.id}`} className="mr-2 font-mono text-xs font-semibold text-slate-600 hover:underline">
                {control.id}
              </Link>
              <span className="text-slate-900">{control.title}</span>
            </Td>
            <Td>
              <SeverityBadge severity={control.severity} />
            </Td>
            <Td className="text-right">
              <CountLink n={fail} href={f({ controlId: control.id, status: "fail" })} tone="text-red-800" />
            </Td>
            <Td className="text-right">
              <CountLink n={unknown} href={f({ controlId: control.id, status: "unknown" })} tone="text-amber-800" />
            </Td>
            <Td className="text-right">
              <CountLink n={pass} href={f({ controlId: control.id, status: "pass" })} tone="text-emerald-800" />
            </Td>
            <Td className="text-right">
              <CountLink n={na} href={f({ controlId: control.id, status: "not_applicable" })} tone="text-slate-700" />
            </Td>
            <Td>
              {pass + fail ? (
                <span className="inline-flex items-center gap-2 text-xs text-slate-700">
                  <span className="relative h-1.5 w-20 overflow-hidden rounded-full bg-red-200" aria-hidden="true" data-testid="control-pass-bar">
                    <span className="absolute inset-y-0 left-0 bg-emerald-600" style={{ width: `${Math.floor((100 * pass) / (pass + fail))}%` }} />
                  </span>
                  {percent(pass, pass + fail)}
                  {/* The rate is of judged checks only: say how many could not be judged. */}
                  {unknown ? <span className="text-amber-800">of judged · {count(unknown)} unknown</span> : null}
                </span>
              ) : (
                <span className="text-xs text-slate-500">nothing judged{unknown ? ` · ${count(unknown)} unknown` : ""}</span>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
