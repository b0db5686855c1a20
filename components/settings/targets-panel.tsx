"use client";
/**
 * Scan targets (Admins): the tenants a scan covers, each with how it signs in (a reference to a
 * secret, never the secret) and what it scans. Add, edit and remove through server actions; the
 * store validates and audits every change.
 */
import { useActionState, useEffect, useId, useState } from "react";
import { removeTargetAction, saveTargetAction, type TargetFormState } from "@/app/_actions/targets";
import { buttonDanger, buttonPrimary, buttonSecondary, buttonSmall, inputClass } from "@/components/ui/buttons";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { Table, Td, Th } from "@/components/ui/table";
import { CREDENTIAL_KINDS, CREDENTIAL_LABELS, type ScanTarget } from "@/lib/posture/targets";
import { targetFormValues, targetRow } from "@/lib/views/targets-form";

const EMPTY: Record<string, string> = {
  tenantId: "",
  displayName: "",
  credentialKind: "client-secret",
  clientId: "",
  secretEnv: "",
  certificatePath: "",
  tokenFilePath: "",
  scopeKind: "tenant",
  managementGroups: "",
  subscriptions: "",
  exclude: "",
};

const label = "block text-sm font-medium text-slate-800";
const hint = "mt-1 text-xs text-slate-500";

export function TargetsPanel({ targets }: { targets: ScanTarget[] }) {
  const [state, save, saving] = useActionState<TargetFormState, FormData>(saveTargetAction, { ok: true });
  const [removal, remove] = useActionState<TargetFormState, FormData>(removeTargetAction, { ok: true });
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState<Record<string, string>>(EMPTY);
  const errorId = useId();

  // A saved target empties the form (adjusted while rendering, when a new answer arrives); a refused
  // one keeps what was typed (the inputs are controlled and the form is not reset) and focuses its field.
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    if (state.ok && state.done) {
      setForm(EMPTY);
      setEditing(null);
    }
  }
  useEffect(() => {
    if (!state.ok && state.field) document.getElementById(`t-${state.field}`)?.focus();
  }, [state]);

  const set = (name: string) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const invalid = (field: string) => (!state.ok && state.field === field ? true : undefined);
  const field = (name: string, text: string, opts: { hint?: string; mono?: boolean; area?: boolean; placeholder?: string; disabled?: boolean } = {}) => (
    <div>
      <label htmlFor={`t-${name}`} className={label}>
        {text}
      </label>
      {opts.area ? (
        <textarea
          id={`t-${name}`}
          name={name}
          rows={2}
          value={form[name]}
          onChange={set(name)}
          placeholder={opts.placeholder}
          spellCheck={false}
          className={`${inputClass} mt-1 w-full font-mono`}
          aria-invalid={invalid(name)}
          aria-describedby={invalid(name) ? errorId : undefined}
        />
      ) : (
        <input
          id={`t-${name}`}
          name={name}
          value={form[name]}
          onChange={set(name)}
          placeholder={opts.placeholder}
          readOnly={opts.disabled}
          spellCheck={false}
          autoComplete="off"
          className={`${inputClass} mt-1 w-full ${opts.mono ? "font-mono" : ""}`}
          aria-invalid={invalid(name)}
          aria-describedby={invalid(name) ? errorId : undefined}
        />
      )}
      {opts.hint ? <p className={hint}>{opts.hint}</p> : null}
    </div>
  );

  const kind = form.credentialKind;
  const message = (!state.ok && state.error) || (!removal.ok && removal.error) || "";
  const done = (state.ok && state.done) || (removal.ok && removal.done) || "";
  return (
    <div className="space-y-5 px-5 py-4">
      {targets.length ? (
        <div data-testid="targets-table">
          <Table caption="Scan targets">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Tenant</Th>
                <Th>Signs in with</Th>
                <Th>Scans</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {targets.map((t) => {
                const row = targetRow(t);
                return (
                  <tr key={t.tenantId} data-tenant={t.tenantId}>
                    <Td className="font-medium text-slate-900">{t.displayName}</Td>
                    <Td className="font-mono text-xs">{t.tenantId}</Td>
                    <Td className="font-mono text-xs">{row.credential}</Td>
                    <Td>{row.scope}</Td>
                    <Td className="whitespace-nowrap text-right">
                      <button
                        type="button"
                        className={`${buttonSecondary} ${buttonSmall} mr-2`}
                        aria-label={`Edit ${t.displayName}`}
                        onClick={() => {
                          setEditing(t.tenantId);
                          setForm({ ...EMPTY, ...targetFormValues(t) });
                          document.getElementById("t-displayName")?.focus();
                        }}
                      >
                        Edit
                      </button>
                      <form action={remove} className="inline">
                        <input type="hidden" name="tenantId" value={t.tenantId} />
                        <button type="submit" className={`${buttonDanger} ${buttonSmall}`} aria-label={`Remove ${t.displayName}`}>
                          Remove
                        </button>
                      </form>
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        </div>
      ) : (
        <p className="text-sm text-slate-600" data-testid="no-targets">
          No targets: scans read what the server&rsquo;s own credential sees in its one tenant. Add a target per tenant to scan several.
        </p>
      )}

      <form
        action={save}
        onSubmit={submitKeepingValues(save)}
        className="space-y-4 border-t border-slate-200 pt-4"
        aria-label={editing ? "Edit scan target" : "Add scan target"}
      >
        <h3 className="text-sm font-semibold text-slate-900">{editing ? `Edit ${form.displayName || editing}` : "Add a target"}</h3>
        {editing ? <input type="hidden" name="editing" value={editing} /> : null}
        <div className="grid gap-4 md:grid-cols-2">
          {field("displayName", "Name", { placeholder: "Contoso production" })}
          {field("tenantId", "Tenant ID", {
            mono: true,
            placeholder: "00000000-0000-0000-0000-000000000000",
            disabled: !!editing,
            hint: editing ? "A target's tenant cannot change; remove it and add another." : undefined,
          })}
        </div>
        <div className="grid gap-4 md:grid-cols-2">
          <div>
            <label htmlFor="t-credentialKind" className={label}>
              Credential
            </label>
            <select
              id="t-credentialKind"
              name="credentialKind"
              value={kind}
              onChange={set("credentialKind")}
              className={`${inputClass} mt-1 w-full`}
              aria-invalid={invalid("credentialKind")}
            >
              {CREDENTIAL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {CREDENTIAL_LABELS[k]}
                </option>
              ))}
            </select>
            <p className={hint}>Only a reference is stored: the secret stays in the server&rsquo;s environment or a file.</p>
          </div>
          {kind !== "azure-cli"
            ? field("clientId", kind === "managed-identity" ? "Client ID (user-assigned identity; optional)" : "Client ID", { mono: true })
            : null}
        </div>
        {kind === "client-secret" ? field("secretEnv", "Environment variable holding the secret", { mono: true, placeholder: "CONTOSO_CLIENT_SECRET" }) : null}
        {kind === "client-certificate"
          ? field("certificatePath", "Certificate file (PEM, absolute path)", { mono: true, placeholder: "/etc/speech-posture/contoso.pem" })
          : null}
        {kind === "workload-identity" ? field("tokenFilePath", "Federated token file (optional; default $AZURE_FEDERATED_TOKEN_FILE)", { mono: true }) : null}
        <div className="grid gap-4 md:grid-cols-2">
          <div>
            <label htmlFor="t-scopeKind" className={label}>
              Scope
            </label>
            <select
              id="t-scopeKind"
              name="scopeKind"
              value={form.scopeKind}
              onChange={set("scopeKind")}
              className={`${inputClass} mt-1 w-full`}
              aria-invalid={invalid("scopeKind")}
            >
              <option value="tenant">All subscriptions the credential sees</option>
              <option value="managementGroups">Management groups</option>
              <option value="subscriptions">Listed subscriptions</option>
            </select>
          </div>
          {form.scopeKind === "managementGroups"
            ? field("managementGroups", "Management group IDs", {
                area: true,
                placeholder: "mg-corp, mg-online",
                hint: "Separated by commas, spaces or new lines.",
              })
            : form.scopeKind === "subscriptions"
              ? field("subscriptions", "Subscription IDs", { area: true, hint: "Separated by commas, spaces or new lines." })
              : null}
        </div>
        {field("exclude", "Excluded subscriptions (optional)", { area: true, hint: "Never scanned, whatever the scope says." })}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={buttonPrimary} aria-disabled={saving || undefined}>
            {editing ? "Save target" : "Add target"}
          </button>
          {editing ? (
            <button
              type="button"
              className={buttonSecondary}
              onClick={() => {
                setEditing(null);
                setForm(EMPTY);
              }}
            >
              Cancel
            </button>
          ) : null}
          <div role="status" aria-live="polite" className="text-sm text-emerald-800">
            {done}
          </div>
        </div>
        <div role="alert" id={errorId} className="text-sm text-red-700">
          {message}
        </div>
      </form>
    </div>
  );
}
