/** The PDF's reconciliation section when Azure's verdicts were collected: counts per control × agreement, then every azure_lenient finding with why we differ. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AZURE_MAPPINGS } from "@/lib/posture/azure-verdicts";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import type { ReportInput } from "@/lib/report/model";
import { tenantFixture, type Fixture } from "@/lib/report/testing/fixture";
import { PdfFile, squash } from "@/lib/report/testing/poppler";
import { renderResourcePdf, renderSubscriptionPdf, renderTenantPdf } from "./index";

const CMK_POLICY = "67121cc7-ff39-4ab8-b7e3-95b84dab487d";
const TITLE = "Reconciliation with Azure Policy and Defender for Cloud";
const files: PdfFile[] = [];
afterAll(() => files.forEach((f) => f.dispose()));

let fx: Fixture;
let input: ReportInput;

/** The text from the reconciliation section's heading to the next numbered section. */
function section(bytes: Buffer): string {
  const pdf = new PdfFile(bytes);
  files.push(pdf);
  const outline = pdf.outline();
  const i = outline.findIndex((o) => o.title.endsWith(`. ${TITLE}`));
  expect(i, "reconciliation outline item").toBeGreaterThanOrEqual(0);
  const next = outline.slice(i + 1).find((o) => o.depth <= outline[i].depth);
  const pages = pdf.pages();
  const text = pages.slice(outline[i].page - 1, next ? Math.max(outline[i].page, next.page - 1) : pages.length).join("\n");
  return squash(text.slice(text.indexOf(TITLE)));
}

beforeAll(() => {
  // Azure's CMK built-in calls every account Compliant (its default excludedKinds): each account we fail on CMK-1 is azure_lenient.
  fx = tenantFixture({
    accounts: 12,
    subscriptions: 2,
    mutateSnapshot: (s) => {
      s.resources.filter(isSpeechAccount).forEach((a, n) =>
        s.resources.push({
          id: `${a.id}/providers/Microsoft.PolicyInsights/policyStates/s${n}`,
          type: "microsoft.policyinsights/policystates",
          properties: {
            resourceId: a.id,
            policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${CMK_POLICY}`,
            policyAssignmentId: "/subscriptions/x/providers/Microsoft.Authorization/policyAssignments/cmk",
            complianceState: "Compliant",
            timestamp: "2026-11-27T08:00:00Z",
          },
        }),
      );
      s.coverage.push("azurePolicy");
    },
  });
  input = { result: fx.result, snapshot: fx.snapshot, generatedAt: new Date("2026-11-28T12:00:00Z") };
});

describe("PDF reconciliation with Azure", () => {
  it("counts per control and agreement, and lists every azure_lenient finding with why we differ (tenant)", async () => {
    const lenient = fx.result.findings.filter((f) => f.agreement === "azure_lenient");
    expect(lenient.length).toBeGreaterThan(0);
    expect(lenient.every((f) => f.controlId === "CMK-1")).toBe(true);
    const agree = fx.result.findings.filter((f) => f.controlId === "CMK-1" && f.agreement === "agree").length;
    const notCompared = fx.result.findings.filter((f) => f.controlId === "CMK-1" && f.agreement === "not_compared").length;
    const silentByod = fx.result.findings.filter((f) => f.controlId === "BYOS-1" && f.agreement === "azure_silent").length;
    const text = section(await renderTenantPdf(input));
    expect(text).toContain(squash(`In this scope: ${lenient.length} such findings.`));
    // The CMK-1 row: not collected, not compared, silent, exempt, agree, lenient, stricter.
    expect(text).toContain(squash(`CMK-1 0 ${notCompared} 0 0 ${agree} ${lenient.length} 0`));
    expect(text).toContain(squash(`BYOS-1 0 ${fx.result.findings.filter((f) => f.controlId === "BYOS-1").length - silentByod} ${silentByod} 0 0 0 0`));
    const why = squash(AZURE_MAPPINGS["CMK-1"]!.differences[0]);
    expect(text.split(why.slice(0, 60)).length - 1).toBe(lenient.length);
    for (const f of lenient) expect(text).toContain(squash(fx.result.resources.find((r) => r.id === f.resourceId)!.name));
  });

  it("scopes the section to the subscription and the resource", async () => {
    const f = fx.result.findings.find((x) => x.agreement === "azure_lenient")!;
    const inSub = fx.result.findings.filter((x) => x.agreement === "azure_lenient" && x.subscriptionId === f.subscriptionId).length;
    expect(section(await renderSubscriptionPdf(input, f.subscriptionId))).toContain(squash(`In this scope: ${inSub} such findings.`));
    const one = section(await renderResourcePdf(input, f.resourceId));
    expect(one).toContain(squash("In this scope: 1 such findings."));
    expect(one).toContain(squash(AZURE_MAPPINGS["CMK-1"]!.differences[0]).slice(0, 60));
  });
});
