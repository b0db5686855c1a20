import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOG } from "./controls";
import { renderControlsDoc } from "./controls-doc";

describe("docs/controls.md", () => {
  it("is what scripts/gen-controls-doc.ts generates now (run it and commit after changing a control)", () => {
    const committed = readFileSync(new URL("../../docs/controls.md", import.meta.url), "utf8");
    expect(committed).toBe(renderControlsDoc());
  });

  it("documents every control with its severity, rule, remediation and policy reference", () => {
    const doc = renderControlsDoc();
    for (const control of CATALOG) {
      expect(doc).toContain(`### ${control.id}: ${control.title}`);
      expect(doc).toContain(control.rule);
      expect(doc).toContain(control.remediation.cli);
      if (control.references.azurePolicy) expect(doc).toContain(control.references.azurePolicy.id);
    }
  });
});
