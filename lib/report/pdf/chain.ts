/**
 * The chain diagram: Speech resource → linked storage account(s) → key vault(s), as boxes and
 * arrows. Every box lists its facts with the judging control's status in words ("✓ PASS · CMK-2"),
 * every arrow is labelled with its control and status; boxes for documents that are not in the
 * scan have dashed borders and say so.
 */
import type { Canvas } from "./canvas";
import type { Chain, ChainEdge, ChainNode } from "./chain-model";
import { COLOR, CONTENT_WIDTH, PAGE, SIZE, statusStyle } from "./theme";

const COL_W = 146;
const GAP = (CONTENT_WIDTH - 3 * COL_W) / 2;
const PAD = 5;
const TITLE_H = 23;
const LABEL_SIZE = SIZE.micro;
const VALUE_SIZE = 7.2;
const FACT_H = LABEL_SIZE * 1.25 + VALUE_SIZE * 1.3 + 1.5;
const ROW_GAP = 8;

/** A note (why a box is not visible, what a placeholder stands for) gets up to this many lines. */
const NOTE_LINES = 4;

export function nodeHeight(node: ChainNode): number {
  return TITLE_H + (node.facts.length + (node.note ? 1 : 0)) * FACT_H + (node.note ? (NOTE_LINES - 1) * VALUE_SIZE * 1.3 : 0) + PAD;
}

interface Placed {
  node: ChainNode;
  x: number;
  y: number;
  h: number;
}

interface Layout {
  account: Placed;
  storages: Placed[];
  vaults: (Placed | undefined)[];
  height: number;
}

function layout(chain: Chain, x0: number, y0: number): Layout {
  const xs = [x0, x0 + COL_W + GAP, x0 + 2 * (COL_W + GAP)];
  const account: Placed = { node: chain.account, x: xs[0], y: y0, h: nodeHeight(chain.account) };
  const storageNodes = chain.storages.length > 0 ? chain.storages.map((s) => s.storage) : chain.noStorage ? [chain.noStorage.node] : [];
  const storages: Placed[] = [];
  let sy = y0;
  for (const node of storageNodes) {
    const h = nodeHeight(node);
    storages.push({ node, x: xs[1], y: sy, h });
    sy += h + ROW_GAP;
  }
  const vaults: (Placed | undefined)[] = chain.vaults.map(() => undefined);
  let vy = y0;
  chain.storages.forEach((s, i) => {
    if (s.vault === undefined || vaults[s.vault]) return;
    const node = chain.vaults[s.vault];
    const y = Math.max(vy, storages[i].y);
    const h = nodeHeight(node);
    vaults[s.vault] = { node, x: xs[2], y, h };
    vy = y + h + ROW_GAP;
  });
  if (chain.accountVault !== undefined && !vaults[chain.accountVault]) {
    const node = chain.vaults[chain.accountVault];
    vaults[chain.accountVault] = { node, x: xs[2], y: vy, h: nodeHeight(node) };
  }
  const bottoms = [account.y + account.h, ...storages.map((s) => s.y + s.h), ...vaults.filter((v): v is Placed => !!v).map((v) => v.y + v.h)];
  let height = Math.max(...bottoms) - y0;
  // A shared vault is reached by a route below every box.
  if (chain.accountVault !== undefined) height += 22;
  return { account, storages, vaults, height };
}

export function chainHeight(chain: Chain): number {
  return layout(chain, 0, 0).height;
}

/** Draws the chain with its top-left at (x, y); returns the height used. */
export function drawChain(canvas: Canvas, chain: Chain, x = PAGE.marginX, y = canvas.y): number {
  const l = layout(chain, x, y);
  box(canvas, l.account);
  l.storages.forEach((s) => box(canvas, s));
  for (const v of l.vaults) if (v) box(canvas, v);

  // Speech → storage (or → "no customer storage").
  const edges: { to: Placed; edge: ChainEdge }[] =
    chain.storages.length > 0
      ? chain.storages.map((s, i) => ({ to: l.storages[i], edge: s.access }))
      : chain.noStorage
        ? [{ to: l.storages[0], edge: chain.noStorage.edge }]
        : [];
  const startX = l.account.x + COL_W;
  const spineX = startX + 7;
  const firstY = (edges[0]?.to.y ?? 0) + TITLE_H / 2 + 2;
  const lastY = (edges[edges.length - 1]?.to.y ?? 0) + TITLE_H / 2 + 2;
  if (edges.length > 1) {
    canvas.line(startX, firstY, spineX, firstY, COLOR.muted, 0.9);
    canvas.line(spineX, firstY, spineX, lastY, COLOR.muted, 0.9);
  }
  for (const { to, edge } of edges) {
    const ey = to.y + TITLE_H / 2 + 2;
    arrow(canvas, edges.length > 1 ? spineX : startX, ey, to.x, ey, edge);
  }
  // Storage → its vault.
  chain.storages.forEach((s, i) => {
    if (s.vault === undefined || !s.keyEdge) return;
    const v = l.vaults[s.vault];
    if (!v) return;
    const from = l.storages[i];
    const ey = Math.max(from.y, v.y) + TITLE_H / 2 + 2;
    if (ey <= from.y + from.h && ey <= v.y + v.h) arrow(canvas, from.x + COL_W, ey, v.x, ey, s.keyEdge);
    else {
      const y1 = from.y + TITLE_H / 2 + 2;
      const y2 = v.y + TITLE_H / 2 + 2;
      const mx = from.x + COL_W + GAP / 2;
      canvas.line(from.x + COL_W, y1, mx, y1, COLOR.muted, 0.9);
      canvas.line(mx, y1, mx, y2, COLOR.muted, 0.9);
      arrow(canvas, mx, y2, v.x, y2, s.keyEdge);
    }
  });
  // Speech → the vault of its own key.
  if (chain.accountVault !== undefined && chain.accountKeyEdge) {
    const v = l.vaults[chain.accountVault];
    const edge = chain.accountKeyEdge;
    const ax = l.account.x + COL_W / 2;
    const ay = l.account.y + l.account.h;
    if (v) {
      const routeY = y + l.height - 10;
      const vx = v.x + COL_W / 2;
      canvas.line(ax, ay, ax, routeY, COLOR.muted, 0.9, 2);
      canvas.line(ax, routeY, vx, routeY, COLOR.muted, 0.9, 2);
      canvas.line(vx, routeY, vx, v.y + v.h + 3.5, COLOR.muted, 0.9, 2);
      canvas.polygon(
        [
          [vx - 3, v.y + v.h + 4.5],
          [vx + 3, v.y + v.h + 4.5],
          [vx, v.y + v.h],
        ],
        COLOR.muted,
      );
      edgeLabel(canvas, ax + 6, routeY - 9, edge, v.x + COL_W / 2 - ax - 12);
    }
  }
  return l.height;
}

function box(canvas: Canvas, p: Placed): void {
  const { node, x, y, h } = p;
  canvas.rect(x, y, COL_W, h, {
    fill: COLOR.white,
    stroke: node.visible ? COLOR.faint : COLOR.muted,
    lineWidth: 0.8,
    radius: 3,
    dash: node.visible ? undefined : 2.5,
  });
  canvas.rect(x + 0.4, y + 0.4, COL_W - 0.8, TITLE_H - 2, { fill: COLOR.accentSoft, radius: 2.6 });
  canvas.text(node.role.toUpperCase(), x + PAD, y + 3.5, { face: "bold", size: SIZE.micro, color: COLOR.accent, width: COL_W - 2 * PAD });
  canvas.text(node.name, x + PAD, y + 11, { face: "bold", size: 7.8, color: COLOR.ink, width: COL_W - 2 * PAD });
  let fy = y + TITLE_H + 1.5;
  const tagged = new Set<string>();
  const line = (label: string, verdict: { control?: string; status?: string; muted?: boolean }): void => {
    let tagW = 0;
    // A control judging several facts of a box is tagged once, on the first.
    if (verdict.control && !tagged.has(verdict.control)) {
      tagged.add(verdict.control);
      const st = statusStyle(verdict.status ?? null);
      const tag = verdict.status ? `${st.symbol} ${st.label}${verdict.muted ? "*" : ""} · ${verdict.control}` : `· ${verdict.control}`;
      tagW = canvas.text(tag, x + PAD, fy, {
        face: "bold",
        size: LABEL_SIZE,
        color: verdict.status ? st.color : COLOR.muted,
        width: COL_W - 2 * PAD,
        align: "right",
      });
    }
    canvas.text(label, x + PAD, fy, { size: LABEL_SIZE, color: COLOR.muted, width: COL_W - 2 * PAD - tagW - 4 });
  };
  for (const fact of node.facts) {
    line(fact.label, fact);
    canvas.text(fact.value, x + PAD, fy + LABEL_SIZE * 1.25, { size: VALUE_SIZE, color: COLOR.ink, width: COL_W - 2 * PAD });
    fy += FACT_H;
  }
  if (node.note) {
    line("Note", node.verdict ?? {});
    let ny = fy + LABEL_SIZE * 1.25;
    for (const text of canvas.wrap(node.note, COL_W - 2 * PAD, { size: VALUE_SIZE }, NOTE_LINES)) {
      canvas.text(text, x + PAD, ny, { size: VALUE_SIZE, color: COLOR.ink });
      ny += VALUE_SIZE * 1.3;
    }
  }
}

function arrow(canvas: Canvas, x1: number, y: number, x2: number, _y2: number, edge: ChainEdge): void {
  canvas.line(x1, y, x2 - 4, y, COLOR.muted, 0.9);
  canvas.polygon(
    [
      [x2 - 5, y - 3],
      [x2 - 5, y + 3],
      [x2, y],
    ],
    COLOR.muted,
  );
  const st = statusStyle(edge.status ?? null);
  const w = x2 - x1;
  canvas.text(edge.control, x1, y - LABEL_SIZE * 1.35 - 0.5, { face: "bold", size: 6, color: COLOR.muted, width: w - 2, align: "center" });
  canvas.text(edge.status ? `${st.symbol} ${st.short}${edge.muted ? "*" : ""}` : "—", x1, y + 2.2, {
    face: "bold",
    size: 6,
    color: edge.status ? st.color : COLOR.muted,
    width: w - 2,
    align: "center",
  });
}

function edgeLabel(canvas: Canvas, x: number, y: number, edge: ChainEdge, width: number): void {
  const st = statusStyle(edge.status ?? null);
  const text = `${edge.label} · ${edge.control} ${edge.status ? `${st.symbol} ${st.label}${edge.muted ? "*" : ""}` : ""}`;
  canvas.text(text, x, y, { face: "bold", size: 6, color: edge.status ? st.color : COLOR.muted, width });
}
