"use client";
/** True once the component runs in the hydrated browser page (false on the server and during hydration). */
import { useSyncExternalStore } from "react";

const subscribeNever = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
}
