/**
 * Encryption state per resource. Subscription and resource reports draw each resource's chain
 * (Speech → storage → key vault); the tenant report prints one compact row per resource, grouped
 * by subscription, so 10,000 resources stay readable (about 80 rows a page).
 */
import type { Canvas } from "@/lib/report/pdf/canvas";
import { chainReader, type Chain } from "@/lib/report/pdf/chain-model";
import { chainHeight, drawChain } from "@/lib/report/pdf/chain";
import { lastSegment, subscriptionName, type ReportContext } from "@/lib/report/pdf/context";
import { compareNames, formatCount, formatScore } from "@/lib/report/pdf/format";
import type { ReportFinding, ReportResource } from "@/lib/report/model";
import { idKey } from "@/lib/posture/ids";
import { COLOR, CONTENT_BOTTOM, CONTENT_WIDTH, PAGE, SIZE, statusStyle } from "@/lib/report/pdf/theme";

/** The controls along the chain, in the order the compact table shows them. */
export const CHAIN_COLUMNS: readonly { id: string; name: string }[] = [
  { id: "BYOS-1", name: "customer-owned storage" },
  { id: "BYOS-3", name: "identity reaches storage" },
  { id: "CMK-1", name: "resource key is customer-managed" },
  { id: "CMK-2", name: "storage key is customer-managed" },
  { id: "CMK-3", name: "key vaults protected" },
  { id: "CMK-4", name: "storage key rotates" },
  { id: "NET-1", name: "resource network restricted" },
  { id: "NET-3", name: "storage network restricted" },
  { id: "IAM-2", name: "storage refuses shared keys" },
];
const CHAIN_IDS = new Set(CHAIN_COLUMNS.map((c) => c.id));

export function drawEncryption(canvas: Canvas, ctx: ReportContext, number: number): void {
  canvas.h1(ctx.kind === "resource" ? `${number}. Encryption chain` : `${number}. Encryption state per resource`);
  if (ctx.kind === "tenant") drawCompact(canvas, ctx);
  else drawChains(canvas, ctx);
}

function sortedResources(ctx: ReportContext): ReportResource[] {
  return [...ctx.result.resources].sort((a, b) => compareNames(a.name, b.name) || a.id.localeCompare(b.id));
}

function drawChains(canvas: Canvas, ctx: ReportContext): void {
  canvas.para(
    "For each resource: the Speech resource, the storage account it keeps customer data in (bring your own storage), and the key vaults holding the keys, " +
      "with the facts read from the scan's documents. Each fact and each arrow names the control that judges it and that control's status for the resource " +
      "(✓ PASS, ✗ FAIL, ? UNKNOWN, – N/A; * muted). Dashed boxes are documents the scan could not see.",
    { size: SIZE.small, color: COLOR.muted, after: 10 },
  );
  const read = ctx.input.snapshot ? chainReader(ctx.input.snapshot) : undefined;
  if (!read) {
    canvas.para("The scan's documents (snapshot) were not supplied with this report, so the chain is shown from the findings alone.", {
      size: SIZE.small,
      color: COLOR.unknown,
      after: 8,
    });
  }
  for (const resource of sortedResources(ctx)) {
    const findings = ctx.findingsByResource.get(idKey(resource.id));
    const chain = read?.(resource.id, findings);
    const height = chain ? chainHeight(chain) : 40;
    canvas.ensure(height + 44);
    resourceHeader(canvas, ctx, resource);
    if (chain) {
      canvas.y += drawChain(canvas, chain) + 16;
    } else {
      statusLine(canvas, findings);
      canvas.y += 12;
    }
  }
}

function resourceHeader(canvas: Canvas, ctx: ReportContext, r: ReportResource): void {
  const x = PAGE.marginX;
  canvas.line(x, canvas.y, x + CONTENT_WIDTH, canvas.y, COLOR.rule, 0.6);
  canvas.y += 5;
  const scoreText = `Score ${formatScore(r.score)}`;
  canvas.text(scoreText, x, canvas.y, { face: "bold", size: SIZE.h3, color: COLOR.ink, width: CONTENT_WIDTH, align: "right" });
  canvas.text(r.name || lastSegment(r.id), x, canvas.y, { face: "bold", size: SIZE.h3, color: COLOR.ink, width: CONTENT_WIDTH - 80 });
  canvas.y += SIZE.h3 * 1.35;
  const where = [
    r.kind,
    r.location,
    r.resourceGroup ? `resource group ${r.resourceGroup}` : null,
    ctx.kind === "tenant" ? subscriptionName(ctx, r.subscriptionId) : null,
  ]
    .filter(Boolean)
    .join(" · ");
  canvas.text(where, x, canvas.y, { size: SIZE.tiny, color: COLOR.muted, width: CONTENT_WIDTH });
  canvas.y += SIZE.tiny * 1.6;
}

/** Without documents: the chain controls as a line of statuses. */
function statusLine(canvas: Canvas, findings: ReadonlyMap<string, ReportFinding> | undefined): void {
  let x = PAGE.marginX;
  for (const c of CHAIN_COLUMNS) {
    const f = findings?.get(c.id);
    const st = statusStyle(f?.status);
    const label = `${c.id} ${st.symbol} ${st.short}${f?.muted ? "*" : ""}`;
    const w = canvas.width(label, { face: "bold", size: SIZE.tiny });
    if (x + w > PAGE.marginX + CONTENT_WIDTH) {
      x = PAGE.marginX;
      canvas.y += SIZE.tiny * 1.5;
    }
    canvas.text(label, x, canvas.y, { face: "bold", size: SIZE.tiny, color: f ? st.color : COLOR.muted });
    x += w + 10;
  }
  canvas.y += SIZE.tiny * 1.5;
}

// ------------------------------------------------------------------ tenant: compact rows

const ROW_SIZE = 6.4;
const ROW_H = 8.6;
const COLS = {
  name: 112,
  score: 22,
  status: 27,
  other: CONTENT_WIDTH - 112 - 22 - 27 * CHAIN_COLUMNS.length,
};

function drawCompact(canvas: Canvas, ctx: ReportContext): void {
  canvas.para(
    `One row per Speech resource (${formatCount(ctx.result.resources.length)}), grouped by subscription. Each column is a control along the chain Speech → storage → key vault, ` +
      "printed as its status (✓ PASS, ✗ FAIL, ? UNK unknown, – N/A; * muted by an exception). The last column lists the resource's other failing controls. " +
      "Subscription reports draw each resource's chain with the values behind these statuses.",
    { size: SIZE.small, color: COLOR.muted, after: 4 },
  );
  canvas.para(CHAIN_COLUMNS.map((c) => `${c.id}: ${c.name}`).join(" · "), { size: SIZE.tiny, color: COLOR.muted, after: 8 });

  const groups = new Map<string, ReportResource[]>();
  for (const r of ctx.result.resources) {
    const key = idKey(r.subscriptionId);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  const ordered = [...groups.entries()].sort(
    (a, b) => compareNames(subscriptionName(ctx, a[1][0].subscriptionId), subscriptionName(ctx, b[1][0].subscriptionId)) || a[0].localeCompare(b[0]),
  );
  header(canvas);
  for (const [key, resources] of ordered) {
    resources.sort((a, b) => compareNames(a.name, b.name) || a.id.localeCompare(b.id));
    if (canvas.y + 2 * ROW_H + 4 > CONTENT_BOTTOM) {
      canvas.newPage();
      header(canvas);
    }
    canvas.leaf("H3", () => groupRow(canvas, ctx, key, resources.length));
    for (const r of resources) {
      const findings = ctx.findingsByResource.get(idKey(r.id));
      const other = otherFailures(findings);
      const lines = other ? canvas.wrap(`✗ ${other}`, COLS.other - 4, { face: "bold", size: ROW_SIZE }, 3) : ["none"];
      const h = ROW_H + (lines.length - 1) * ROW_SIZE * 1.2;
      if (canvas.y + h > CONTENT_BOTTOM) {
        canvas.newPage();
        header(canvas);
        groupRow(canvas, ctx, key, resources.length, true);
      }
      // One paragraph per resource: a reader meets the row's name, score and statuses together.
      canvas.leaf("P", () => row(canvas, r, findings, lines, h, other !== ""));
    }
  }
}

function header(canvas: Canvas): void {
  const x0 = PAGE.marginX;
  const h = 11;
  canvas.rect(x0, canvas.y, CONTENT_WIDTH, h, { fill: COLOR.accentSoft });
  const y = canvas.y + 2.5;
  const opts = { face: "bold" as const, size: ROW_SIZE, color: COLOR.accent };
  let x = x0 + 2;
  canvas.text("Resource", x, y, { ...opts, width: COLS.name - 4 });
  x = x0 + COLS.name;
  canvas.text("Score", x, y, { ...opts, width: COLS.score - 3, align: "right" });
  x += COLS.score;
  for (const c of CHAIN_COLUMNS) {
    canvas.text(c.id, x + 2, y, { ...opts, width: COLS.status - 3 });
    x += COLS.status;
  }
  canvas.text("Other failing controls", x + 2, y, { ...opts, width: COLS.other - 4 });
  canvas.y += h + 1;
}

function groupRow(canvas: Canvas, ctx: ReportContext, key: string, count: number, continued = false): void {
  const s = ctx.subscriptions.get(key);
  const x0 = PAGE.marginX;
  canvas.y += 1.5;
  canvas.rect(x0, canvas.y, CONTENT_WIDTH, ROW_H + 1, { fill: COLOR.panel });
  const label = `${s?.displayName ?? "(no name)"} · ${s?.subscriptionId ?? key} · ${count} resources · score ${formatScore(s?.score)}${continued ? " (continued)" : ""}`;
  canvas.text(label, x0 + 2, canvas.y + 1.3, { face: "bold", size: ROW_SIZE, color: COLOR.ink, width: CONTENT_WIDTH - 4 });
  canvas.y += ROW_H + 1.5;
}

function row(canvas: Canvas, r: ReportResource, findings: ReadonlyMap<string, ReportFinding> | undefined, lines: string[], h: number, other: boolean): void {
  const x0 = PAGE.marginX;
  const y = canvas.y + 1;
  canvas.text(r.name || lastSegment(r.id), x0 + 2, y, { size: ROW_SIZE, color: COLOR.ink, width: COLS.name - 5 });
  let x = x0 + COLS.name;
  canvas.text(formatScore(r.score), x, y, { face: "bold", size: ROW_SIZE, color: COLOR.ink, width: COLS.score - 3, align: "right" });
  x += COLS.score;
  for (const c of CHAIN_COLUMNS) {
    const f = findings?.get(c.id);
    if (f)
      canvas.status(f.status, x + 2, y, {
        size: ROW_SIZE,
        short: true,
        muted: f.muted === true,
        width: COLS.status - 3,
        face: f.status === "fail" || f.status === "unknown" ? "bold" : "regular",
      });
    else canvas.text("—", x + 2, y, { size: ROW_SIZE, color: COLOR.faint });
    x += COLS.status;
  }
  let ly = y;
  for (const line of lines) {
    canvas.text(line, x + 2, ly, { face: other ? "bold" : "regular", size: ROW_SIZE, color: other ? COLOR.fail : COLOR.faint, width: COLS.other - 4 });
    ly += ROW_SIZE * 1.2;
  }
  canvas.y += h;
  canvas.line(x0, canvas.y, x0 + CONTENT_WIDTH, canvas.y, COLOR.rule, 0.25);
}

/** Failing controls outside the chain columns, grouped by family: "NET-2,4 IAM-1 LBX-1" (* muted). */
export function otherFailures(findings: ReadonlyMap<string, ReportFinding> | undefined): string {
  if (!findings) return "";
  const families = new Map<string, string[]>();
  for (const [id, f] of findings) {
    if (f.status !== "fail" || CHAIN_IDS.has(id)) continue;
    const dash = id.lastIndexOf("-");
    const family = dash > 0 ? id.slice(0, dash) : id;
    const n = dash > 0 ? id.slice(dash + 1) : "";
    let list = families.get(family);
    if (!list) families.set(family, (list = []));
    list.push(`${n}${f.muted ? "*" : ""}`);
  }
  return [...families.entries()].map(([family, ns]) => `${family}-${ns.join(",")}`).join(" ");
}

export type { Chain };
