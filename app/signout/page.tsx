/** Sign-out: ends this server's session and the identity provider's. Public. */
import { redirect } from "next/navigation";
import { SignOut } from "@/components/auth/sign-out";
import { authConfig } from "@/lib/auth/config";
import { publicAuthConfig } from "@/lib/auth/public-config";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign out" };

export default function SignOutPage() {
  const config = publicAuthConfig(authConfig());
  if (!config) redirect("/");
  return <SignOut config={config} />;
}
