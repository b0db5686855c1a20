import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppShell } from "../components/shell/app-shell";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Speech Posture", template: "%s · Speech Posture" },
  description: "How Azure AI Speech resources protect the customer data they store",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <AppShell>{children}</AppShell>
      </body>
    </html>
  );
}
