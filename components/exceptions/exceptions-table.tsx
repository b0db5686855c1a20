/** One table of exceptions (active, expired or removed): scope, owner, reason, expiry, and removal for Operators. */
import Link from "next/link";
import { removeExceptionAction } from "@/app/_actions/exceptions";
import { RemoveExceptionButton } from "@/components/exceptions/remove-exception-button";
import { Table, Td, Th } from "@/components/ui/table";
import { date, dateTime, relative } from "@/lib/views/format";
import { expiryInstant } from "@/lib/posture/exceptions";
import type { ExceptionView } from "@/lib/views/exceptions-data";
import { Can } from "@/components/auth/roles-context";

export function ExceptionsTable({ items, now, state }: { items: ExceptionView[]; now: Date; state: "active" | "expired" | "removed" }) {
  return (
    <Table caption={`${state} exceptions`}>
      <thead>
        <tr>
          <Th>Applies to</Th>
          <Th>Owner</Th>
          <Th>Reason</Th>
          <Th>{state === "removed" ? "Removed" : state === "expired" ? "Expired" : "Expires"}</Th>
          <Th>Created</Th>
          {state === "active" ? (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {items.map((e) => {
          // A date-only expiry lasts through that day: count to the instant it actually ends.
          const ends = expiryInstant(e.expiresAt);
          const endsIso = ends === undefined ? e.expiresAt : new Date(ends).toISOString();
          const soon = state === "active" && ends !== undefined && ends - now.getTime() < 14 * 86_400_000;
          return (
            <tr key={e.id} data-testid="exception-row" data-exception-id={e.id}>
              <Td className="text-xs">
                <ul className="space-y-0.5">
                  {e.scopeWords.map((w) => (
                    <li key={w.label}>
                      <span className="text-slate-500">{w.label}: </span>
                      {w.href ? (
                        <Link href={w.href} className="font-medium text-blue-700 hover:underline">
                          {w.value}
                        </Link>
                      ) : (
                        <span className="font-medium">{w.value}</span>
                      )}
                    </li>
                  ))}
                </ul>
              </Td>
              <Td className="text-sm">{e.owner}</Td>
              <Td className="max-w-[22rem] text-xs text-slate-700">{e.reason}</Td>
              <Td className="whitespace-nowrap text-xs">
                {state === "removed" ? (
                  <>
                    {dateTime(e.removedAt)}
                    <div className="text-slate-500">by {e.removedBy}</div>
                  </>
                ) : (
                  <>
                    <span className={soon ? "font-semibold text-amber-800" : undefined}>{date(e.expiresAt)}</span>
                    <div className="text-slate-500">
                      {relative(endsIso, now)}
                      {soon ? " · expires soon" : ""}
                    </div>
                  </>
                )}
              </Td>
              <Td className="whitespace-nowrap text-xs">
                {date(e.createdAt)}
                <div className="text-slate-500">by {e.createdBy}</div>
              </Td>
              {state === "active" ? (
                <Td className="text-right">
                  <Can role="Posture.Operator">
                    <form action={removeExceptionAction}>
                      <input type="hidden" name="id" value={e.id} />
                      <RemoveExceptionButton label={`for ${e.scopeWords.map((w) => `${w.label} ${w.value}`).join(", ")}, owned by ${e.owner}`} />
                    </form>
                  </Can>
                </Td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
