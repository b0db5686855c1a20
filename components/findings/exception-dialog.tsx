"use client";
/**
 * "Add exception" for one finding: a modal <dialog> (focus is trapped and Escape closes it)
 * asking for the scope, an owner, a reason and an expiry; created by a server action, after
 * which the page's data is refreshed and the finding shows as muted.
 */
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId, useRef, useState } from "react";
import { createExceptionAction, type ExceptionFormState } from "@/app/_actions/exceptions";
import { buttonPrimary, buttonSecondary, buttonSmall, inputClass } from "@/components/ui/buttons";
import { BellOff, Spinner } from "@/components/ui/icons";
import { Can } from "@/components/auth/roles-context";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

export interface ExceptionTarget {
  controlId: string;
  controlTitle: string;
  resourceId: string;
  resourceName: string;
  subscriptionId: string;
  subscriptionName: string;
}

/** Values the dialog starts with (adopting an Azure exemption); the user can still change them. */
export interface ExceptionPrefill {
  owner?: string;
  reason: string;
  /** yyyy-mm-dd; ignored unless after tomorrow's minimum. */
  expires?: string;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Shown only to Operators and Admins (the server refuses it to anyone else). */
export function ExceptionButton(props: Parameters<typeof ExceptionButtonInner>[0]) {
  return (
    <Can role="Posture.Operator">
      <ExceptionButtonInner {...props} />
    </Can>
  );
}

function ExceptionButtonInner({
  target,
  compact = true,
  prefill,
  label = "Add exception",
}: {
  target: ExceptionTarget;
  compact?: boolean;
  prefill?: ExceptionPrefill;
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={trigger}
        type="button"
        onClick={() => setOpen(true)}
        className={`${buttonSecondary} ${compact ? buttonSmall : ""} whitespace-nowrap`}
        aria-haspopup="dialog"
      >
        <BellOff className="h-3.5 w-3.5" />
        {label}
        <span className="sr-only">
          {" "}
          for {target.controlId} on {target.resourceName}
        </span>
      </button>
      {open ? (
        <ExceptionDialog
          target={target}
          prefill={prefill}
          onClose={() => {
            setOpen(false);
            trigger.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}

function ExceptionDialog({ target, prefill, onClose }: { target: ExceptionTarget; prefill?: ExceptionPrefill; onClose: () => void }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const ownerRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const descId = useId();
  const errorId = useId();
  const [state, action, pending] = useActionState<ExceptionFormState, FormData>(createExceptionAction, { ok: false });
  const [defaults] = useState(() => {
    const now = new Date();
    const min = new Date(now.getTime() + 86_400_000);
    const def = new Date(now.getTime() + 90 * 86_400_000);
    const wanted = prefill?.expires?.slice(0, 10);
    return { min: isoDate(min), value: wanted && wanted >= isoDate(min) ? wanted : isoDate(def) };
  });

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    // showModal() focuses the first control (a radio); start where typing begins.
    ownerRef.current?.focus();
  }, []);
  useEffect(() => {
    if (state.ok) {
      dialog.current?.close();
      router.refresh();
    } else if (state.error) {
      // A refusal: the field it is about, else the message itself, gets focus (never the page behind).
      const field = state.field && ["owner", "reason", "expires"].includes(state.field) ? document.getElementById(`${titleId}-${state.field}`) : null;
      (field ?? document.getElementById(errorId))?.focus();
    }
  }, [state, router, titleId, errorId]);

  const invalid = (field: string) => (!state.ok && state.field === field ? true : undefined);
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      aria-describedby={descId}
      onClose={onClose}
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-lg bg-white p-0 text-left text-slate-900 shadow-xl"
    >
      <form action={action} onSubmit={submitKeepingValues(action)}>
        <div className="border-b border-slate-200 px-5 py-4">
          <h2 id={titleId} className="text-base font-semibold">
            Add an exception
          </h2>
          <p id={descId} className="mt-1 text-sm text-slate-600">
            An exception mutes matching findings until it expires. It never changes their status or the score, and it is recorded in the audit log.
          </p>
        </div>
        <div className="space-y-4 px-5 py-4">
          <input type="hidden" name="controlId" value={target.controlId} />
          <input type="hidden" name="resourceId" value={target.resourceId} />
          <input type="hidden" name="subscriptionId" value={target.subscriptionId} />
          <fieldset>
            <legend className="mb-1 text-sm font-medium text-slate-800">Applies to</legend>
            <div className="space-y-1.5 text-sm">
              <label className="flex items-start gap-2">
                <input type="radio" name="scope" value="finding" defaultChecked className="mt-0.5 h-4 w-4 accent-blue-700" />
                <span>
                  This finding: <strong>{target.controlId}</strong> on <strong>{target.resourceName}</strong>
                </span>
              </label>
              <label className="flex items-start gap-2">
                <input type="radio" name="scope" value="control-subscription" className="mt-0.5 h-4 w-4 accent-blue-700" />
                <span>
                  <strong>{target.controlId}</strong> on every resource in <strong>{target.subscriptionName}</strong>
                </span>
              </label>
              <label className="flex items-start gap-2">
                <input type="radio" name="scope" value="resource" className="mt-0.5 h-4 w-4 accent-blue-700" />
                <span>
                  Every control on <strong>{target.resourceName}</strong>
                </span>
              </label>
            </div>
          </fieldset>
          <div>
            <label htmlFor={`${titleId}-owner`} className="mb-1 block text-sm font-medium text-slate-800">
              Owner <span className="font-normal text-slate-500">(who answers for this risk)</span>
            </label>
            <input
              id={`${titleId}-owner`}
              ref={ownerRef}
              name="owner"
              required
              autoComplete="email"
              defaultValue={prefill?.owner}
              placeholder="name@contoso.com"
              className={inputClass}
              aria-invalid={invalid("owner")}
              aria-describedby={invalid("owner") ? errorId : undefined}
            />
          </div>
          <div>
            <label htmlFor={`${titleId}-reason`} className="mb-1 block text-sm font-medium text-slate-800">
              Reason
            </label>
            <textarea
              id={`${titleId}-reason`}
              name="reason"
              required
              rows={3}
              defaultValue={prefill?.reason}
              placeholder="Why this risk is accepted, and what compensates for it"
              className={inputClass}
              aria-invalid={invalid("reason")}
              aria-describedby={invalid("reason") ? errorId : undefined}
            />
          </div>
          <div>
            <label htmlFor={`${titleId}-expires`} className="mb-1 block text-sm font-medium text-slate-800">
              Expires at the end of (UTC)
            </label>
            <input
              id={`${titleId}-expires`}
              name="expires"
              type="date"
              required
              min={defaults.min}
              defaultValue={defaults.value}
              className={`${inputClass} w-48`}
              aria-invalid={invalid("expires")}
              aria-describedby={invalid("expires") ? errorId : undefined}
            />
          </div>
          {!state.ok && state.error ? (
            <p id={errorId} role="alert" tabIndex={-1} className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {state.error}
            </p>
          ) : null}
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3">
          <button type="button" className={buttonSecondary} onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className={buttonPrimary} disabled={pending}>
            {pending ? <Spinner className="h-4 w-4" /> : null}
            {pending ? "Saving…" : "Create exception"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
