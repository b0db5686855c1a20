"use client";
/**
 * A button that opens a modal <dialog> (focus trapped, Escape closes it) with an exception form:
 * any of tag, control, owner, reason and expiry, plus hidden values, sent to a server action. Used
 * to edit or renew an exception, to create one by tag, and to create them for a filtered view.
 * A refusal keeps what was typed and puts focus on the field it is about.
 */
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { ExceptionFormState } from "@/app/_actions/exceptions";
import { buttonPrimary, buttonSecondary, buttonSmall, inputClass } from "@/components/ui/buttons";
import { Spinner } from "@/components/ui/icons";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

export type ExceptionField = "tag" | "tenantId" | "controlId" | "owner" | "reason" | "expires";

export interface ExceptionFormDialogProps {
  /** The trigger's text, and what a screen reader hears after it. */
  label: string;
  labelDetail?: string;
  title: string;
  description: ReactNode;
  submitLabel: string;
  action: (state: ExceptionFormState, data: FormData) => Promise<ExceptionFormState>;
  fields: readonly ExceptionField[];
  hidden?: Record<string, string>;
  defaults?: { owner?: string; reason?: string; expires?: string };
  /** yyyy-mm-dd: the Admin's latest allowed expiry, if any. */
  maxExpiry?: string;
  controls?: { id: string; title: string }[];
  /** The choices of the "tenantId" field. */
  tenants?: { id: string; title: string }[];
  compact?: boolean;
  testId?: string;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function ExceptionFormDialog(props: ExceptionFormDialogProps) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={trigger}
        type="button"
        onClick={() => setOpen(true)}
        className={`${buttonSecondary} ${props.compact ? buttonSmall : ""} whitespace-nowrap`}
        aria-haspopup="dialog"
        data-testid={props.testId}
      >
        {props.label}
        {props.labelDetail ? <span className="sr-only"> {props.labelDetail}</span> : null}
      </button>
      {open ? (
        <FormDialog
          {...props}
          onClose={() => {
            setOpen(false);
            trigger.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}

function FormDialog({
  title,
  description,
  submitLabel,
  action: serverAction,
  fields,
  hidden = {},
  defaults = {},
  maxExpiry,
  controls = [],
  tenants = [],
  onClose,
}: ExceptionFormDialogProps & { onClose: () => void }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  const errorId = useId();
  const [state, action, pending] = useActionState<ExceptionFormState, FormData>(serverAction, { ok: false });
  const [dates] = useState(() => {
    const now = new Date();
    const min = isoDate(new Date(now.getTime() + 86_400_000));
    let value = defaults.expires && defaults.expires >= min ? defaults.expires : isoDate(new Date(now.getTime() + 90 * 86_400_000));
    if (maxExpiry && value > maxExpiry) value = maxExpiry;
    return { min, value };
  });

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  useEffect(() => {
    if (state.ok) {
      dialog.current?.close();
      router.refresh();
    } else if (state.error) {
      const field = state.field ? document.getElementById(`${titleId}-${state.field}`) : null;
      (field ?? document.getElementById(errorId))?.focus();
    }
  }, [state, router, titleId, errorId]);

  const invalid = (field: string) => (!state.ok && state.field === field ? true : undefined);
  const describedBy = (field: string) => (invalid(field) ? errorId : undefined);
  const id = (field: string) => `${titleId}-${field}`;
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
            {title}
          </h2>
          <div id={descId} className="mt-1 text-sm text-slate-600">
            {description}
          </div>
        </div>
        <div className="space-y-4 px-5 py-4">
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {fields.includes("tag") ? (
            <div className="grid gap-3 sm:grid-cols-2">
              <div>
                <label htmlFor={id("tagName")} className="mb-1 block text-sm font-medium text-slate-800">
                  Tag name
                </label>
                <input
                  id={id("tagName")}
                  name="tagName"
                  required
                  className={inputClass}
                  aria-invalid={invalid("tagName")}
                  aria-describedby={describedBy("tagName")}
                />
              </div>
              <div>
                <label htmlFor={id("tagValue")} className="mb-1 block text-sm font-medium text-slate-800">
                  Tag value <span className="font-normal text-slate-500">(exact)</span>
                </label>
                <input
                  id={id("tagValue")}
                  name="tagValue"
                  className={inputClass}
                  aria-invalid={invalid("tagValue")}
                  aria-describedby={describedBy("tagValue")}
                />
              </div>
            </div>
          ) : null}
          {fields.includes("tenantId") ? (
            <div>
              <label htmlFor={id("tenantId")} className="mb-1 block text-sm font-medium text-slate-800">
                Tenant
              </label>
              <select
                id={id("tenantId")}
                name="tenantId"
                required
                defaultValue=""
                className={`${inputClass} pr-8`}
                aria-invalid={invalid("tenantId")}
                aria-describedby={describedBy("tenantId")}
              >
                <option value="" disabled>
                  Choose a tenant
                </option>
                {tenants.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.title}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {fields.includes("controlId") ? (
            <div>
              <label htmlFor={id("controlId")} className="mb-1 block text-sm font-medium text-slate-800">
                Control
              </label>
              <select id={id("controlId")} name="controlId" defaultValue="" className={`${inputClass} pr-8`}>
                <option value="">Every control</option>
                {controls.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.id} · {c.title}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {fields.includes("owner") ? (
            <div>
              <label htmlFor={id("owner")} className="mb-1 block text-sm font-medium text-slate-800">
                Owner <span className="font-normal text-slate-500">(who answers for this risk)</span>
              </label>
              <input
                id={id("owner")}
                name="owner"
                required
                autoComplete="email"
                defaultValue={defaults.owner}
                placeholder="name@contoso.com"
                className={inputClass}
                aria-invalid={invalid("owner")}
                aria-describedby={describedBy("owner")}
              />
            </div>
          ) : null}
          {fields.includes("reason") ? (
            <div>
              <label htmlFor={id("reason")} className="mb-1 block text-sm font-medium text-slate-800">
                Reason
              </label>
              <textarea
                id={id("reason")}
                name="reason"
                required
                rows={3}
                defaultValue={defaults.reason}
                placeholder="Why this risk is accepted, and what compensates for it"
                className={inputClass}
                aria-invalid={invalid("reason")}
                aria-describedby={describedBy("reason")}
              />
            </div>
          ) : null}
          {fields.includes("expires") ? (
            <div>
              <label htmlFor={id("expires")} className="mb-1 block text-sm font-medium text-slate-800">
                Expires at the end of (UTC)
              </label>
              <input
                id={id("expires")}
                name="expires"
                type="date"
                required
                min={dates.min}
                defaultValue={dates.value}
                className={`${inputClass} w-48`}
                aria-invalid={invalid("expires")}
                aria-describedby={describedBy("expires") ?? (maxExpiry ? `${id("expires")}-max` : undefined)}
              />
              {maxExpiry ? (
                <p id={`${id("expires")}-max`} className="mt-1 text-xs text-slate-600">
                  An Admin allows exceptions through {maxExpiry} at the latest.
                </p>
              ) : null}
            </div>
          ) : null}
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
            {pending ? "Saving…" : submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
