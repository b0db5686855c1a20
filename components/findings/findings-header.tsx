/** The findings explorer's heading: how many findings match, of which scan, and a way back to the latest. */
import Link from "next/link";
import { ShareLinks } from "@/components/ui/share-links";
import { linkClass } from "@/components/ui/buttons";
import { PageHeader } from "@/components/ui/layout";
import { count, dateTime } from "@/lib/views/format";
import { SOURCE_LABEL } from "@/lib/views/labels";
import type { FindingsData } from "@/lib/views/findings-data";

export function FindingsHeader({ data, scanId }: { data: FindingsData; scanId?: string }) {
  return (
    <PageHeader
      title="Findings"
      description={
        data.scan && data.page ? (
          <>
            <span data-testid="findings-total">{count(data.page.total)}</span> of {count(scanTotal(data.scan))} findings match · scan of{" "}
            {dateTime(data.scan.finishedAt)} ({SOURCE_LABEL[data.scan.source] ?? data.scan.source})
            {scanId ? (
              <>
                {" "}
                ·{" "}
                <Link href="/findings" className={linkClass}>
                  show the latest scan
                </Link>
              </>
            ) : null}
          </>
        ) : (
          "Every resource × control verdict of a scan"
        )
      }
      actions={data.page && data.scan ? <ShareLinks scanId={data.scan.id} /> : undefined}
    />
  );
}

function scanTotal(scan: { summary: { counts: { pass: number; fail: number; unknown: number; not_applicable: number } } | null }): number {
  const c = scan.summary?.counts;
  return c ? c.pass + c.fail + c.unknown + c.not_applicable : 0;
}
