"use client";
/**
 * Keeps keyboard focus across the client-side navigations that filters and paging make. A filter
 * form re-renders the page for its new URL, which would drop focus to <body> and send a keyboard
 * user back through the skip link and the menu. Remembered: the form control that changed (forms
 * marked `data-keep-focus`, by name and value) or the link clicked (`data-focus-key`); once the
 * new URL has rendered, the same control in the new page gets focus (else `data-focus-fallback`).
 */
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";

interface Pending {
  selector: string;
  origin: Element | null;
  url: string;
  at: number;
}

const WAIT_MS = 5000;

function selectorFor(el: Element): string | undefined {
  const key = el.closest("[data-focus-key]")?.getAttribute("data-focus-key");
  if (key) return `[data-focus-key="${CSS.escape(key)}"]`;
  if ((el instanceof HTMLInputElement || el instanceof HTMLSelectElement) && el.name && el.closest("form[data-keep-focus]")) {
    const value = el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio") ? `[value="${CSS.escape(el.value)}"]` : "";
    return `form[data-keep-focus] [name="${CSS.escape(el.name)}"]${value}`;
  }
  return undefined;
}

export function FocusReturn() {
  const pathname = usePathname();
  const search = useSearchParams();
  const pending = useRef<Pending | null>(null);

  useEffect(() => {
    const remember = (target: Element | null) => {
      const selector = target ? selectorFor(target) : undefined;
      // Anything else the user does replaces (or clears) what was remembered.
      pending.current = selector ? { selector, origin: target, url: location.pathname + location.search, at: performance.now() } : null;
    };
    // A form control navigates when it changes (selects, checkboxes) or its form is submitted (Enter in a text field).
    const onChange = (e: Event) => remember(e.target instanceof Element ? e.target : null);
    const onSubmit = () => remember(document.activeElement);
    // A click navigates only on a link marked data-focus-key; any other click forgets.
    const onClick = (e: MouseEvent) => {
      const link = e.target instanceof Element ? e.target.closest("[data-focus-key]") : null;
      if (link) remember(link);
      else if (!(e.target instanceof Element && e.target.closest("form[data-keep-focus]"))) pending.current = null;
    };
    document.addEventListener("change", onChange, true);
    document.addEventListener("submit", onSubmit, true);
    document.addEventListener("click", onClick, true);
    return () => {
      document.removeEventListener("change", onChange, true);
      document.removeEventListener("submit", onSubmit, true);
      document.removeEventListener("click", onClick, true);
    };
  }, []);

  useEffect(() => {
    const p = pending.current;
    const query = search.toString();
    if (!p || p.url === pathname + (query ? `?${query}` : "")) return;
    pending.current = null;
    if (performance.now() - p.at > 30_000) return; // not this navigation's doing
    const until = performance.now() + WAIT_MS;
    let frame = 0;
    const attempt = () => {
      // Focus is where it should be already (the control survived the render).
      if (p.origin?.isConnected && document.activeElement === p.origin) return;
      const gone = !p.origin?.isConnected;
      const el = document.querySelector<HTMLElement>(p.selector) ?? (gone ? document.querySelector<HTMLElement>("[data-focus-fallback]") : null);
      // Wait for the new page: the old control may still be in the document while it renders.
      if (el && (el !== p.origin || document.activeElement === document.body)) {
        el.focus();
        return;
      }
      if (performance.now() < until) frame = requestAnimationFrame(attempt);
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
  }, [pathname, search]);

  return null;
}
