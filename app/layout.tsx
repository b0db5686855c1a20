import type { Metadata } from "next";
import { Suspense, type ReactNode } from "react";
import { AuthBar } from "@/components/auth/auth-bar";
import { RolesProvider } from "@/components/auth/roles-context";
import { AppShell } from "@/components/shell/app-shell";
import { FocusReturn } from "@/components/shell/focus-return";
import { currentPrincipal } from "@/lib/auth/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Speech Posture", template: "%s · Speech Posture" },
  description: "How Azure AI Speech resources protect the customer data they store",
  // The icons and the web manifest live in public/ (PNGs and the .ico drawn from app/icon.svg).
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: [{ url: "/apple-touch-icon.png", sizes: "180x180", type: "image/png" }],
  },
  manifest: "/site.webmanifest",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Who is signed in (read per request: every page is rendered dynamically, so each gets its CSP nonce).
  const principal = await currentPrincipal();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <AuthBar principal={principal} />
        <RolesProvider roles={principal?.roles ?? []}>
          <AppShell>{children}</AppShell>
          <Suspense fallback={null}>
            <FocusReturn />
          </Suspense>
        </RolesProvider>
      </body>
    </html>
  );
}
