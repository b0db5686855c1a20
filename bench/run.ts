/**
 * `npm run bench [-- scenario…]`: runs all or the named scenarios, prints each figure beside its
 * target, and writes bench-results.json. Targets are measured here, never asserted in unit tests.
 */
import { writeFileSync } from "node:fs";
import { formatFigures, meets, type Figure } from "./report";
import { collect10k } from "./scenarios/collect-10k";
import { collectEstate } from "./scenarios/collect-estate";
import { evaluate100k, scanCli10k } from "./scenarios/evaluate";
import { export100k } from "./scenarios/export-100k";
import { ingest100k } from "./scenarios/ingest-100k";
import { pdf10k } from "./scenarios/pdf-10k";
import { store10k } from "./scenarios/store-10k";
import { ui10k } from "./scenarios/ui-10k";

type Scenario = () => Promise<Figure[]>;
const SCENARIOS: Record<string, Scenario> = {
  "collect-10k": collect10k,
  "collect-estate": collectEstate,
  "evaluate-100k": evaluate100k,
  "scan-cli-10k": scanCli10k,
  "store-10k": store10k,
  "ui-10k": ui10k,
  "pdf-10k": pdf10k,
  "export-100k": export100k,
  "ingest-100k": ingest100k,
};

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const unknown = wanted.filter((w) => !SCENARIOS[w]);
  if (unknown.length) {
    console.error(`Unknown scenario(s): ${unknown.join(", ")}. Known: ${Object.keys(SCENARIOS).join(", ")}`);
    process.exit(2);
  }
  const names = wanted.length ? wanted : Object.keys(SCENARIOS);
  const figures: Figure[] = [];
  for (const name of names) {
    console.log(`\n▶ ${name}`);
    const got = await SCENARIOS[name]();
    console.log(formatFigures(got));
    figures.push(...got);
  }
  writeFileSync("bench-results.json", `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`\nAll figures\n${formatFigures(figures)}\n\nWrote bench-results.json`);
  const missed = figures.filter((f) => meets(f) === false);
  if (missed.length) {
    console.log(`${missed.length} figure(s) missed their target.`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(2);
});
