/** Sign-in (Entra ID through MSAL). Public. In the local demo (no sign-in) it goes to the overview. */
import { redirect } from "next/navigation";
import { SignIn } from "@/components/auth/sign-in";
import { authConfig } from "@/lib/auth/config";
import { publicAuthConfig, safeReturnPath } from "@/lib/auth/public-config";
import { isRole } from "@/lib/auth/roles";
import { currentPrincipal } from "@/lib/auth/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

type SP = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignInPage({ searchParams }: { searchParams: SP }) {
  const config = publicAuthConfig(authConfig());
  if (!config) redirect("/");
  const sp = await searchParams;
  const next = safeReturnPath(one(sp.next) ?? "/");
  const denied = one(sp.denied);
  const signedOut = one(sp.signedOut) === "1";
  if (!denied && !signedOut && (await currentPrincipal())) redirect(next);
  return <SignIn config={config} next={next} signedOut={signedOut} denied={isRole(denied) ? denied : null} />;
}
