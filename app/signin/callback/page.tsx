/** The redirect URI registered for the app: MSAL's redirect bridge. Public. */
import { RedirectBridge } from "@/components/auth/redirect-bridge";

export const dynamic = "force-dynamic";
export const metadata = { title: "Signing in" };

export default function SignInCallbackPage() {
  return <RedirectBridge />;
}
