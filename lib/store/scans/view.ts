/** A scan as the API shows it: the stored summary with the muted count as of now (exceptions apply at read time). */
import { activeExceptions } from "@/lib/store/exceptions";
import { findingsIndex } from "@/lib/store/findings/scan-index";
import { mutedMask } from "@/lib/store/findings/muted";
import type { Scan } from "./scans";
import type { Store } from "@/lib/store/store";

export async function scanView(store: Store, scan: Scan): Promise<Scan> {
  if (scan.status !== "succeeded" || !scan.summary) return scan;
  const rules = await activeExceptions(store);
  let muted = 0;
  if (rules.length > 0) {
    const mask = mutedMask(await findingsIndex(store, scan.id), rules);
    for (let i = 0; i < mask.length; i++) if (mask[i]) muted++;
  }
  return { ...scan, summary: { ...scan.summary, counts: { ...scan.summary.counts, muted } } };
}
