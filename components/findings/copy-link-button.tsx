"use client";
/** Copies the current page's URL: every filter lives in it, so the link reproduces the view. */
import { CopyButton } from "@/components/ui/copy-button";
import { useSyncExternalStore } from "react";

/** Filter changes navigate (popstate for back/forward, a re-render for router pushes). */
function subscribeToNavigation(onChange: () => void) {
  window.addEventListener("popstate", onChange);
  return () => window.removeEventListener("popstate", onChange);
}

export function CopyLinkButton() {
  const href = useSyncExternalStore(
    subscribeToNavigation,
    () => window.location.href,
    () => "",
  );
  return <CopyButton text={href} label="Copy link to this view" />;
}
