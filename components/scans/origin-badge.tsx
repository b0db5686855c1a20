/**
 * Marks a scan whose posture came from an uploaded file: "Import", and whether it stands for the
 * latest posture or was kept apart to compare. A collection shows nothing.
 */
import type { Scan } from "@/lib/store/scans/scans";

export function originText(scan: Pick<Scan, "origin" | "inPosture">): string | null {
  if (scan.origin !== "import") return null;
  return scan.inPosture ? "Import · replaces the latest collected posture" : "Import · kept apart to compare";
}

export function OriginBadge({ scan }: { scan: Pick<Scan, "origin" | "inPosture"> }) {
  const text = originText(scan);
  if (!text) return null;
  return (
    <span
      className="inline-flex items-center whitespace-nowrap rounded-md bg-violet-50 px-1.5 py-0.5 text-[11px] font-medium text-violet-900 ring-1 ring-inset ring-violet-600/30"
      data-testid="origin-badge"
      data-origin={scan.origin}
      data-in-posture={scan.inPosture ? "true" : "false"}
      title="Evaluated from an uploaded snapshot file, not collected from Azure by this dashboard."
    >
      {text}
    </span>
  );
}
