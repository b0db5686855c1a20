import Link from "next/link";
import { EmptyState } from "@/components/ui/layout";
import { linkClass } from "@/components/ui/buttons";

export default function NotFound() {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Page not found</h1>
      <EmptyState
        title="There is nothing at this address"
        actions={
          <Link href="/" className={linkClass}>
            Go to the overview
          </Link>
        }
      >
        The link may be mistyped, or point at a scan that retention has removed.
      </EmptyState>
    </div>
  );
}
