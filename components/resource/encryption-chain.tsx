/**
 * The encryption picture: Speech resource → linked storage → key vault, drawn with HTML boxes and
 * CSS arrows. Every node and edge is coloured by the worst verdict of its controls AND says it in
 * words (icon + label + control IDs), so the picture reads without colour.
 */
import Link from "next/link";
import { dependenciesHref } from "@/lib/views/search-params";
import type { CSSProperties } from "react";
import type { ChainEdge, ChainFinding, ChainNode, EncryptionChain, Fact, Tone } from "@/lib/views/encryption-chain";
import { STATUS_LABEL, REASON_LABEL } from "@/lib/views/labels";
import { StatusIcon } from "@/components/ui/badges";
import { Database, Key, Mic } from "@/components/ui/icons";

const NODE_BORDER: Record<Tone, string> = {
  fail: "border-red-300 ring-red-600/10",
  unknown: "border-amber-300 ring-amber-600/10",
  pass: "border-emerald-300 ring-emerald-600/10",
  not_applicable: "border-slate-300 ring-slate-500/10",
};
const BAND: Record<Tone, string> = {
  fail: "bg-red-50 text-red-800",
  unknown: "bg-amber-50 text-amber-900",
  pass: "bg-emerald-50 text-emerald-800",
  not_applicable: "bg-slate-100 text-slate-700",
};
const LINE: Record<Tone, string> = {
  fail: "border-red-600 text-red-600",
  unknown: "border-amber-600 text-amber-600",
  pass: "border-emerald-600 text-emerald-600",
  not_applicable: "border-slate-400 text-slate-400",
};
const FACT_TONE: Record<Tone, string> = {
  fail: "text-red-800",
  unknown: "text-amber-900",
  pass: "text-emerald-800",
  not_applicable: "text-slate-900",
};

function verdictWords(findings: ChainFinding[], status: Tone): string {
  if (findings.length === 0) return "No control";
  const fails = findings.filter((f) => f.status === "fail").length;
  const unknown = findings.filter((f) => f.status === "unknown").length;
  if (fails) return `${fails} failing${unknown ? `, ${unknown} unknown` : ""}`;
  if (unknown) return `${unknown} unknown`;
  if (status === "pass") return findings.length === 1 ? "Passes" : "All pass";
  return "Not applicable";
}

function ControlChips({ findings }: { findings: ChainFinding[] }) {
  if (!findings.length) return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Controls">
      {findings.map((f) => (
        <li key={f.controlId}>
          <a
            href={`#control-${f.controlId}`}
            className={`inline-flex items-center gap-0.5 rounded px-1 py-0.5 font-mono text-[10px] font-semibold hover:underline ${BAND[f.status as Tone] ?? BAND.not_applicable}`}
            title={`${f.controlId}: ${STATUS_LABEL[f.status as Tone] ?? f.status}${f.reason ? ` (${REASON_LABEL[f.reason] ?? f.reason})` : ""}${f.muted ? ", muted" : ""}`}
          >
            <StatusIcon status={f.status} className="h-3 w-3" />
            {f.controlId}
            <span className="sr-only">
              {" "}
              {STATUS_LABEL[f.status as Tone] ?? f.status}
              {f.muted ? ", muted" : ""}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function FactList({ facts }: { facts: readonly Fact[] }) {
  return (
    <dl className="grid gap-x-4 gap-y-1.5 text-xs sm:grid-cols-2 lg:grid-cols-1">
      {facts.map((f) => (
        <div key={f.label}>
          <dt className="text-[11px] font-medium uppercase tracking-wide text-slate-500">{f.label}</dt>
          <dd className={`break-words font-medium ${f.tone ? FACT_TONE[f.tone] : "text-slate-900"}`}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function NodeBox({ node, style, className = "", scanId }: { node: ChainNode; style?: CSSProperties; className?: string; scanId?: string }) {
  const Icon = node.type === "speech" ? Mic : node.type === "vault" ? Key : Database;
  const dashed = !node.visible ? "border-dashed" : "";
  return (
    <div
      style={style}
      className={`flex min-w-0 flex-col overflow-hidden rounded-lg border-2 bg-white shadow-sm ring-4 ${NODE_BORDER[node.status]} ${dashed} ${className}`}
      data-testid={`chain-node-${node.type}`}
      data-status={node.status}
    >
      <div className={`flex items-center gap-1.5 px-3 py-1.5 text-xs font-semibold ${BAND[node.status]}`}>
        <StatusIcon status={node.status} className="h-3.5 w-3.5" />
        <span>{verdictWords(node.findings, node.status)}</span>
      </div>
      <div className="space-y-3 p-3">
        <div className="flex items-start gap-2">
          <span className="mt-0.5 rounded-md bg-slate-100 p-1 text-slate-600">
            <Icon className="h-4 w-4" />
          </span>
          <div className="min-w-0">
            <h3 className="break-words text-sm font-semibold text-slate-900" title={node.resourceId ?? undefined}>
              {node.title}
            </h3>
            <p className="text-[11px] text-slate-500">{node.subtitle}</p>
          </div>
        </div>
        {node.note ? <p className="rounded bg-slate-50 px-2 py-1.5 text-xs text-slate-700">{node.note}</p> : null}
        {node.facts.length ? <FactList facts={node.facts} /> : null}
        <ControlChips findings={node.findings} />
        {node.type === "storage" || node.type === "vault" ? (
          <Link
            href={dependenciesHref(node.resourceId, node.type, node.title, scanId)}
            className="inline-block text-xs font-medium text-blue-700 hover:underline"
            data-testid="chain-dependents-link"
          >
            Speech resources that depend on it
            <span className="sr-only"> ({node.title})</span>
          </Link>
        ) : null}
      </div>
    </div>
  );
}

function EdgeVerdicts({ edge, center }: { edge: ChainEdge; center: boolean }) {
  if (edge.findings.length === 0) return null;
  return (
    <ul className={`mt-0.5 space-y-0.5 text-[10px] font-semibold ${center ? "text-center" : ""}`}>
      {edge.findings.map((f) => (
        <li
          key={f.controlId}
          data-control={f.controlId}
          data-status={f.status}
          className={`flex items-center gap-1 ${center ? "justify-center" : ""} ${FACT_TONE[(f.status as Tone) ?? "not_applicable"]}`}
        >
          <StatusIcon status={f.status} className="h-3 w-3" />
          <span className="font-mono">{f.controlId}</span>
          <span className="font-normal">{(STATUS_LABEL[f.status as Tone] ?? f.status).toLowerCase()}</span>
          {f.muted ? <span className="font-normal">(muted)</span> : null}
        </li>
      ))}
    </ul>
  );
}

function Edge({ edge, style, className = "" }: { edge: ChainEdge; style?: CSSProperties; className?: string }) {
  const dashed = edge.status === "fail" ? "border-dashed" : "";
  return (
    <div style={style} className={`flex min-w-0 ${className}`} data-testid="chain-edge" data-status={edge.status}>
      {/* Wide screens: a horizontal arrow with the label above and the verdicts below. */}
      <div className="hidden w-full flex-col items-stretch justify-center px-1 lg:flex">
        <p className="mb-1 text-center text-[11px] font-semibold leading-tight text-slate-800">{edge.label}</p>
        <div className={`relative border-t-2 ${LINE[edge.status]} ${dashed}`} aria-hidden="true">
          <span className="absolute -right-0.5 -top-[7px] h-0 w-0 border-y-[6px] border-l-[9px] border-y-transparent border-l-current" />
        </div>
        <p className="mt-1 text-center text-[10px] leading-tight text-slate-600">{edge.detail}</p>
        <EdgeVerdicts edge={edge} center />
      </div>
      {/* Narrow screens: a downward arrow with the text beside it. */}
      <div className="flex items-stretch gap-3 py-1 pl-6 lg:hidden">
        <div className={`relative w-0 border-l-2 ${LINE[edge.status]} ${dashed} min-h-12`} aria-hidden="true">
          <span className="absolute -bottom-0.5 -left-[7px] h-0 w-0 border-x-[6px] border-t-[9px] border-x-transparent border-t-current" />
        </div>
        <div className="py-1 text-xs">
          <p className="font-semibold text-slate-800">{edge.label}</p>
          <p className="text-slate-600">{edge.detail}</p>
          <EdgeVerdicts edge={edge} center={false} />
        </div>
      </div>
    </div>
  );
}

export function EncryptionChainView({ chain, scanId }: { chain: EncryptionChain; scanId?: string }) {
  const rows = Math.max(1, chain.rows.length);
  const at = (row: number, col: number, span = 1): CSSProperties => ({ ["--r" as string]: `${row}`, ["--c" as string]: `${col} / span ${span}` });
  const placed = "lg:[grid-row:var(--r)] lg:[grid-column:var(--c)]";
  return (
    <figure aria-labelledby="chain-caption">
      <figcaption id="chain-caption" className="sr-only">
        How {chain.speech.title} stores and encrypts customer data: the resource, its linked storage accounts and the key vaults holding their keys.
      </figcaption>
      <div
        className="hidden grid-cols-[minmax(0,1fr)_8rem_minmax(0,1fr)_8rem_minmax(0,1fr)] pb-2 text-[11px] font-semibold uppercase tracking-wide text-slate-500 lg:grid"
        aria-hidden="true"
      >
        <span>Speech resource</span>
        <span />
        <span>Customer data storage</span>
        <span />
        <span>Keys</span>
      </div>
      <div className="flex flex-col lg:grid lg:grid-cols-[minmax(0,1fr)_8rem_minmax(0,1fr)_8rem_minmax(0,1fr)] lg:items-start lg:gap-y-4">
        <NodeBox node={chain.speech} style={{ ["--r" as string]: `1 / span ${rows}`, ["--c" as string]: "1" }} className={`${placed} lg:self-stretch`} />
        {chain.rows.map((r, i) => {
          const row = i + 1;
          if (r.direct) {
            return (
              <div key={r.toMiddle.key} className="contents">
                <Edge edge={r.toMiddle} style={at(row, 2, 3)} className={`${placed} lg:self-center`} />
                <NodeBox node={r.middle} style={at(row, 5)} className={placed} scanId={scanId} />
              </div>
            );
          }
          return (
            <div key={r.middle.key} className="contents">
              <Edge edge={r.toMiddle} style={at(row, 2)} className={`${placed} lg:self-center`} />
              <NodeBox node={r.middle} style={at(row, 3)} className={placed} scanId={scanId} />
              {r.toVault ? <Edge edge={r.toVault} style={at(row, 4)} className={`${placed} lg:self-center`} /> : null}
              {r.vault ? <NodeBox node={r.vault} style={at(row, 5)} className={placed} scanId={scanId} /> : null}
            </div>
          );
        })}
      </div>
      {chain.lockbox ? (
        <p className={`mt-4 flex flex-wrap items-center gap-1.5 rounded-md px-3 py-2 text-xs ${BAND[(chain.lockbox.status as Tone) ?? "not_applicable"]}`}>
          <StatusIcon status={chain.lockbox.status} className="h-3.5 w-3.5" />
          <span className="font-semibold">Lockbox-equivalent control (LBX-1): {STATUS_LABEL[chain.lockbox.status as Tone] ?? chain.lockbox.status}</span>
          <span>— the whole storage chain ({chain.lockboxParts.join(", ")}) must pass.</span>
          <a href="#control-LBX-1" className="font-medium underline">
            Details
          </a>
        </p>
      ) : null}
    </figure>
  );
}
