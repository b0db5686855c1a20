/**
 * Renders docs/controls.md from the control objects, so the documentation cannot drift from the
 * rules: `npx tsx scripts/gen-controls-doc.ts` writes it, and a test checks it is current.
 */
import { AZURE_MAPPINGS } from "./azure-verdicts";
import { CATALOG, CATALOG_VERSION, FAMILY_TITLES } from "./controls";
import type { Control } from "./types";

export function renderControlsDoc(): string {
  const out: string[] = [
    "# Speech Posture controls",
    "",
    `Catalogue version ${CATALOG_VERSION}. Generated from \`lib/posture/controls\` by \`npx tsx scripts/gen-controls-doc.ts\`; do not edit by hand.`,
    "",
    "Each control yields one finding per in-scope Speech resource (`Microsoft.CognitiveServices/accounts` of kind " +
      "SpeechServices, AIServices or CognitiveServices) with status pass, fail, unknown (with a reason) or not_applicable. " +
      "Scores weigh high 3, medium 2, low 1 over passed and failed findings only.",
    "",
    "| ID | Severity | Title |",
    "|---|---|---|",
    ...CATALOG.map((c) => `| [${c.id}](#${anchor(c)}) | ${c.severity} | ${escapeCell(c.title)} |`),
  ];
  let family: Control["family"] | undefined;
  for (const control of CATALOG) {
    if (control.family !== family) {
      family = control.family;
      out.push("", `## ${FAMILY_TITLES[family]}`);
    }
    out.push("", ...renderControl(control));
  }
  return `${out.join("\n")}\n`;
}

function renderControl(c: Control): string[] {
  const lines = [
    `<a id="${anchor(c)}"></a>`,
    "",
    `### ${c.id}: ${c.title}`,
    "",
    `**Severity:** ${c.severity}`,
    "",
    `**Rule.** ${c.rule}`,
    "",
    `**Why it matters.** ${c.rationale}`,
    "",
    "**Remediation (portal).**",
    "",
    ...c.remediation.portal.map((step, i) => `${i + 1}. ${step}`),
    "",
    "**Azure CLI.**",
    "",
    "```bash",
    c.remediation.cli,
    "```",
    "",
    "**Bicep.**",
    "",
    "```bicep",
    c.remediation.bicep,
    "```",
  ];
  const refs = references(c);
  if (refs.length > 0) lines.push("", "**References.**", "", ...refs.map((r) => `- ${r}`));
  lines.push("", ...azureMapping(c));
  return lines;
}

const SUBJECT = { account: "the Speech resource", storage: "each linked storage account", vault: "each key vault in use" } as const;

/** Which Azure built-ins and Defender assessments judge the same thing, and why their verdict can differ (CONTROLS.md). */
function azureMapping(c: Control): string[] {
  const m = AZURE_MAPPINGS[c.id];
  if (!m) return ["**Azure's own verdict.** No built-in policy or Defender recommendation judges this: Azure is silent on it."];
  return [
    "**Azure's own verdict.**",
    "",
    ...m.policies.map((p) => `- Azure Policy built-in: ${p.name} (\`${p.definitionId}\`), judging ${SUBJECT[p.subject]}`),
    ...m.defender.map((d) => `- Defender for Cloud assessment: ${d.name} (\`${d.key}\`)`),
    "",
    "**Why Azure's verdict can differ.**",
    "",
    ...m.differences.map((d) => `- ${d}`),
  ];
}

function references(c: Control): string[] {
  const r = c.references;
  const out: string[] = [];
  if (r.azurePolicy) out.push(`Azure Policy: ${r.azurePolicy.name} (\`${r.azurePolicy.id}\`)`);
  if (r.mcsb?.length) out.push(`Microsoft cloud security benchmark: ${r.mcsb.join(", ")}`);
  if (r.nist?.length) out.push(`NIST SP 800-53 Rev. 5: ${r.nist.join(", ")}`);
  if (r.defender) out.push(`Defender for Cloud recommendation: ${r.defender}`);
  return out;
}

function anchor(c: Control): string {
  return c.id.toLowerCase();
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
