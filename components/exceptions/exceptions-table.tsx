/** One table of exceptions (active, expired or removed): scope, owner, reason, expiry, last change; edit, renew and removal for Operators. */
import Link from "next/link";
import { editExceptionAction, removeExceptionAction } from "@/app/_actions/exceptions";
import { ExceptionFormDialog } from "@/components/exceptions/exception-form-dialog";
import { RemoveExceptionButton } from "@/components/exceptions/remove-exception-button";
import { Table, Td, Th } from "@/components/ui/table";
import { date, dateTime, relative } from "@/lib/views/format";
import { expiryInstant } from "@/lib/posture/exceptions";
import type { ExceptionView } from "@/lib/views/exceptions-data";
import { Can } from "@/components/auth/roles-context";

export function ExceptionsTable({
  items,
  now,
  state,
  maxExpiry,
}: {
  items: ExceptionView[];
  now: Date;
  state: "active" | "expired" | "removed";
  maxExpiry?: string;
}) {
  return (
    <Table caption={`${state} exceptions`}>
      <thead>
        <tr>
          <Th>Applies to</Th>
          <Th>Owner</Th>
          <Th>Reason</Th>
          <Th>{state === "removed" ? "Removed" : state === "expired" ? "Expired" : "Expires"}</Th>
          <Th>Created</Th>
          {state !== "removed" ? (
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
                {e.updatedAt ? (
                  <div className="text-slate-500" data-testid="exception-updated">
                    changed {date(e.updatedAt)} by {e.updatedBy}
                  </div>
                ) : null}
              </Td>
              {state !== "removed" ? (
                <Td className="text-right">
                  <Can role="Posture.Operator">
                    <div className="flex flex-wrap justify-end gap-2">
                      <ExceptionFormDialog
                        label="Renew"
                        labelDetail={`the exception owned by ${e.owner}`}
                        title="Renew the exception"
                        description={
                          <>
                            Currently {state === "expired" ? "expired on" : "expires"} {date(e.expiresAt)}. The new expiry is recorded in the audit log (old →
                            new).
                          </>
                        }
                        submitLabel="Renew"
                        action={editExceptionAction}
                        fields={["expires"]}
                        hidden={{ id: e.id }}
                        maxExpiry={maxExpiry}
                        compact
                        testId="renew-exception"
                      />
                      <ExceptionFormDialog
                        label="Edit"
                        labelDetail={`the exception owned by ${e.owner}`}
                        title="Edit the exception"
                        description="Change its owner, reason or expiry; its scope stays. Each change is recorded in the audit log (old → new)."
                        submitLabel="Save changes"
                        action={editExceptionAction}
                        fields={["owner", "reason", "expires"]}
                        hidden={{ id: e.id }}
                        defaults={{ owner: e.owner, reason: e.reason, expires: e.expiresAt.slice(0, 10) }}
                        maxExpiry={maxExpiry}
                        compact
                        testId="edit-exception"
                      />
                      {state === "active" ? (
                        <form action={removeExceptionAction}>
                          <input type="hidden" name="id" value={e.id} />
                          <RemoveExceptionButton label={`for ${e.scopeWords.map((w) => `${w.label} ${w.value}`).join(", ")}, owned by ${e.owner}`} />
                        </form>
                      ) : null}
                    </div>
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
