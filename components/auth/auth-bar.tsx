/**
 * The strip above every page that says who is signed in: "Demo mode — no sign-in" without
 * sign-in, or the user's name, role and a Sign out link.
 */
import type { Principal } from "@/lib/auth/principal";
import { ROLE_LABEL, highestRole } from "@/lib/auth/roles";

export function AuthBar({ principal }: { principal: Principal | null }) {
  if (principal?.mode === "none") {
    return (
      <div role="status" data-testid="demo-banner" className="bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-950 print:hidden">
        <strong>Demo mode — no sign-in.</strong> Everyone who can reach this server on this machine has full access. Set up Entra ID sign-in before sharing it
        (docs/security.md).
      </div>
    );
  }
  if (!principal?.session) return null;
  const role = highestRole(principal.roles);
  const who = principal.session.name ?? principal.session.upn ?? "Signed in";
  return (
    <div data-testid="auth-bar" className="flex items-center justify-end gap-3 bg-slate-800 px-4 py-1.5 text-xs text-slate-200 print:hidden">
      <span>
        Signed in as{" "}
        <span className="font-medium text-white" data-testid="signed-in-user" title={principal.session.upn ?? undefined}>
          {who}
        </span>
        {role ? <span data-testid="signed-in-role"> · {ROLE_LABEL[role]}</span> : null}
      </span>
      <a
        href="/signout"
        className="rounded px-1.5 py-0.5 font-medium text-sky-200 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-300"
      >
        Sign out
      </a>
    </div>
  );
}
