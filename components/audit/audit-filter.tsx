/** The audit trail's filter: one action, applied as soon as it is chosen (a button without script). */
import { AutoSubmitForm } from "@/components/findings/auto-submit-form";
import { buttonSecondary, inputClass } from "@/components/ui/buttons";
import { AUDIT_ACTIONS } from "@/lib/views/audit-data";

export function AuditFilter({ action }: { action?: string }) {
  return (
    <AutoSubmitForm action="/audit" label="Filter the audit trail">
      <div className="flex flex-wrap items-end gap-3 px-4 py-3">
        <div>
          <label htmlFor="audit-action" className="mb-1 block text-xs font-medium text-slate-700">
            Action
          </label>
          <select id="audit-action" name="action" defaultValue={action ?? ""} className={inputClass}>
            <option value="">All actions</option>
            {Object.entries(AUDIT_ACTIONS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <noscript>
          <button type="submit" className={buttonSecondary}>
            Apply
          </button>
        </noscript>
      </div>
    </AutoSubmitForm>
  );
}
