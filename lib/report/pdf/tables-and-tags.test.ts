/**
 * What a security officer reads in the PDF tables and what a screen reader gets: full resource IDs
 * (wrapped at slashes, never cut), names never broken inside, a tagged structure with the document
 * language, and a sign-off block on the cover. Checked on the real file with poppler.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExceptionRule } from "@/lib/posture/exceptions";
import { idKey } from "@/lib/posture/ids";
import type { ReportInput } from "@/lib/report/model";
import { tenantFixture, type Fixture } from "@/lib/report/testing/fixture";
import { PdfFile, squash } from "@/lib/report/testing/poppler";
import { renderSubscriptionPdf, renderTenantPdf } from "./index";

type Word = ReturnType<PdfFile["words"]>[number][number];

/** The run of consecutive words that spells `id` exactly, or null when the ID is not printed whole. */
function idWords(words: readonly Word[], id: string): Word[] | null {
  for (let i = 0; i < words.length; i++) {
    if (!id.startsWith(words[i].text)) continue;
    let text = "";
    for (let j = i; j < words.length && id.startsWith(text + words[j].text); j++) {
      text += words[j].text;
      if (text === id) return words.slice(i, j + 1);
    }
  }
  return null;
}

let fx: Fixture;
let input: ReportInput;
let pdf: PdfFile;
let words: Word[];
let pages: string[];
const resourceErrors: string[] = [];
const rgScope: { id: string; rg: string } = { id: "", rg: "" };

beforeAll(async () => {
  const base = tenantFixture({ accounts: 30, subscriptions: 3 });
  // Mute failing findings of the accounts with the longest names: those are the ones a narrow column breaks.
  const failing = base.result.findings.filter((f) => f.status === "fail");
  const longest = [...new Set(failing.map((f) => f.resourceId))].sort((a, b) => b.split("/").pop()!.length - a.split("/").pop()!.length).slice(0, 3);
  const rules: ExceptionRule[] = longest.map((resourceId, i) => ({
    id: `ex-${i + 1}`,
    controlId: failing.find((f) => f.resourceId === resourceId)!.controlId,
    resourceId,
    owner: "dana.owner@example.com",
    reason: "Accepted until the storage migration in March",
    expiresAt: "2027-03-31",
  }));
  rules.push({ id: "ex-old", controlId: "NET-2", resourceId: longest[0], owner: "sam@example.com", reason: "Expired waiver", expiresAt: "2026-01-31" });
  const sub = base.result.subscriptions[0].subscriptionId;
  fx = tenantFixture({
    accounts: 30,
    subscriptions: 3,
    exceptions: rules,
    mutateSnapshot: (s) => {
      for (const id of longest) {
        resourceErrors.push(id);
        s.errors.push({ scope: id, source: "diagnosticSettings", reason: "access_denied", code: "AuthorizationFailed", message: "The client may not read it" });
      }
      rgScope.id = longest[1].split("/providers/")[0];
      rgScope.rg = rgScope.id.split("/")[4];
      s.errors.push({ scope: rgScope.id, source: "speechEndpoints", reason: "network_blocked", message: "Blocked by the firewall" });
      s.errors.push({ scope: `/subscriptions/${sub}`, source: "roleAssignments", reason: "collection_error", message: "Timed out" });
    },
  });
  input = { result: fx.result, snapshot: fx.snapshot, generatedAt: new Date("2026-11-28T12:00:00Z"), preparedBy: "casey.auditor@example.com" };
  pdf = new PdfFile(await renderTenantPdf(input));
  words = pdf.words().flat();
  pages = pdf.pages();
});
afterAll(() => pdf?.dispose());

describe("PDF tables print whole resource IDs and names", () => {
  it("'What could not be read' prints every scope's full ID, broken only after a slash, with its name, group and subscription", () => {
    expect(fx.result.errors.length).toBe(resourceErrors.length + 2);
    const text = squash(pages.join("\n"));
    for (const id of [...resourceErrors, rgScope.id]) {
      const run = idWords(words, id);
      expect(run, `full ID ${id}`).not.toBeNull();
      for (const w of run!.slice(0, -1)) expect(w.text.endsWith("/"), `"${w.text}" of ${id} ends a line mid-segment`).toBe(true);
    }
    const first = fx.result.resources.find((r) => idKey(r.id) === idKey(resourceErrors[0]))!;
    const subName = fx.result.subscriptions.find((s) => idKey(s.subscriptionId) === idKey(first.subscriptionId))!.displayName!;
    expect(text).toContain(squash(`${first.name} · resource group ${first.id.split("/")[4]} · subscription ${subName}`));
    expect(text).toContain(squash(`resource group ${rgScope.rg} · subscription`));
  });

  it("the exceptions tables print each exception's full resource ID, broken only after a slash", () => {
    const exceptions = [...(fx.result.exceptions?.active ?? []), ...(fx.result.exceptions?.expired ?? [])];
    expect(exceptions.length).toBe(4);
    expect(fx.result.exceptions?.expired.length).toBe(1);
    for (const x of exceptions) {
      const occurrences = words.filter((w) => w.text.startsWith("/subscriptions/")).length;
      expect(occurrences).toBeGreaterThan(0);
      const run = idWords(words, x.resourceId!);
      expect(run, `full ID ${x.resourceId}`).not.toBeNull();
      for (const w of run!.slice(0, -1)) expect(w.text.endsWith("/")).toBe(true);
    }
    expect(squash(pages.join("\n"))).not.toMatch(/\/accoun…/);
  });

  it("prints every muted finding's resource name whole, never broken inside the name", () => {
    const muted = fx.result.findings.filter((f) => f.muted);
    expect(muted.length).toBe(3);
    const names = muted.map((f) => fx.result.resources.find((r) => idKey(r.id) === idKey(f.resourceId))!.name);
    expect(Math.max(...names.map((n) => n.length))).toBeGreaterThanOrEqual(24);
    const section = pages.findIndex((p) => p.includes("Muted findings\n"));
    expect(section).toBeGreaterThan(0);
    const onPage = pdf.words()[section].map((w) => w.text);
    for (const name of names) expect(onPage, name).toContain(name);
  });
});

describe("PDF accessibility and sign-off", () => {
  it("is a tagged PDF in English with headings, paragraphs and tables in its structure", () => {
    expect(pdf.info().fields.Tagged).toBe("yes");
    expect(readFileSync(pdf.path).toString("latin1")).toMatch(/\/Lang \(en\)/);
    const structure = pdf.structure();
    for (const type of ["Document", "H1", "H2", "P", "Table", "TR", "TH", "TD", "TOC"]) expect(structure, type).toMatch(new RegExp(`^\\s*${type}\\b`, "m"));
    // Headings carry their text; a table cell carries a full resource ID.
    expect(structure).toMatch(/H2[^\n]*\n\s*"What could not be read"/);
    expect(squash(structure)).toContain(squash(resourceErrors[0]));
    // The running header and footer are artifacts, not content read on every page.
    expect(structure).not.toContain("Page 2 of");
    expect(structure).not.toContain("Speech Posture · Data-protection compliance report");
  });

  it("has a sign-off block on the cover: prepared by (the user who generated it), reviewed by, date", () => {
    const cover = pages[0];
    expect(cover).toContain("SIGN-OFF");
    // The three labels side by side on one line.
    const coverWords = pdf.words()[0];
    const label = (text: string) => coverWords.find((w) => w.text === text)!;
    const [prepared, reviewed, date] = [label("Prepared"), label("Reviewed"), label("Date")];
    expect(Math.abs(prepared.yMin - reviewed.yMin)).toBeLessThan(1);
    expect(Math.abs(prepared.yMin - date.yMin)).toBeLessThan(1);
    expect(prepared.xMin).toBeLessThan(reviewed.xMin);
    expect(reviewed.xMin).toBeLessThan(date.xMin);
    expect(cover).toContain("casey.auditor@example.com");
    expect(cover).toContain("Name and signature");
    expect(cover).toContain("yyyy-mm-dd");
    // Below everything else on the cover, above the confidentiality note.
    expect(cover.indexOf("SIGN-OFF")).toBeGreaterThan(cover.indexOf("SCOPE OF THE ASSESSMENT"));
    expect(cover.indexOf("SIGN-OFF")).toBeLessThan(cover.indexOf("Confidential"));
  });

  it("fits the sign-off on the subscription cover too, which carries two hashes", async () => {
    const sub = new PdfFile(await renderSubscriptionPdf({ ...input, preparedBy: undefined }, fx.result.subscriptions[0].subscriptionId));
    try {
      const cover = sub.pages()[0];
      expect(cover).toContain("Prepared by");
      expect(cover).toContain("Reviewed by");
      expect(cover).toContain("Confidential");
      // The block does not overlap the text above it: its words sit below the scope paragraph's.
      const coverWords = sub.words()[0];
      const signOff = coverWords.find((w) => w.text === "SIGN-OFF")!;
      const above = coverWords.filter((w) => w.yMax <= signOff.yMin);
      expect(above.some((w) => w.text === "read.")).toBe(true);
    } finally {
      sub.dispose();
    }
  });
});
