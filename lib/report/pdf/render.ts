/**
 * The three PDF reports, assembled from the sections: cover, contents, executive summary,
 * controls, encryption state, (tenant: subscriptions,) muted findings and exceptions,
 * reconciliation with Azure Policy and Defender for Cloud, appendix.
 * Each is a pure function of its input (`generatedAt` stands in for the clock).
 */
import PDFDocument from "pdfkit";
import { Canvas } from "./canvas";
import { buildContext, type ReportContext, type ReportKind } from "./context";
import { loadFaces } from "./faces";
import { fontPath } from "./fonts";
import { drawFrames } from "./frame";
import { drawContents, CONTENTS_TITLE } from "./sections/contents";
import { drawControls } from "./sections/controls";
import { drawCover } from "./sections/cover";
import { drawEncryption } from "./sections/encryption";
import { drawExceptions } from "./sections/exceptions";
import { drawMethod } from "./sections/method";
import { drawReconciliation } from "./sections/reconciliation";
import { drawSubscriptions } from "./sections/subscriptions";
import { drawSummary } from "./sections/summary";
import { PAGE } from "./theme";
import type { ReportInput } from "@/lib/report/model";

export const PDF_AUTHOR = "Speech Posture";

/** The tenant report: every subscription, one compact row per resource. */
export function renderTenantPdf(input: ReportInput): Promise<Buffer> {
  return render(input, "tenant");
}

/** One subscription's report: every failing finding with evidence, each resource's encryption chain. */
export function renderSubscriptionPdf(input: ReportInput, subscriptionId: string): Promise<Buffer> {
  return render(input, "subscription", subscriptionId);
}

/** One resource's report: its chain and all of its findings with evidence. */
export function renderResourcePdf(input: ReportInput, resourceId: string): Promise<Buffer> {
  return render(input, "resource", resourceId);
}

async function render(input: ReportInput, kind: ReportKind, target?: string): Promise<Buffer> {
  const ctx = buildContext(input, kind, target);
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    bufferPages: true,
    compress: true,
    pdfVersion: "1.7",
    lang: "en",
    // A structure tree for screen readers (the canvas tags headings, paragraphs, lists and tables).
    tagged: true,
    displayTitle: true,
    font: fontPath("regular"),
    info: {
      Title: metadataText(`${ctx.title}: ${ctx.scopeLabel}`),
      Subject: metadataText(
        `Azure AI Speech data protection (BYOS, customer-managed keys, network, logging): scan ${ctx.full.scan.id}, result SHA-256 ${ctx.fullSha256}`,
      ),
      Author: PDF_AUTHOR,
      Creator: PDF_AUTHOR,
      Keywords: "Azure AI Speech, compliance, BYOS, CMK, encryption at rest",
      CreationDate: input.generatedAt,
      ModDate: input.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  try {
    const canvas = new Canvas(doc, loadFaces(doc), true);
    layout(canvas, ctx);
    drawFrames(canvas, ctx);
    canvas.endLooseText();
  } catch (error) {
    doc.end();
    await ended.catch(() => undefined);
    throw error;
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function layout(canvas: Canvas, ctx: ReportContext): void {
  drawCover(canvas, ctx);
  canvas.newPage();
  const contentsPage = canvas.pageIndex;
  // Drawn last (it needs the page numbers) but read second.
  const contents = canvas.placeholder("TOC");
  canvas.bookmark(CONTENTS_TITLE, 1);
  let n = 1;
  drawSummary(canvas, ctx);
  if (ctx.kind === "resource") {
    drawEncryption(canvas, ctx, ++n);
    drawControls(canvas, ctx, ++n);
  } else {
    drawControls(canvas, ctx, ++n);
    drawEncryption(canvas, ctx, ++n);
  }
  if (ctx.kind === "tenant") drawSubscriptions(canvas, ctx, ++n);
  drawExceptions(canvas, ctx, ++n);
  drawReconciliation(canvas, ctx, ++n);
  drawMethod(canvas, ctx, ++n);
  canvas.endLooseText();
  canvas.flush();
  canvas.doc.switchToPage(contentsPage);
  canvas.group("TOC", () => drawContents(canvas, canvas.destinations), contents);
  contents?.end();
  canvas.flush();
}

/** Document information strings: no control or invisible formatting characters, bounded length. */
function metadataText(s: string): string {
  const cleaned = s.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, "?");
  return cleaned.length > 300 ? `${cleaned.slice(0, 299)}…` : cleaned;
}
