"use client";
/** The alerts page's forms: alert settings, a new destination, a new rule, and the per-row buttons. */
import { useState } from "react";
import {
  createDestinationAction,
  createRuleAction,
  removeDestinationAction,
  removeRuleAction,
  saveAlertSettingsAction,
  sendTestAction,
} from "@/app/_actions/alerts";
import { buttonDanger, buttonPrimary, buttonSecondary, buttonSmall, inputClass } from "@/components/ui/buttons";
import { Spinner } from "@/components/ui/icons";
import { ActionForm } from "./action-form";

const label = "block text-sm font-medium text-slate-800";
const hint = "mt-1 text-xs text-slate-500";

function Submit({ pending, children }: { pending: boolean; children: string }) {
  // Not disabled while saving: a disabled button would drop keyboard focus to the page.
  return (
    <button type="submit" className={buttonPrimary} aria-disabled={pending || undefined}>
      {pending ? <Spinner className="h-4 w-4" /> : null}
      {children}
    </button>
  );
}

export function AlertSettingsForm({ publicBaseUrl, alertPrivateNetworks }: { publicBaseUrl: string | null; alertPrivateNetworks: string[] }) {
  return (
    <ActionForm action={saveAlertSettingsAction} label="Alert settings" className="space-y-4">
      {(state, pending) => (
        <>
          <div>
            <label htmlFor="a-base" className={label}>
              Public address of this dashboard
            </label>
            <input
              id="a-base"
              name="publicBaseUrl"
              defaultValue={publicBaseUrl ?? ""}
              placeholder="https://posture.example.com"
              className={`${inputClass} mt-1 w-full`}
              aria-invalid={state.field === "publicBaseUrl" || undefined}
            />
            <p className={hint}>Messages link to the findings under this address; without it they name the page instead.</p>
          </div>
          <div>
            <label htmlFor="a-nets" className={label}>
              Allowed private networks
            </label>
            <textarea
              id="a-nets"
              name="alertPrivateNetworks"
              rows={2}
              defaultValue={alertPrivateNetworks.join("\n")}
              placeholder="none"
              spellCheck={false}
              className={`${inputClass} mt-1 w-full font-mono`}
              aria-invalid={state.field === "alertPrivateNetworks" || undefined}
            />
            <p className={hint}>
              Alerts go only to public https:// addresses. List a private range (CIDR, one a line, e.g. 10.20.0.0/16) only for a receiver inside your network.
              Cloud metadata addresses stay refused.
            </p>
          </div>
          <Submit pending={pending}>Save alert settings</Submit>
        </>
      )}
    </ActionForm>
  );
}

export function DestinationForm() {
  const [kind, setKind] = useState("webhook");
  return (
    <ActionForm action={createDestinationAction} label="New destination" resetOnSuccess className="space-y-4">
      {(state, pending) => (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor="d-name" className={label}>
                Name
              </label>
              <input
                id="d-name"
                name="name"
                required
                maxLength={100}
                className={`${inputClass} mt-1 w-full`}
                aria-invalid={state.field === "name" || undefined}
              />
            </div>
            <div>
              <label htmlFor="d-kind" className={label}>
                Kind
              </label>
              <select id="d-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value)} className={`${inputClass} mt-1 w-full`}>
                <option value="webhook">Webhook (JSON, signed)</option>
                <option value="teams">Microsoft Teams (Workflows)</option>
                <option value="slack">Slack (incoming webhook)</option>
              </select>
            </div>
          </div>
          <div>
            <label htmlFor="d-url" className={label}>
              URL
            </label>
            <input
              id="d-url"
              name="url"
              type="password"
              required
              autoComplete="off"
              spellCheck={false}
              placeholder="https://…"
              className={`${inputClass} mt-1 w-full font-mono`}
              aria-invalid={state.field === "url" || undefined}
            />
            <p className={hint}>Kept secret: it is shown only as its host after saving.</p>
          </div>
          {kind === "webhook" ? (
            <div>
              <label htmlFor="d-secret" className={label}>
                Signing secret
              </label>
              <input
                id="d-secret"
                name="hmacSecret"
                type="password"
                autoComplete="off"
                minLength={16}
                className={`${inputClass} mt-1 w-full font-mono`}
                aria-invalid={state.field === "hmacSecret" || undefined}
              />
              <p className={hint}>
                At least 16 characters. Each message carries X-Speech-Posture-Signature: sha256=HMAC(secret, timestamp + &quot;.&quot; + body).
              </p>
            </div>
          ) : null}
          <div>
            <label htmlFor="d-ca" className={label}>
              CA certificate <span className="font-normal text-slate-500">(optional, PEM)</span>
            </label>
            <textarea
              id="d-ca"
              name="caCertificate"
              rows={2}
              spellCheck={false}
              className={`${inputClass} mt-1 w-full font-mono text-xs`}
              aria-invalid={state.field === "caCertificate" || undefined}
            />
            <p className={hint}>Only for a private receiver whose certificate your own CA signed; it is trusted for this destination alone.</p>
          </div>
          <Submit pending={pending}>Add destination</Submit>
        </>
      )}
    </ActionForm>
  );
}

export function RuleForm({ destinations }: { destinations: { id: string; name: string }[] }) {
  const [kind, setKind] = useState("new_failure");
  return (
    <ActionForm action={createRuleAction} label="New rule" resetOnSuccess className="space-y-4">
      {(state, pending) => (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor="r-name" className={label}>
                Name
              </label>
              <input
                id="r-name"
                name="name"
                required
                maxLength={100}
                className={`${inputClass} mt-1 w-full`}
                aria-invalid={state.field === "name" || undefined}
              />
            </div>
            <div>
              <label htmlFor="r-kind" className={label}>
                When
              </label>
              <select id="r-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value)} className={`${inputClass} mt-1 w-full`}>
                <option value="new_failure">A new unmuted failure</option>
                <option value="score_drop">A score drops</option>
                <option value="exception_expiring">An exception expires soon</option>
                <option value="scan_degraded">A scan fails or reads less</option>
              </select>
            </div>
          </div>
          {kind === "new_failure" ? (
            <div>
              <label htmlFor="r-sev" className={label}>
                At or above severity
              </label>
              <select id="r-sev" name="minSeverity" defaultValue="high" className={`${inputClass} mt-1`}>
                <option value="high">High</option>
                <option value="medium">Medium</option>
                <option value="low">Low</option>
              </select>
            </div>
          ) : null}
          {kind === "score_drop" ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <div>
                <label htmlFor="r-scope" className={label}>
                  Score of
                </label>
                <select id="r-scope" name="scope" defaultValue="tenant" className={`${inputClass} mt-1`}>
                  <option value="tenant">The tenant</option>
                  <option value="subscription">Any subscription</option>
                </select>
              </div>
              <div>
                <label htmlFor="r-points" className={label}>
                  Drop of at least (points)
                </label>
                <input
                  id="r-points"
                  name="points"
                  type="number"
                  min={1}
                  max={100}
                  defaultValue={10}
                  className={`${inputClass} mt-1 !w-28`}
                  aria-invalid={state.field === "points" || undefined}
                />
              </div>
            </div>
          ) : null}
          {kind === "exception_expiring" ? (
            <div>
              <label htmlFor="r-days" className={label}>
                Within (days)
              </label>
              <input
                id="r-days"
                name="withinDays"
                type="number"
                min={1}
                max={365}
                defaultValue={7}
                className={`${inputClass} mt-1 !w-28`}
                aria-invalid={state.field === "withinDays" || undefined}
              />
            </div>
          ) : null}
          <fieldset aria-invalid={state.field === "destinationIds" || undefined}>
            <legend className={label}>Send to</legend>
            {destinations.length ? (
              <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                {destinations.map((d) => (
                  <label key={d.id} className="inline-flex items-center gap-2 text-sm text-slate-800">
                    <input type="checkbox" name="destinationIds" value={d.id} />
                    {d.name}
                  </label>
                ))}
              </div>
            ) : (
              <p className={hint}>Add a destination first.</p>
            )}
          </fieldset>
          <Submit pending={pending}>Add rule</Submit>
        </>
      )}
    </ActionForm>
  );
}

export function DestinationActions({ id, name }: { id: string; name: string }) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      <ActionForm action={sendTestAction} label={`Send a test message to ${name}`}>
        {(_s, pending) => (
          <>
            <input type="hidden" name="id" value={id} />
            <button type="submit" className={`${buttonSecondary} ${buttonSmall}`} aria-disabled={pending || undefined}>
              {pending ? <Spinner className="h-3 w-3" /> : null}
              Send test
            </button>
          </>
        )}
      </ActionForm>
      <ActionForm action={removeDestinationAction} label={`Remove destination ${name}`}>
        {() => (
          <>
            <input type="hidden" name="id" value={id} />
            <button type="submit" className={`${buttonDanger} ${buttonSmall}`}>
              Remove
            </button>
          </>
        )}
      </ActionForm>
    </div>
  );
}

export function RemoveRuleButton({ id, name }: { id: string; name: string }) {
  return (
    <ActionForm action={removeRuleAction} label={`Remove rule ${name}`}>
      {() => (
        <>
          <input type="hidden" name="id" value={id} />
          <button type="submit" className={`${buttonDanger} ${buttonSmall}`}>
            Remove
          </button>
        </>
      )}
    </ActionForm>
  );
}
