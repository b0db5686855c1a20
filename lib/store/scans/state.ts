/** Guards for reads that only make sense on a finished, successful scan. */
import { NotFoundError, StateConflictError } from "@/lib/store/errors";
import { getScan, type Scan } from "./scans";
import type { Store } from "@/lib/store/store";

/** 404 for an unknown scan, 409 for one that did not (yet) succeed: its findings are not visible. */
export async function requireSucceededScan(store: Store, id: string): Promise<Scan> {
  const scan = await getScan(store, id);
  if (!scan) throw new NotFoundError("Scan", id);
  if (scan.status !== "succeeded") throw new StateConflictError(`Scan ${id} is ${scan.status}; only a succeeded scan has findings`);
  return scan;
}
