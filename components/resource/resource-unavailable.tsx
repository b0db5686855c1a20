/** What the resource page says instead when the resource is in no stored scan, or the scan asked for cannot be shown. */
import Link from "next/link";
import { linkClass } from "@/components/ui/buttons";
import { Alert, EmptyState, PageHeader } from "@/components/ui/layout";
import { resourceHref } from "@/lib/views/search-params";

export function ResourceUnavailable({
  resourceId,
  notFound,
  message,
  elsewhere,
}: {
  resourceId: string;
  notFound: boolean;
  message: string;
  elsewhere: boolean;
}) {
  return (
    <>
      <PageHeader title={resourceId.split("/").pop() || "Resource"} breadcrumbs={[{ href: "/", label: "Overview" }]} />
      {notFound ? (
        <EmptyState
          title="This resource is not in any stored scan"
          actions={
            <Link href="/findings" className={linkClass}>
              Search the findings
            </Link>
          }
        >
          <p className="break-all">{resourceId}</p>
          <p className="mt-2">It may be out of scope (not a Speech resource), in a subscription the scans could not read, or removed by retention.</p>
        </EmptyState>
      ) : (
        <Alert tone="error" title="This scan cannot be shown">
          <p>{message}</p>
          {elsewhere ? (
            <p>
              <Link href={resourceHref(resourceId)} className="font-medium underline">
                Show the resource in the latest scan that has it
              </Link>
            </p>
          ) : null}
        </Alert>
      )}
    </>
  );
}
