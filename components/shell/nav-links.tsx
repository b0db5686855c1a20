"use client";
/** The main navigation links, marking the current section with aria-current. */
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { hasRole, type Role } from "@/lib/auth/roles";
import { useRoles } from "@/components/auth/roles-context";

export interface NavItem {
  href: string;
  label: string;
  icon: ReactNode;
  /** Other path prefixes that belong to this section. */
  also?: string[];
  /** Shown only to users holding this role (the server refuses the page to others anyway). */
  role?: Role;
}

export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname() ?? "/";
  const roles = useRoles();
  const visible = items.filter((item) => !item.role || hasRole(roles, item.role));
  const current = (item: NavItem) =>
    item.href === "/"
      ? pathname === "/" || (item.also ?? []).some((p) => pathname.startsWith(p))
      : [item.href, ...(item.also ?? [])].some((p) => pathname === p || pathname.startsWith(`${p}/`));
  return (
    <ul className="flex flex-wrap gap-1 lg:flex-col">
      {visible.map((item) => {
        const active = current(item);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={`flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-300 ${
                active ? "bg-white/10 text-white" : "text-slate-300 hover:bg-white/5 hover:text-white"
              }`}
            >
              <span className={active ? "text-sky-300" : "text-slate-400"}>{item.icon}</span>
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
