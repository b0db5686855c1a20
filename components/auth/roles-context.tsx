"use client";
/**
 * The signed-in user's app roles for client components, so the UI hides what the role cannot do
 * (the server refuses it either way). The root layout provides them from the session.
 */
import { createContext, useContext, type ReactNode } from "react";
import { hasRole, type Role } from "@/lib/auth/roles";

const RolesContext = createContext<readonly string[]>([]);

export function RolesProvider({ roles, children }: { roles: readonly string[]; children: ReactNode }) {
  return <RolesContext.Provider value={roles}>{children}</RolesContext.Provider>;
}

/** The current user's app roles. */
export function useRoles(): readonly string[] {
  return useContext(RolesContext);
}

/** True when the current user holds `role` or a higher one. */
export function useCan(role: Role): boolean {
  return hasRole(useContext(RolesContext), role);
}

/** Renders its children only for users holding `role` (or a higher one). */
export function Can({ role, children }: { role: Role; children: ReactNode }) {
  return useCan(role) ? <>{children}</> : null;
}
