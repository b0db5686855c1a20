/** What the subscription report says instead when there is no scan yet, or the subscription or scan cannot be shown. */
import Link from "next/link";
import { linkClass } from "@/components/ui/buttons";
import { Alert, EmptyState, PageHeader } from "@/components/ui/layout";

export function ReportUnavailable({ reason, message }: { reason: "no-scan" | "not-found" | "bad-scan"; message: string }) {
  return (
    <>
      <PageHeader title="Subscription report" breadcrumbs={[{ href: "/", label: "Overview" }]} />
      {reason === "no-scan" ? (
        <EmptyState
          title="No scan yet"
          actions={
            <Link href="/" className={linkClass}>
              Run a scan from the overview
            </Link>
          }
        >
          A subscription report needs a finished scan.
        </EmptyState>
      ) : (
        <Alert tone="error" title={reason === "not-found" ? "Subscription not in this scan" : "This scan cannot be shown"}>
          <p>{message}</p>
        </Alert>
      )}
    </>
  );
}
