/**
 * Writes docs/controls.md from the control catalogue. Run: `npx tsx scripts/gen-controls-doc.ts`
 * (or `npm run docs:controls`) after changing a control, and commit the result.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderControlsDoc } from "@/lib/posture/controls-doc";

const target = fileURLToPath(new URL("../docs/controls.md", import.meta.url));
writeFileSync(target, renderControlsDoc());
console.log(`wrote ${target}`);
