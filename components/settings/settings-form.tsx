"use client";
/**
 * The settings form: scan schedule (cron, UTC; empty for none, with common choices one click
 * away), what scheduled scans read, how many scans to keep, and the longest an exception may run.
 * Saved by a server action; the
 * store validates and audits the change.
 */
import { useActionState, useEffect, useId, useRef } from "react";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { saveSettingsAction, type SettingsFormState } from "@/app/_actions/settings";
import type { Settings } from "@/lib/store/settings";
import { buttonPrimary, buttonSecondary, buttonSmall, inputClass } from "@/components/ui/buttons";
import { Spinner } from "@/components/ui/icons";

const PRESETS: [string, string][] = [
  ["Weekly, Monday 06:00 UTC", "0 6 * * 1"],
  ["Daily, 06:00 UTC", "0 6 * * *"],
  ["No schedule", ""],
];

const FIELD_IDS: Record<string, string> = { scheduleCron: "s-cron", scheduleSource: "s-source", retentionKeep: "s-keep", exceptionMaxDays: "s-exception-days" };

export function SettingsForm({ settings }: { settings: Settings }) {
  const [state, action, pending] = useActionState<SettingsFormState, FormData>(saveSettingsAction, { ok: true });
  const cron = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const invalid = (field: string) => (!state.ok && state.field === field ? true : undefined);
  // A refused save puts focus on the field it is about.
  useEffect(() => {
    if (!state.ok && state.field) document.getElementById(FIELD_IDS[state.field] ?? "")?.focus();
  }, [state]);
  // React resets a form after its action: a refused one comes back with what the user typed.
  const shown = state.values ?? {
    scheduleCron: settings.scheduleCron ?? "",
    scheduleSource: settings.scheduleSource ?? "",
    retentionKeep: String(settings.retentionKeep),
    exceptionMaxDays: settings.exceptionMaxDays === null ? "" : String(settings.exceptionMaxDays),
  };
  const described = (field: string, hint: string) => (invalid(field) ? `${hint} ${errorId}` : hint);
  return (
    <form action={action} onSubmit={submitKeepingValues(action)} className="space-y-5 px-5 py-4" aria-label="Scan settings">
      <div>
        <label htmlFor="s-cron" className="block text-sm font-medium text-slate-800">
          Schedule <span className="font-normal text-slate-500">(cron, UTC)</span>
        </label>
        <input
          ref={cron}
          id="s-cron"
          name="scheduleCron"
          defaultValue={shown.scheduleCron}
          placeholder="no scheduled scans"
          spellCheck={false}
          autoComplete="off"
          className={`${inputClass} mt-1 w-full max-w-md font-mono`}
          aria-invalid={invalid("scheduleCron")}
          aria-describedby={described("scheduleCron", "s-cron-hint")}
        />
        <p id="s-cron-hint" className="mt-1 text-xs text-slate-500">
          Five fields (minute hour day-of-month month weekday), at least 5 minutes apart. Leave empty for no scheduled scans.
        </p>
        <div className="mt-2 flex flex-wrap gap-2">
          {PRESETS.map(([label, value]) => (
            <button
              key={label}
              type="button"
              className={`${buttonSecondary} ${buttonSmall}`}
              onClick={() => {
                if (cron.current) cron.current.value = value;
                cron.current?.focus();
              }}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      <div>
        <label htmlFor="s-source" className="block text-sm font-medium text-slate-800">
          Scheduled scans read
        </label>
        <select
          id="s-source"
          name="scheduleSource"
          defaultValue={shown.scheduleSource}
          className={`${inputClass} mt-1 max-w-xl`}
          aria-invalid={invalid("scheduleSource")}
        >
          <option value="">The server’s default (live Azure when credentials are set, else the emulator)</option>
          <option value="live">Live Azure</option>
          <option value="emulator">The built-in emulator</option>
        </select>
      </div>
      <div>
        <label htmlFor="s-keep" className="block text-sm font-medium text-slate-800">
          Keep the newest
        </label>
        <div className="mt-1 flex items-center gap-2">
          <input
            id="s-keep"
            name="retentionKeep"
            type="number"
            min={1}
            max={10000}
            required
            defaultValue={shown.retentionKeep}
            className={`${inputClass} !w-28`}
            aria-invalid={invalid("retentionKeep")}
            aria-describedby={described("retentionKeep", "s-keep-hint")}
          />
          <span className="text-sm text-slate-700">scans</span>
        </div>
        <p id="s-keep-hint" className="mt-1 text-xs text-slate-500">
          Older scans and their findings are removed after each scan. From 1 to 10,000.
        </p>
      </div>
      <div>
        <label htmlFor="s-exception-days" className="block text-sm font-medium text-slate-800">
          Longest exception
        </label>
        <div className="mt-1 flex items-center gap-2">
          <input
            id="s-exception-days"
            name="exceptionMaxDays"
            type="number"
            min={1}
            max={3650}
            placeholder="no limit"
            defaultValue={shown.exceptionMaxDays}
            className={`${inputClass} !w-28`}
            aria-invalid={invalid("exceptionMaxDays")}
            aria-describedby={described("exceptionMaxDays", "s-exception-days-hint")}
          />
          <span className="text-sm text-slate-700">days from the day it is set</span>
        </div>
        <p id="s-exception-days-hint" className="mt-1 text-xs text-slate-500">
          New, edited and renewed exceptions may expire at most this many days ahead. From 1 to 3,650; leave empty for no limit.
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        {/* Not disabled while saving: a disabled button would drop keyboard focus to the page. */}
        <button type="submit" className={buttonPrimary} aria-disabled={pending || undefined}>
          {pending ? <Spinner className="h-4 w-4" /> : null}
          Save settings
        </button>
        <div role="status" aria-live="polite" className="text-sm text-emerald-800">
          {state.ok && state.savedAt ? "Saved. The change is in the audit trail." : ""}
        </div>
      </div>
      <div role="alert" id={errorId} className="text-sm text-red-700">
        {!state.ok && state.error ? state.error : ""}
      </div>
    </form>
  );
}
