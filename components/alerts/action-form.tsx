"use client";
/**
 * A form of the alerts page: submits to its server action without React's reset (a refused form
 * keeps what was typed), says what happened in a status line, puts a refused field in focus, and
 * clears itself after a successful add.
 */
import { useActionState, useEffect, useId, useRef, type ReactNode } from "react";
import type { AlertFormState } from "@/app/_actions/alerts";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

export function ActionForm({
  action,
  label,
  children,
  resetOnSuccess = false,
  className = "",
}: {
  action: (prev: AlertFormState, fd: FormData) => Promise<AlertFormState>;
  label: string;
  children: (state: AlertFormState, pending: boolean) => ReactNode;
  resetOnSuccess?: boolean;
  className?: string;
}) {
  const [state, run, pending] = useActionState<AlertFormState, FormData>(action, { ok: true });
  const form = useRef<HTMLFormElement>(null);
  const errorId = useId();
  useEffect(() => {
    if (!state.ok && state.field) (form.current?.elements.namedItem(state.field) as HTMLElement | null)?.focus?.();
    if (state.ok && state.message && resetOnSuccess) form.current?.reset();
  }, [state, resetOnSuccess]);
  return (
    <form
      ref={form}
      action={run}
      onSubmit={submitKeepingValues(run)}
      aria-label={label}
      aria-describedby={!state.ok ? errorId : undefined}
      className={className}
    >
      {children(state, pending)}
      <div role="status" aria-live="polite" className="text-sm text-emerald-800">
        {state.ok && state.message ? state.message : ""}
      </div>
      <div role="alert" id={errorId} className="text-sm text-red-700">
        {!state.ok && state.error ? state.error : ""}
      </div>
    </form>
  );
}
