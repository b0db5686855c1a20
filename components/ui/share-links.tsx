"use client";
/**
 * Links to share a view: one pinned to the scan on screen (`scan=<id>`, so the recipient sees the
 * same figures however many scans run meanwhile) and one that always opens the latest scan.
 * Every other part of the URL (filters, page) is kept as it is when the button is pressed.
 */
import { CopyButton } from "./copy-button";

/** The current URL with `scan` set to `scanId`, or removed when `scanId` is undefined. */
function currentUrl(scanId: string | undefined): string {
  const url = new URL(window.location.href);
  if (scanId) url.searchParams.set("scan", scanId);
  else url.searchParams.delete("scan");
  return url.toString();
}

export function ShareLinks({ scanId }: { scanId: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <CopyButton text={() => currentUrl(scanId)} label="Copy link to this scan" testId="copy-pinned-link" />
      <CopyButton text={() => currentUrl(undefined)} label="Copy link to the latest scan" testId="copy-latest-link" />
    </div>
  );
}
