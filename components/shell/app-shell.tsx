/** The frame around every page: skip link, product mark, main navigation, and the main landmark. */
import Link from "next/link";
import type { ReactNode } from "react";
import { BellOff, BookIcon, Clock, History, Home, ListIcon, Shield } from "@/components/ui/icons";
import { NavLinks, type NavItem } from "./nav-links";

const NAV: NavItem[] = [
  { href: "/", label: "Overview", icon: <Home className="h-4 w-4" />, also: ["/subscriptions", "/resources"] },
  { href: "/findings", label: "Findings", icon: <ListIcon className="h-4 w-4" /> },
  { href: "/scans", label: "Scans", icon: <History className="h-4 w-4" /> },
  { href: "/controls", label: "Controls", icon: <BookIcon className="h-4 w-4" /> },
  { href: "/exceptions", label: "Exceptions", icon: <BellOff className="h-4 w-4" /> },
  { href: "/audit", label: "Audit trail", icon: <History className="h-4 w-4" />, role: "Posture.Admin" },
  { href: "/settings", label: "Settings", icon: <Clock className="h-4 w-4" />, role: "Posture.Admin" },
];

export function AppShell({ children }: { children: ReactNode }) {
  return (
    <>
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-900 shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:outline-2 focus:outline-blue-600"
      >
        Skip to main content
      </a>
      <div className="min-h-screen lg:flex">
        <header className="bg-slate-900 text-white lg:w-56 lg:shrink-0 print:hidden">
          <div className="lg:sticky lg:top-0 lg:flex lg:flex-col">
            <div className="flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 lg:block lg:px-4 lg:py-5">
              <Link href="/" className="flex items-center gap-2 rounded focus-visible:outline-2 focus-visible:outline-sky-300 lg:mb-6">
                <span className="flex h-7 w-7 items-center justify-center rounded-md bg-sky-500/15 text-sky-300">
                  <Shield className="h-4 w-4" />
                </span>
                <span className="leading-tight">
                  <span className="block text-sm font-semibold tracking-tight">Speech Posture</span>
                  <span className="hidden text-[11px] text-slate-400 lg:block">Azure AI Speech data protection</span>
                </span>
              </Link>
              <nav aria-label="Main">
                <NavLinks items={NAV} />
              </nav>
            </div>
            <div className="mt-6 hidden border-t border-white/10 px-4 py-3 text-[11px] leading-relaxed text-slate-400 lg:block">
              Reads stored scans only. Azure is contacted by scans and by “Re-check now”.
            </div>
          </div>
        </header>
        <div className="min-w-0 flex-1">
          <main id="main" tabIndex={-1} className="mx-auto max-w-[1200px] px-4 py-6 outline-none sm:px-6 lg:px-8 print:max-w-none print:p-0">
            {children}
          </main>
        </div>
      </div>
    </>
  );
}
